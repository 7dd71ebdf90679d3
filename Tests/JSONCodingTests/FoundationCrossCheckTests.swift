import Foundation
import JSONCoding
import LambdaEvents
import TestSupport
import Testing

/// Our decoder and encoder against Foundation's on the functions' own events and responses (Foundation
/// only here, in the tests): the same values either way, and each reads what the other wrote.
struct FoundationCrossCheckTests {
    static let webSocketEvents = ["connect.json", "connect-no-visit.json", "disconnect.json", "history.json", "sync.json"]
    static let streamEvents = ["stream-batch.json", "stream-first-insert.json", "stream-modify.json"]

    private func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: RepoPaths.path("events/\(name)"))))
    }

    private func crossCheck<T: Codable & Equatable>(_ value: T, _ type: T.Type) throws {
        let ours = try JSONByteEncoder().encode(value)
        let theirs = try JSONEncoder().encode(value)
        #expect(try JSONDecoder().decode(T.self, from: Data(ours)) == value)
        #expect(try JSONByteDecoder().decode(T.self, from: Array(theirs)) == value)
        // The same document, up to member order and `\/`.
        #expect(JSONWriter.write(try JSONReader.read(ours), sortedKeys: true) == JSONWriter.write(try JSONReader.read(Array(theirs)), sortedKeys: true))
    }

    @Test(arguments: webSocketEvents)
    func webSocketEventsDecodeAsWithFoundation(name: String) throws {
        let event = try bytes(name)
        let ours = try JSONByteDecoder().decode(APIGatewayWebSocketRequest.self, from: event)
        #expect(ours == (try JSONDecoder().decode(APIGatewayWebSocketRequest.self, from: Data(event))))
        try crossCheck(ours, APIGatewayWebSocketRequest.self)
    }

    @Test(arguments: streamEvents)
    func streamEventsDecodeAsWithFoundation(name: String) throws {
        let event = try bytes(name)
        let ours = try JSONByteDecoder().decode(DynamoDBStreamEvent.self, from: event)
        #expect(ours == (try JSONDecoder().decode(DynamoDBStreamEvent.self, from: Data(event))))
        try crossCheck(ours, DynamoDBStreamEvent.self)
    }

    @Test func responsesAndAttributeValuesMatchFoundation() throws {
        try crossCheck(APIGatewayWebSocketResponse.ok, APIGatewayWebSocketResponse.self)
        try crossCheck(
            APIGatewayWebSocketResponse(statusCode: 200, headers: ["Content-Type": "application/json"], body: #"{"a":"/x\n"}"#, isBase64Encoded: false),
            APIGatewayWebSocketResponse.self)
        try crossCheck(DynamoDBBatchResponse(), DynamoDBBatchResponse.self)
        try crossCheck(DynamoDBBatchResponse(failedSequenceNumbers: ["1", "200"]), DynamoDBBatchResponse.self)
        let item: [String: AttributeValue] = [
            "s": .string("é😀\u{1}"), "n": .number("-1.5e10"), "b": .binary([0, 255, 7]), "ss": .stringSet(["a", "b"]),
            "ns": .numberSet(["1", "2"]), "bs": .binarySet([[1], [2, 3]]), "m": .map(["x": .null, "y": .bool(false)]),
            "l": .list([.string(""), .list([])]),
        ]
        try crossCheck(item, [String: AttributeValue].self)
    }

    @Test func randomDocumentsReadAsFoundationReadsThem() throws {
        // Random JSON documents: what our reader accepts and what JSONSerialization accepts must agree,
        // and the values must agree (compared through Foundation's re-encoding with sorted keys).
        var random = SplitMix64(seed: 20261202)
        for _ in 0..<500 {
            let text = Self.document(&random, depth: 0)
            let ours = try JSONReader.read(Array(text.utf8))
            let theirs = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
            let theirsAgain = try JSONSerialization.data(withJSONObject: theirs, options: [.fragmentsAllowed, .sortedKeys])
            let oursThroughFoundation = try JSONSerialization.jsonObject(with: Data(JSONWriter.write(ours, sortedKeys: true)), options: [.fragmentsAllowed])
            #expect(try JSONSerialization.data(withJSONObject: oursThroughFoundation, options: [.fragmentsAllowed, .sortedKeys]) == theirsAgain, "\(text)")
        }
    }

    static func document(_ random: inout SplitMix64, depth: Int) -> String {
        let choice = random.next() % (depth > 4 ? 5 : 7)
        switch choice {
        case 0: return "null"
        case 1: return random.next() % 2 == 0 ? "true" : "false"
        case 2: return String(Int64(bitPattern: random.next()) >> Int64(random.next() % 63))
        case 3: return ["0.5", "-1e-3", "1E+2", "123.456", "-0", "3.14159"][Int(random.next() % 6)]
        case 4:
            let pieces = ["a", "é", "😀", "\\n", "\\u00e9", "\\ud83d\\ude00", "\\\"", "/", "\\/", " ", "\\t"]
            return "\"" + (0..<Int(random.next() % 6)).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }.joined() + "\""
        case 5:
            return "[" + (0..<Int(random.next() % 5)).map { _ in document(&random, depth: depth + 1) }.joined(separator: ", ") + "]"
        default:
            let members = (0..<Int(random.next() % 5)).map { "\"k\($0)\": " + document(&random, depth: depth + 1) }
            return "{" + members.joined(separator: ",") + "}"
        }
    }
}

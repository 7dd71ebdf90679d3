import CurlHTTP
import Foundation
import JSONCoding
import LambdaEvents
import Testing

@testable import AWSClient

/// Every request and answer model of the functions' DynamoDB and Management API calls through JSONCoding
/// (what the bootstraps use) and through Foundation (what they used before; here in the tests only): the same
/// JSON documents out, the same values in.
struct JSONModelTests {
    static let item: DynamoDBItem = [
        "pk": .string("site#example.org"), "n": .number("-12.50"), "b": .binary([0, 1, 254, 255]), "flag": .bool(true),
        "none": .null, "ss": .stringSet(["a/b", "é"]), "ns": .numberSet(["1", "2e3"]), "bs": .binarySet([[1], []]),
        "m": .map(["inner": .list([.string("x\n\"y\""), .map([:])])]),
    ]

    /// `bytes` as one canonical text: members sorted, no insignificant whitespace, `\/` read as `/`.
    private func canonical(_ bytes: [UInt8]) throws -> String {
        String(decoding: JSONWriter.write(try JSONReader.read(bytes), sortedKeys: true), as: UTF8.self)
    }

    private func expectSameDocument(_ value: some Encodable, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let ours = try JSONByteEncoder().encode(value)
        let theirs = Array(try JSONEncoder().encode(value))
        #expect(try canonical(ours) == canonical(theirs), sourceLocation: sourceLocation)
    }

    @Test func requestsEncodeAsWithFoundation() throws {
        try expectSameDocument(
            ItemInput(
                tableName: "t", key: ["pk": .string("k")], item: Self.item, consistentRead: true, projectionExpression: "#a, b",
                updateExpression: "ADD #v :one", conditionExpression: "attribute_not_exists(pk)", expressionAttributeNames: ["#a": "a"],
                expressionAttributeValues: [":one": .number("1")], returnValues: .updatedNew))
        try expectSameDocument(ItemInput(tableName: "only-the-table"))
        try expectSameDocument(
            TransactWriteInput(
                transactItems: [
                    .put(table: "a", item: Self.item, condition: "attribute_not_exists(pk)"),
                    .update(table: "b", key: ["pk": .string("x")], update: "SET v = :v", names: ["#n": "n"], values: [":v": .number("2")]),
                    .delete(table: "c", key: ["pk": .string("y")]),
                    .conditionCheck(table: "d", key: ["pk": .string("z")], condition: "attribute_exists(pk)"),
                ], clientRequestToken: RandomUUID.string()))
        try expectSameDocument(
            BatchGetInput(requestItems: [
                "t": KeysAndAttributes(keys: [["pk": .string("1")], ["pk": .string("2")]], consistentRead: true, projectionExpression: "#p", expressionAttributeNames: ["#p": "p"])
            ]))
        try expectSameDocument(
            ScanInput(tableName: "t", projectionExpression: "connectionId", expressionAttributeNames: nil, limit: 1000, consistentRead: false, exclusiveStartKey: ["pk": .string("k")]))
    }

    @Test func answersDecodeAsWithFoundation() throws {
        let itemJSON = String(decoding: try JSONByteEncoder().encode(Self.item), as: UTF8.self)
        func both<T: Decodable>(_ type: T.Type, _ text: String) throws -> (ours: T, theirs: T) {
            (try JSONByteDecoder().decode(T.self, from: Array(text.utf8)), try JSONDecoder().decode(T.self, from: Data(text.utf8)))
        }
        let item = try both(ItemOutput.self, #"{"Item":\#(itemJSON)}"#)
        #expect(item.ours.item == Self.item && item.theirs.item == Self.item)
        #expect(try both(ItemOutput.self, "{}").ours.item == nil)
        let attributes = try both(AttributesOutput.self, #"{"Attributes":{"v":{"N":"3"}}}"#)
        #expect(attributes.ours.attributes == attributes.theirs.attributes && attributes.ours.attributes?["v"] == .number("3"))
        let batch = try both(
            BatchGetOutput.self,
            #"{"Responses":{"t":[\#(itemJSON),{"pk":{"S":"2"}}]},"UnprocessedKeys":{"t":{"Keys":[{"pk":{"S":"3"}}],"ConsistentRead":true}}}"#)
        #expect(batch.ours.responses == batch.theirs.responses && batch.ours.responses?["t"]?.count == 2)
        #expect(batch.ours.unprocessedKeys?["t"]?.keys == batch.theirs.unprocessedKeys?["t"]?.keys)
        #expect(batch.ours.unprocessedKeys?["t"]?.consistentRead == true)
        let scan = try both(
            ScanOutput<DynamoDBItem>.self, #"{"Items":[\#(itemJSON)],"Count":1,"ScannedCount":1,"LastEvaluatedKey":{"pk":{"S":"k"}}}"#)
        #expect(scan.ours.items == scan.theirs.items && scan.ours.items == [Self.item])
        #expect(scan.ours.lastEvaluatedKey == ["pk": .string("k")])
        let connection = try both(
            ConnectionInfo.self,
            #"{"connectedAt":"2026-12-02T03:00:00.000Z","identity":{"sourceIp":"192.0.2.1","userAgent":"Mozilla/5.0"},"lastActiveAt":"2026-12-02T03:01:00.000Z"}"#)
        #expect(connection.ours == connection.theirs)
        #expect(connection.ours.sourceIp == "192.0.2.1" && connection.ours.userAgent == "Mozilla/5.0")
        // An answer whose content is not needed decodes whatever it holds (it throws otherwise).
        _ = try both(EmptyOutput.self, #"{"ConsumedCapacity":[{"TableName":"t","CapacityUnits":2.0}]}"#)
    }

    @Test func serviceErrorBodiesAreReadWithoutFoundation() {
        let body = #"{"__type":"com.amazonaws.dynamodb.v20120810#TransactionCanceledException","Message":"Transaction cancelled","CancellationReasons":[{"Code":"None"},{"Code":"ConditionalCheckFailed","Message":"The conditional request failed"}]}"#
        let error = AWSClientError.fromResponse(HTTPResponse(status: 400, body: Array(body.utf8)), operation: "DynamoDB.TransactWriteItems")
        #expect(error.awsCode == "TransactionCanceledException")
        #expect(error.cancellationReasons == [.init(code: "None"), .init(code: "ConditionalCheckFailed", message: "The conditional request failed")])
    }

    @Test func clientRequestTokensAreVersion4UUIDs() {
        #expect(RandomUUID.string(high: 0, low: 0) == "00000000-0000-4000-8000-000000000000")
        #expect(RandomUUID.string(high: .max, low: .max) == "FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF")
        var seen = Set<String>()
        for _ in 0..<1_000 {
            let token = RandomUUID.string()
            #expect(UUID(uuidString: token)?.uuidString == token)
            seen.insert(token)
        }
        #expect(seen.count == 1_000)
    }
}

import Foundation
import LambdaEvents
import LambdaRuntime
import TestSupport

/// Builders for the events and contexts the handler tests feed in.
enum Fixtures {
    static func context(remaining: Duration = .seconds(10), lines: LogLines? = nil) -> LambdaContext {
        let logger = lines.map { lines in
            LambdaLogger(level: .debug, requestID: nil, clock: { 0 }, output: { lines.append($0) })
        } ?? LambdaLogger(level: .error)
        return LambdaContext(requestID: "req-\(UUID().uuidString)", remainingTime: remaining, logger: logger)
    }

    static func webSocketEvent(
        route: String, connectionId: String = "LLOXxdOBrPEAbBw=", connectedAt: Int64 = 1_700_000_000_000,
        origin: String? = "https://www.example.com", visit: String? = nil, body: String? = nil
    ) -> APIGatewayWebSocketRequest {
        let eventType: APIGatewayWebSocketRequest.EventType =
            route == "$connect" ? .connect : route == "$disconnect" ? .disconnect : .message
        let context = APIGatewayWebSocketRequest.RequestContext(
            routeKey: route, eventType: eventType, connectionId: connectionId, connectedAt: connectedAt,
            requestTimeEpoch: connectedAt + 5, domainName: "abc123.execute-api.eu-west-1.amazonaws.com", stage: "prod",
            apiId: "abc123", identity: .init(sourceIp: "203.0.113.9"), requestId: "rid", requestTime: "29/Nov/2026:06:00:00 +0000")
        return APIGatewayWebSocketRequest(
            requestContext: context, headers: origin.map { ["origin": $0] },
            queryStringParameters: visit.map { ["visit": $0] }, body: body)
    }

    static func counterRecord(
        _ name: DynamoDBStreamEvent.EventName = .modify, visits: String?, live: String? = nil, sequence: String,
        id: String = "visitors"
    ) -> DynamoDBStreamEvent.Record {
        var image: DynamoDBItem = ["id": .string(id)]
        if let visits { image["visits"] = .number(visits) }
        if let live { image["live"] = .number(live) }
        return DynamoDBStreamEvent.Record(
            eventID: "e\(sequence)", eventName: name, awsRegion: "eu-west-1",
            dynamodb: .init(
                keys: ["id": .string(id)], newImage: name == .remove ? nil : image, sequenceNumber: sequence,
                sizeBytes: 40, streamViewType: .newImage))
    }

    /// A recorded event from events/.
    static func recorded<T: Decodable>(_ name: String, as type: T.Type) throws -> T {
        let data = try Data(contentsOf: URL(fileURLWithPath: RepoPaths.path("events/\(name)")))
        return try JSONDecoder().decode(T.self, from: data)
    }
}

/// Collects logger output for assertions.
final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    func append(_ bytes: [UInt8]) {
        lock.withLock { lines.append(String(decoding: bytes, as: UTF8.self)) }
    }

    var all: [String] { lock.withLock { lines } }
}

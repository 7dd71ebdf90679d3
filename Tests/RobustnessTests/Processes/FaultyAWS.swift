import AWSClient
import Foundation
import LambdaEvents
import SigV4
import TestSupport

/// moto (signature checking on, STS session credentials) with the two tables of DESIGN §3, and the
/// fault proxy in front of it: the functions talk to the proxy, the test reads the truth from moto.
final class FaultyAWS: @unchecked Sendable {
    let moto: MotoServer
    let proxy: FaultProxy
    /// A client straight to moto, never through the proxy.
    let client: DynamoDBClient
    let credentials: MotoServer.Credentials
    let counterTable = "VisitorCount"
    let connectionsTable = "ConnectionIDs"

    init() throws {
        moto = try MotoServer()
        proxy = try FaultProxy(upstream: moto.endpoint)
        guard let session = moto.sessionCredentials else { throw ChildProcessError("moto gave no STS session credentials") }
        credentials = session
        let configuration = AWSConfiguration(
            region: moto.region,
            credentials: AWSCredentials(accessKeyId: session.accessKeyId, secretAccessKey: session.secretAccessKey, sessionToken: session.sessionToken),
            dynamoDBEndpoint: moto.endpoint)
        client = try DynamoDBClient(configuration: configuration)
        _ = try client.createTable(TableDefinition(name: counterTable, partitionKey: ("id", .string), stream: .newImage))
        _ = try client.createTable(TableDefinition(name: connectionsTable, partitionKey: ("connectionId", .string)))
    }

    /// A function's environment (DESIGN §2), its DynamoDB endpoint being the proxy.
    func environment(runtimeAPI: String, extra: [String: String] = [:]) -> [String: String] {
        var env = moto.environment(credentials)
        env["AWS_ENDPOINT_URL_DYNAMODB"] = proxy.endpoint
        env["AWS_LAMBDA_RUNTIME_API"] = runtimeAPI
        env["VISITOR_COUNT_TABLE"] = counterTable
        env["CONNECTIONS_TABLE"] = connectionsTable
        env["LOG_LEVEL"] = "info"
        env["PATH"] = ProcessInfo.processInfo.environment["PATH"]
        return env.merging(extra) { $1 }
    }

    /// The counter's `visits` (0 when the item does not exist yet).
    func visits() throws -> Int {
        try client.getItem(table: counterTable, key: ["id": .string("visitors")], consistentRead: true)?["visits"]?.intValue ?? 0
    }

    /// The visit ids that have a marker (`visit#<id>`) in VisitorCount.
    func visitMarkers() throws -> Set<String> {
        Set(try client.scan(table: counterTable, projection: "id").allItems().compactMap { item -> String? in
            guard let id = item["id"]?.stringValue, id.hasPrefix("visit#") else { return nil }
            return String(id.dropFirst("visit#".count))
        })
    }

    /// Every row of ConnectionIDs: connection id → its visit id (nil without one).
    func connections() throws -> [String: String?] {
        var rows: [String: String?] = [:]
        for item in try client.scan(table: connectionsTable).allItems() {
            if let id = item["connectionId"]?.stringValue { rows[id] = item["visitId"]?.stringValue }
        }
        return rows
    }

    /// Everything moto and the proxy printed, for the artifacts.
    var log: String { moto.log + proxy.log }

    func stop() {
        proxy.stop()
        moto.stop()
    }
}

/// API Gateway-shaped WebSocket events.
enum Events {
    static func webSocket(route: String, connectionId: String, visit: String? = nil) -> APIGatewayWebSocketRequest {
        let type: APIGatewayWebSocketRequest.EventType = route == "$connect" ? .connect : route == "$disconnect" ? .disconnect : .message
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let context = APIGatewayWebSocketRequest.RequestContext(
            routeKey: route, eventType: type, connectionId: connectionId, connectedAt: now, requestTimeEpoch: now,
            domainName: "127.0.0.1", stage: "local", apiId: "local", identity: .init(sourceIp: "127.0.0.1"),
            requestId: "r-\(connectionId)", requestTime: "29/Nov/2026:07:00:00 +0000",
            disconnectStatusCode: type == .disconnect ? 1001 : nil, disconnectReason: type == .disconnect ? "Going away" : nil)
        return APIGatewayWebSocketRequest(
            requestContext: context, headers: ["Origin": "http://127.0.0.1:8080"],
            queryStringParameters: visit.map { ["visit": $0] }, body: type == .message ? #"{"action":"\#(route)"}"# : nil)
    }

    /// A connection id shaped like API Gateway's: 16 characters ending in `=`.
    static func connectionId(_ n: Int, prefix: String = "C") -> String {
        let digits = String(n)
        return prefix + String(repeating: "0", count: max(0, 15 - prefix.count - digits.count)) + digits + "="
    }

    /// A one-record stream batch in which the counter item changed to `visits`.
    static func counterChanged(visits: Int) -> [UInt8] {
        let record: [String: Any] = [
            "eventID": "1", "eventName": "MODIFY", "eventVersion": "1.1", "eventSource": "aws:dynamodb", "awsRegion": "us-east-1",
            "dynamodb": [
                "ApproximateCreationDateTime": 1_764_400_000, "Keys": ["id": ["S": "visitors"]],
                "NewImage": ["id": ["S": "visitors"], "visits": ["N": String(visits)]],
                "SequenceNumber": "100000000000000000001", "SizeBytes": 30, "StreamViewType": "NEW_IMAGE",
            ],
            "eventSourceARN": "arn:aws:dynamodb:us-east-1:123456789012:table/VisitorCount/stream/2026-11-29T00:00:00.000",
        ]
        return Array((try? JSONSerialization.data(withJSONObject: ["Records": [record]])) ?? Data())
    }
}

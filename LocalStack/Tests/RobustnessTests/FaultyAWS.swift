import AWSClient
import Foundation
import LambdaEvents
import SigV4
import ProcessTestSupport
import TestSupport

/// moto (signature checking on, STS session credentials) with the two tables of docs/design.md §3, and the
/// fault proxy in front of it: the functions talk to the proxy, the test reads the truth from moto.
final class FaultyAWS: LocalAWS, @unchecked Sendable {
    let proxy: FaultProxy

    init() throws {
        let moto = try MotoServer()
        proxy = try FaultProxy(upstream: moto.endpoint)
        try super.init(moto: moto)
    }

    /// A function's environment (docs/design.md §2), its DynamoDB endpoint being the proxy.
    override func environment(runtimeAPI: String, extra: [String: String] = [:]) -> [String: String] {
        super.environment(runtimeAPI: runtimeAPI, extra: ["AWS_ENDPOINT_URL_DYNAMODB": proxy.endpoint, "LOG_LEVEL": "info"])
            .merging(extra) { $1 }
    }

    /// The counter's `visits` (0 when the item does not exist yet).
    func visits() throws -> Int {
        try client.getItem(table: counterTable, key: ["id": .string("visitors")], consistentRead: true)?["visits"]?.intValue ?? 0
    }

    /// The counter's total over every shard (`visitors`, `visitors#k`): `visits`, `live` and `visitors` summed.
    func shardTotals() throws -> (visits: Int, live: Int, shards: Int, visitors: Int) {
        let shards = try client.scan(table: counterTable, consistentRead: true).allItems().filter {
            guard let id = $0["id"]?.stringValue else { return false }
            return id == "visitors" || id.hasPrefix("visitors#")
        }
        return (
            shards.reduce(0) { $0 + ($1["visits"]?.intValue ?? 0) }, shards.reduce(0) { $0 + ($1["live"]?.intValue ?? 0) }, shards.count,
            shards.reduce(0) { $0 + ($1["visitors"]?.intValue ?? 0) }
        )
    }

    /// How many visitor markers (`visitor#<day>#<hash>`) VisitorCount holds.
    func visitorMarkers() throws -> Int {
        try client.scan(table: counterTable, projection: "id").allItems().count { $0["id"]?.stringValue?.hasPrefix("visitor#") ?? false }
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

/// Stream events for the process tests (WebSocket events: ProcessTestSupport's `WebSocketEvents`).
enum Events {
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

import AWSClient
import Foundation
import LambdaEvents
import RuntimeAPIServer
import Testing
import ProcessTestSupport
import TestSupport

/// Live viewers as the truth, with the real binaries on moto and a counter of four shards: each way the
/// stored `live` drifts from the open connections, and how the next broadcast brings it back.
///
/// The stored value is advisory: every broadcast carries the connections it found open (rows past their
/// `expiresAt` left out), then corrects the stored sum to that with a marked write; `sync` shows the stored
/// value clamped at zero and never fails because of it.
@Suite(.serialized) struct LiveViewersProcessTests {
    let now = Int64(Date().timeIntervalSince1970 * 1000)

    /// The sum of `live` over the counter's shards, as moto holds it.
    func storedLive(_ aws: LocalAWS) throws -> Int {
        try shards(aws).reduce(0) { $0 + ($1["live"]?.intValue ?? 0) }
    }

    func shards(_ aws: LocalAWS) throws -> [DynamoDBItem] {
        try aws.client.scan(table: aws.counterTable, consistentRead: true).allItems().filter {
            ($0["id"]?.stringValue).map { $0 == "visitors" || $0.hasPrefix("visitors#") } ?? false
        }
    }

    /// A batch in which shard `shard` changed (its image alone is not the total: the processor reads it).
    func shardChanged(_ shard: String, sequence: Int, correction: Bool = false) -> [UInt8] {
        var image: [String: Any] = ["id": ["S": shard], "visits": ["N": "1"]]
        if correction { image["correction"] = ["BOOL": true] }
        let record: [String: Any] = [
            "eventID": "\(sequence)", "eventName": "MODIFY", "eventVersion": "1.1", "eventSource": "aws:dynamodb", "awsRegion": "us-east-1",
            "dynamodb": ["Keys": ["id": ["S": shard]], "NewImage": image, "SequenceNumber": String(sequence), "SizeBytes": 30,
                         "StreamViewType": "NEW_IMAGE"],
        ]
        return Array((try? JSONSerialization.data(withJSONObject: ["Records": [record]])) ?? Data())
    }

    /// The processor's summary lines, decoded, in order.
    func summaries(_ output: String) throws -> [[String: Any]] {
        try output.split(separator: "\n").filter { $0.contains("\"_aws\"") }.map {
            try require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any], "summary")
        }
    }

    @Test func everyDriftCauseConvergesToTheConnectionsFoundOpen() async throws {
        let aws = try LocalAWS()
        let api = try aws.managementAPI()
        let env = { (runtimeAPI: String, live: Bool) in
            aws.environment(runtimeAPI: runtimeAPI, extra: [
                "COUNTER_SHARDS": "4", "LIVE_VIEWERS": live ? "true" : "false",
                "WEBSOCKET_API_ENDPOINT": api.endpoint + "/local", "LOG_LEVEL": "warn",
            ])
        }
        let before = try await FunctionFleet(binary: "DBUpdater") { env($0, false) }
        let updater = try await FunctionFleet(binary: "DBUpdater") { env($0, true) }
        let processor = try await FunctionFleet(binary: "DBStreamProcessor") { env($0, true) }
        defer { Task { for fleet in [before, updater, processor] { await fleet.stop() } } }
        func connect(_ fleet: FunctionFleet, _ id: String, connectedAt: Int64? = nil) async throws -> Int? {
            try await fleet.invoke(WebSocketEvents.event(
                route: "$connect", connectionId: id, visit: "view-\(id.dropLast())", connectedAt: connectedAt ?? now)).statusCode
        }
        func broadcast(_ sequence: Int, correction: Bool = false) async throws -> [String: Any] {
            let before = try summaries(processor.output).count
            let result = try await processor.invoke(bytes: shardChanged("visitors#2", sequence: sequence, correction: correction))
            if case .error = result { Issue.record("broadcast \(sequence) failed: \(result)\n\(processor.output.suffix(2000))") }
            // The line is written before the answer, but the test reads the child's stdout through a pipe
            // that may lag behind the answer: wait for this invocation's line, not the previous one's.
            let waitUntil = ContinuousClock.now + .seconds(10)
            while try summaries(processor.output).count == before, ContinuousClock.now < waitUntil {
                try await Task.sleep(for: .milliseconds(20))
            }
            let lines = try summaries(processor.output)
            #expect(lines.count == before + 1, "one summary line per invocation")
            return try require(lines.last, "summary")
        }
        func sync() async throws -> String? {
            try await updater.invoke(WebSocketEvents.event(route: "sync", connectionId: WebSocketEvents.connectionId(0))).webSocketResponse?.body
        }

        // 1. LIVE_VIEWERS turned on with connections open: five pages connected before; three leave after.
        let early = (0..<5).map { WebSocketEvents.connectionId($0, prefix: "E") }
        for id in early { #expect(try await connect(before, id) == 200) }
        for id in early.prefix(3) {
            _ = try await updater.invoke(WebSocketEvents.event(route: "$disconnect", connectionId: id))
        }
        #expect(try storedLive(aws) == -3)
        #expect(try await sync() == #"{"visits":5,"live":0}"#, "a stored negative is shown as zero, never an error")
        var summary = try await broadcast(10)
        #expect(summary["live"] as? Int == 2 && summary["liveCorrection"] as? Int == 5)
        #expect(try storedLive(aws) == 2)
        #expect(try api.requests().allSatisfy { $0.body == #"{"visits":5,"live":2}"# })
        try api.resetWhenSettled()

        // 2. A lost $disconnect whose row is past its TTL but not yet deleted: neither posted to nor counted.
        try aws.client.putItem(table: aws.connectionsTable, item: [
            "connectionId": .string("LOSTLOSTLOSTLOS="), "connectedAt": .number(String(now - 3 * 3_600_000)),
            "expiresAt": .number(String(now / 1000 - 600)),
        ])
        try aws.client.updateItem(table: aws.counterTable, key: ["id": .string("visitors#3")], update: "ADD live :one", values: [":one": .number("1")])
        summary = try await broadcast(11)
        #expect(summary["expired"] as? Int == 1 && summary["connections"] as? Int == 2 && summary["live"] as? Int == 2)
        #expect(try api.requests().allSatisfy { $0.connectionId != "LOSTLOSTLOSTLOS=" })
        #expect(try storedLive(aws) == 2)
        try api.resetWhenSettled()

        // 3. A $connect that committed and then failed: counted (row and live), then API Gateway refused the
        // connection, so a post answers 410 and no $disconnect ever comes. Connected a minute ago (not young).
        let failed = WebSocketEvents.connectionId(1, prefix: "F")
        #expect(try await connect(updater, failed, connectedAt: now - 60_000) == 200)
        #expect(try storedLive(aws) == 3)
        try api.script([failed], then: 410)
        summary = try await broadcast(12)
        #expect(summary["gone"] as? Int == 1 && summary["live"] as? Int == 3)
        #expect(try !aws.connectionIds().contains(failed))
        #expect(try storedLive(aws) == 2, "its delete took it off once; nothing else to correct")
        try api.resetWhenSettled()

        // 4. Stored 80 with 50 open: every page is told 50, and the stored value follows.
        let more = (0..<48).map { WebSocketEvents.connectionId($0, prefix: "M") }
        try aws.putConnections(more, connectedAt: now - 60_000, extra: ["expiresAt": .number(String(now / 1000 + 3600))])
        try aws.client.updateItem(table: aws.counterTable, key: ["id": .string("visitors")], update: "ADD live :n", values: [":n": .number("78")])
        #expect(try storedLive(aws) == 80)
        summary = try await broadcast(13)
        #expect(summary["live"] as? Int == 50 && summary["liveCorrection"] as? Int == -30)
        let posted = try api.requests()
        #expect(posted.count == 50 && posted.allSatisfy { $0.body == #"{"visits":6,"live":50}"# })
        #expect(try storedLive(aws) == 50)
        #expect(try await sync() == #"{"visits":6,"live":50}"#)
        try api.resetWhenSettled()

        // The correction's own stream record (marked) is not broadcast: corrections cannot loop.
        let marked = try shards(aws).filter { $0["correction"] != nil }
        #expect(!marked.isEmpty)
        summary = try await broadcast(14, correction: true)
        #expect(summary["sent"] as? Int == 0 && (summary["reason"] as? String)?.hasPrefix("only live corrections") == true)
        #expect(try api.requests().isEmpty)
        // An ordinary write of that shard removes the mark (each $connect picks one of the four at random).
        for n in 0..<40 where try shards(aws).contains(where: { $0["correction"] != nil }) {
            #expect(try await connect(updater, WebSocketEvents.connectionId(n, prefix: "N")) == 200)
        }
        #expect(try shards(aws).allSatisfy { $0["correction"] == nil })
    }
}

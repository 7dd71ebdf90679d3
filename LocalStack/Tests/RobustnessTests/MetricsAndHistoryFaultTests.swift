import AWSClient
import Foundation
import LambdaEvents
import ProcessTestSupport
import Testing
import TestSupport

/// The owner's figures under faults, with the real binaries and scripts/fault_proxy.py in front of moto:
/// DBUpdater's `conflicts` and `retries` are the collisions DynamoDB (the proxy's contention model) really
/// answered, and DBStreamProcessor's daily history survives a failed write and repeated deliveries
/// (docs/design.md §3, "History", and §5).
@Suite(.serialized) struct MetricsAndHistoryFaultTests {
    /// DBUpdater's metric lines in `output`, decoded.
    static func metricLines(_ output: String) throws -> [[String: Any]] {
        try output.split(separator: "\n").filter { $0.contains(#""message":"request""#) }.map {
            try require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any], "a metric line that is JSON")
        }
    }

    @Test func theConflictsOnTheLinesAreTheCollisionsDynamoDBAnswered() async throws {
        let aws = try FaultyAWS()
        defer { aws.stop() }
        try aws.proxy.contention(ms: 20)
        var started: [FunctionInstance] = []
        for _ in 0..<4 {
            started.append(try await FunctionInstance(binary: "DBUpdater") { aws.environment(runtimeAPI: $0) })
        }
        let instances = started
        defer { for instance in instances { Task { await instance.stop() } } }
        let connects = 60
        let statuses = try await withThrowingTaskGroup(of: Int?.self) { group in
            for n in 0..<connects {
                group.addTask {
                    try await instances[n % instances.count].invoke(WebSocketEvents.event(
                        route: "$connect", connectionId: WebSocketEvents.connectionId(n), visit: "page-view-\(n)")).statusCode
                }
            }
            return try await group.reduce(into: [Int?]()) { $0.append($1) }
        }
        let output = instances.map(\.output).joined(separator: "\n")
        var lines = try Self.metricLines(output)
        for _ in 0..<200 where lines.count < connects {
            try await Task.sleep(for: .milliseconds(25))
            lines = try Self.metricLines(instances.map(\.output).joined(separator: "\n"))
        }
        let stats = try aws.proxy.stats()
        let conflicts = lines.compactMap { $0["conflicts"] as? Int }.reduce(0, +)
        let retries = lines.compactMap { $0["retries"] as? Int }.reduce(0, +)
        Artifacts.figures("metrics-conflicts", [
            "connects": connects, "lineConflicts": conflicts, "lineRetries": retries,
            "proxyConflicts": stats.conflicts["TransactWriteItems"] ?? 0,
        ])
        #expect(statuses.allSatisfy { $0 == 200 }, "\(output.suffix(2000))")
        #expect(lines.count == connects)
        #expect(lines.compactMap { $0["visits"] as? Int }.reduce(0, +) == connects)
        #expect(try aws.visits() == connects)
        // Every transaction the contention model refused was made again, and counted exactly once.
        #expect(conflicts == stats.conflicts["TransactWriteItems"] ?? 0)
        #expect(conflicts > 0, "four processes, one shard and a 20 ms window: some connects must collide")
        // Nothing else was refused, so every retry was one of those.
        #expect(retries == conflicts)
        #expect(lines.allSatisfy { $0["handshakeErrors"] as? Int == 0 })
    }

    /// `history` and the `day#` items, as stored.
    static func historyItems(_ aws: FaultyAWS) throws -> (pointer: DynamoDBItem?, days: [DynamoDBItem]) {
        let items = try aws.client.scan(table: aws.counterTable, consistentRead: true).allItems()
        return (
            items.first { $0["id"]?.stringValue == "history" },
            items.filter { $0["id"]?.stringValue?.hasPrefix("day#") ?? false }
        )
    }

    /// The sum of the stored days' figures (visits − openVisits).
    static func sumOfDays(_ aws: FaultyAWS) throws -> Int {
        try historyItems(aws).days.reduce(0) { $0 + ($1["visits"]?.intValue ?? 0) - ($1["openVisits"]?.intValue ?? 0) }
    }

    @Test func aFailedHistoryWriteFailsTheBatchAndTheDeliveryAgainRecordsItOnce() async throws {
        let aws = try FaultyAWS()
        defer { aws.stop() }
        let api = try aws.managementAPI()
        let page = WebSocketEvents.connectionId(1)
        try aws.putConnections([page], connectedAt: Int64(Date().timeIntervalSince1970 * 1000) - 60_000)
        let processor = try await FunctionInstance(binary: "DBStreamProcessor") {
            aws.environment(runtimeAPI: $0, extra: ["WEBSOCKET_API_ENDPOINT": api.endpoint + "/local"])
        }
        defer { Task { await processor.stop() } }

        // History begins at 10.
        #expect(try await processor.invoke(bytes: Events.counterChanged(visits: 10)).errorType == nil, "\(processor.output.suffix(2000))")
        // The history transaction fails with 500s until the invocation's time is up.
        try aws.proxy.script("TransactWriteItems", Array(repeating: "500", count: 400))
        let failed = try await processor.invoke(bytes: Events.counterChanged(visits: 17), deadline: .seconds(3))
        #expect(failed.errorType != nil, "the invocation fails, so the mapping delivers the batch again")
        #expect(await processor.outputContains("could not record the history"), "\(processor.output.suffix(2000))")
        #expect(try api.requests().map(\.body) == [#"{"visits":10}"#, #"{"visits":17}"#], "the page got the count before")
        #expect(try Self.sumOfDays(aws) == 0)

        // The mapping's retry: recorded now; the page gets the same message again.
        try aws.proxy.reset()
        #expect(try await processor.invoke(bytes: Events.counterChanged(visits: 17)).errorType == nil, "\(processor.output.suffix(2000))")
        #expect(try Self.sumOfDays(aws) == 17 - 10)
        let version = try Self.historyItems(aws).pointer?["version"]?.intValue
        #expect(version == 2)
        #expect(try api.requests().map(\.body).suffix(1) == [#"{"visits":17}"#])

        // The same batch delivered once more, and its answer lost after the write applied: nothing changes.
        try aws.proxy.script("TransactWriteItems", ["drop-after"])
        #expect(try await processor.invoke(bytes: Events.counterChanged(visits: 17)).errorType == nil)
        try aws.proxy.reset()
        #expect(try await processor.invoke(bytes: Events.counterChanged(visits: 17)).errorType == nil)
        #expect(try Self.historyItems(aws).pointer?["version"]?.intValue == version)
        #expect(try Self.sumOfDays(aws) == 17 - 10)
        #expect(processor.isRunning)
    }

    @Test func aHistoryWriteWhoseAnswerIsLostIsRecordedOnce() async throws {
        let aws = try FaultyAWS()
        defer { aws.stop() }
        let api = try aws.managementAPI()
        let processor = try await FunctionInstance(binary: "DBStreamProcessor") {
            aws.environment(runtimeAPI: $0, extra: ["WEBSOCKET_API_ENDPOINT": api.endpoint + "/local"])
        }
        defer { Task { await processor.stop() } }
        #expect(try await processor.invoke(bytes: Events.counterChanged(visits: 5)).errorType == nil)
        // Applied upstream, then 500 instead of the answer: the retry finds the version moved and reads again.
        try aws.proxy.script("TransactWriteItems", ["500-after"])
        #expect(try await processor.invoke(bytes: Events.counterChanged(visits: 9)).errorType == nil, "\(processor.output.suffix(2000))")
        #expect(try Self.historyItems(aws).pointer?["version"]?.intValue == 2)
        #expect(try Self.sumOfDays(aws) == 9 - 5)
    }
}

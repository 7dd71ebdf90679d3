import AWSClient
import Foundation
import LambdaEvents
import RuntimeAPIServer
import Testing
import ProcessTestSupport
import TestSupport

/// DBUpdater and DBStreamProcessor with scripts/fault_proxy.py between them and moto: throttling, 500s,
/// dropped connections and slow answers, before and after moto applied the request.
///
/// The guarantee under test (docs/reliability.md): every `$connect` either answers 200 or fails with an
/// invocation error (API Gateway then refuses the connection); a visit is counted at most once per
/// visit id; and the count equals the number of visit markers written (plus connects without a visit
/// id), so a `$connect` whose outcome was unknown but applied is counted once, even though it failed.
@Suite(.serialized) struct DynamoDBFaultTests {
    static let seed = ProcessInfo.processInfo.environment["FAULT_SEED"].flatMap(Int.init) ?? 8_080

    @Test func connectsUnderRandomFaultsCountEveryRecordedVisitExactlyOnce() async throws {
        let aws = try FaultyAWS()
        defer { aws.stop() }
        try aws.proxy.random(
            seed: Self.seed, rate: 0.5, operations: ["TransactWriteItems", "PutItem"], faults: FaultProxy.Fault.allCases.filter { $0 != .pass })
        let instances = [
            try await FunctionInstance(binary: "DBUpdater") { aws.environment(runtimeAPI: $0) },
            try await FunctionInstance(binary: "DBUpdater") { aws.environment(runtimeAPI: $0) },
        ]
        defer { Task { for instance in instances { await instance.stop() } } }

        // 60 page views, each retried on a new connection (same visit id) until it connects, four tries at
        // most, as the page does after a refused connection; 30 connects without a visit id are not retried.
        let pages = 60
        let results = try await withThrowingTaskGroup(of: [(connection: String, visit: String?, status: Int?)].self) { group in
            for page in 0..<pages {
                group.addTask {
                    var tries: [(String, String?, Int?)] = []
                    for attempt in 0..<4 {
                        let connection = WebSocketEvents.connectionId(page * 10 + attempt, prefix: "P")
                        let visit = "page-view-\(page)"
                        let result = try await instances[page % 2].invoke(WebSocketEvents.event(route: "$connect", connectionId: connection, visit: visit))
                        tries.append((connection, visit, result.statusCode))
                        if result.statusCode == 200 { break }
                    }
                    return tries
                }
            }
            for n in 0..<30 {
                group.addTask {
                    let connection = WebSocketEvents.connectionId(n, prefix: "N")
                    let result = try await instances[n % 2].invoke(WebSocketEvents.event(route: "$connect", connectionId: connection))
                    return [(connection, nil, result.statusCode)]
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }

        let stats = try aws.proxy.stats()
        let visits = try aws.visits()
        let markers = try aws.visitMarkers()
        let rows = try aws.connections()
        let succeeded = results.filter { $0.status == 200 }
        let failed = results.filter { $0.status != 200 }
        let countedVisits = Set(succeeded.compactMap(\.visit))
        let withoutVisit = rows.filter { $0.value == nil }.count
        let failedButApplied = failed.filter { rows[$0.connection] != nil }.count

        Artifacts.save("dynamodb-random-faults", instances.map(\.output).joined() + aws.log)
        Artifacts.figures("dynamodb-random-faults", [
            "seed": Self.seed, "connects": results.count, "succeeded": succeeded.count, "failed": failed.count,
            "failedButApplied": failedButApplied, "pageViews": pages, "pageViewsConnected": countedVisits.count,
            "markers": markers.count, "noVisitRows": withoutVisit, "expectedCount": markers.count + withoutVisit,
            "observedCount": visits, "injected": stats.injected.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: ","),
        ])

        // Every kind of fault was injected, the unknown-outcome ones included.
        for fault in FaultProxy.Fault.allCases {
            #expect((stats.injected[fault.rawValue] ?? 0) > 0, "seed \(Self.seed): no \(fault.rawValue) injected")
        }
        // Exactly one answer per invocation: a 200 or an invocation error, nothing else.
        #expect(results.allSatisfy { $0.status == 200 || $0.status == nil })
        // A visit is counted once per visit id, and every visit that connected is counted.
        #expect(countedVisits.isSubset(of: markers))
        #expect(markers.isSubset(of: Set((0..<pages).map { "page-view-\($0)" })))
        #expect(visits == markers.count + withoutVisit, "seed \(Self.seed)")
        // Every connection that got a 200 is recorded.
        #expect(succeeded.allSatisfy { rows[$0.connection] != nil })
        #expect(instances.allSatisfy { $0.isRunning })
    }

    @Test func anUnknownOutcomeIsNeverCountedTwice() async throws {
        let aws = try FaultyAWS()
        defer { aws.stop() }
        let updater = try await FunctionInstance(binary: "DBUpdater") { aws.environment(runtimeAPI: $0) }
        defer { Task { await updater.stop() } }
        // DBUpdater retries until its deadline: the invocations that must fail get 3 s, and more faults than
        // attempts fit in that (one attempt every 10-500 ms).
        func connect(_ id: String, visit: String?, deadline: Duration = .seconds(10)) async throws -> Int? {
            try await updater.invoke(WebSocketEvents.event(route: "$connect", connectionId: id, visit: visit), deadline: deadline).statusCode
        }
        let everyAttempt = 400

        // Applied, then 500: the client's retry finds the connection recorded and answers 200, once counted.
        try aws.proxy.script("TransactWriteItems", ["500-after"])
        #expect(try await connect(WebSocketEvents.connectionId(1), visit: "visit-aaaa") == 200)
        #expect(try aws.visits() == 1)
        // Applied, then the connection dropped: the same.
        try aws.proxy.script("TransactWriteItems", ["drop-after"])
        #expect(try await connect(WebSocketEvents.connectionId(2), visit: "visit-bbbb") == 200)
        #expect(try aws.visits() == 2)
        // Applied, then every attempt dropped: the $connect fails (API Gateway refuses the connection) but
        // the visit was recorded and counts; the page's reconnect with the same visit id is not counted again.
        // (libcurl itself resends a request once when a reused connection dies before answering, so one
        // attempt of ours may reach the proxy twice.)
        try aws.proxy.reset()
        try aws.proxy.script("TransactWriteItems", Array(repeating: "drop-after", count: everyAttempt))
        #expect(try await connect(WebSocketEvents.connectionId(3), visit: "visit-cccc", deadline: .seconds(3)) == nil)
        let sent = try aws.proxy.stats().requests["TransactWriteItems"] ?? 0
        try aws.proxy.reset()
        #expect(try aws.visits() == 3)
        #expect(try await connect(WebSocketEvents.connectionId(4), visit: "visit-cccc") == 200)
        #expect(try aws.visits() == 3)
        // Throttled on every attempt: nothing applied, the $connect fails; the reconnect counts.
        try aws.proxy.script("TransactWriteItems", Array(repeating: "throttle", count: everyAttempt))
        #expect(try await connect(WebSocketEvents.connectionId(5), visit: "visit-dddd", deadline: .seconds(3)) == nil)
        try aws.proxy.reset()
        #expect(try aws.visits() == 3)
        #expect(try await connect(WebSocketEvents.connectionId(6), visit: "visit-dddd") == 200)
        #expect(try aws.visits() == 4)
        // Without a visit id nothing ties a reconnect to the failed attempt: an applied-but-failed
        // $connect and its reconnect count twice (docs/design.md §5: no visit parameter → always counts).
        try aws.proxy.script("TransactWriteItems", Array(repeating: "drop-after", count: everyAttempt))
        #expect(try await connect(WebSocketEvents.connectionId(7), visit: nil, deadline: .seconds(3)) == nil)
        try aws.proxy.reset()
        #expect(try await connect(WebSocketEvents.connectionId(8), visit: nil) == 200)
        #expect(try aws.visits() == 6)
        #expect(try aws.visitMarkers() == ["visit-aaaa", "visit-bbbb", "visit-cccc", "visit-dddd"])
        Artifacts.save("dynamodb-unknown-outcome", updater.output + aws.log)
        Artifacts.figures("dynamodb-unknown-outcome", [
            "connects": 8, "expectedCount": 6, "observedCount": try aws.visits(), "requestsForDroppedAttemptsIn3s": sent,
        ])
        #expect(updater.isRunning)
    }

    @Test func theBroadcastReachesEveryConnectionThroughScanAndDeleteFaults() async throws {
        let aws = try FaultyAWS()
        defer { aws.stop() }
        let api = try aws.managementAPI()
        let ids = (0..<200).map { WebSocketEvents.connectionId($0) }
        try aws.putConnections(ids, connectedAt: Int64(Date().timeIntervalSince1970 * 1000) - 60_000)
        let gone = Array(ids.prefix(5))
        try api.script(gone, then: 410)
        // The scan fails three times (throttled, 500, dropped) and then answers slowly; deleting the gone
        // connections is throttled once and dropped once after applying.
        try aws.proxy.script("Scan", ["throttle", "500", "drop", "slow:1500"])
        try aws.proxy.script("DeleteItem", ["throttling", "drop-after"])
        let processor = try await FunctionInstance(binary: "DBStreamProcessor") {
            aws.environment(runtimeAPI: $0, extra: ["WEBSOCKET_API_ENDPOINT": api.endpoint + "/local"])
        }
        defer { Task { await processor.stop() } }

        let result = try await processor.invoke(bytes: Events.counterChanged(visits: 42), deadline: .seconds(60))
        let requests = try api.requests()
        let perId = Dictionary(grouping: requests, by: \.connectionId).mapValues(\.count)
        let remaining = try aws.connections()
        let stats = try aws.proxy.stats()
        Artifacts.save("dynamodb-broadcast-faults", processor.output + aws.log)
        Artifacts.figures("dynamodb-broadcast-faults", [
            "connections": ids.count, "delivered": perId.count, "gone": gone.count,
            "deletedGone": gone.filter { remaining[$0] == nil }.count, "scanRequests": stats.requests["Scan"] ?? 0,
            "deleteRequests": stats.requests["DeleteItem"] ?? 0,
        ])
        #expect(result.errorType == nil, "\(processor.output.suffix(2000))")
        #expect(ids.allSatisfy { perId[$0] == 1 }, "every connection gets exactly one message")
        #expect(requests.allSatisfy { $0.body == #"{"visits":42}"# && $0.signatureValid })
        #expect(gone.allSatisfy { remaining[$0] == nil }, "gone connections are deleted despite the faults")
        #expect(remaining.count == ids.count - gone.count)
        #expect(processor.isRunning)
    }
}

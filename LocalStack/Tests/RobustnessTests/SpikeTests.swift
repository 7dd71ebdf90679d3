import AWSClient
import Foundation
import LambdaEvents
import RuntimeAPIServer
import Testing
import ProcessTestSupport
import TestSupport

/// A traffic spike against DynamoDB's concurrency rule, which moto alone never shows: scripts/fault_proxy.py
/// in front of moto cancels a `TransactWriteItems` that touches an item another one holds (20 ms per
/// transaction) and refuses single writes to it. 400 page views connect at once over 8 DBUpdater processes.
///
/// The guarantee (docs/reliability.md): with the counter sharded (`COUNTER_SHARDS=8`) and conflicts retried
/// until the deadline, every `$connect` is answered 200 within its 10 s deadline and the total rises by
/// exactly 400. The same spike on one shard is measured too, for the figures that show why shards.
@Suite(.serialized) struct SpikeTests {
    static let connects = 400
    static let processes = 8
    static let contentionMs = 20

    struct Outcome {
        var statuses: [Int?] = []
        /// Per invocation: the time from when its process finished the one before (or from the start) to its
        /// answer. Each process serves its queue in order and its queue never runs dry during the spike, so
        /// that is how long the invocation itself took (the Runtime API's hand-over included).
        var latenciesMs: [Double] = []
        var conflicts = 0
        var total = 0
        var markers = 0
        var visitors = 0
        var visitorMarkers = 0
        var elapsedSeconds = 0.0
        var output = ""

        func percentile(_ p: Double) -> Double {
            let sorted = latenciesMs.sorted()
            guard !sorted.isEmpty else { return .nan }
            return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
        }
    }

    /// With `uniqueVisitors`, the 400 page views come from 100 visitors (4 each, as tabs), every one a new
    /// page view: 400 visits and 100 visitors, with one visitor marker each in the same transactions.
    static func spike(shards: Int, prefix: String, uniqueVisitors: Bool = false) async throws -> Outcome {
        let aws = try FaultyAWS()
        defer { aws.stop() }
        try aws.proxy.contention(ms: contentionMs)
        var started: [FunctionInstance] = []
        for _ in 0..<processes {
            started.append(try await FunctionInstance(binary: "DBUpdater") {
                aws.environment(runtimeAPI: $0, extra: [
                    "COUNTER_SHARDS": String(shards), "LOG_LEVEL": "warn", "UNIQUE_VISITORS": uniqueVisitors ? "true" : "false",
                ])
            })
        }
        let instances = started
        defer { Task { for instance in instances { await instance.stop() } } }

        let start = ContinuousClock.now
        let answers = try await withThrowingTaskGroup(of: (instance: Int, status: Int?, at: Duration).self) { group in
            for n in 0..<connects {
                group.addTask {
                    var event = WebSocketEvents.event(
                        route: "$connect", connectionId: WebSocketEvents.connectionId(n, prefix: prefix), visit: "spike-view-\(n)")
                    event.requestContext.identity = .init(sourceIp: "198.51.100.\(n % 100)", userAgent: "SpikeTests")
                    // Lambda's Timeout for DBUpdater: the server throws when no answer came by then.
                    let result = try await instances[n % processes].invoke(event, deadline: .seconds(10))
                    return (n % processes, result.statusCode, ContinuousClock.now - start)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        var outcome = Outcome()
        outcome.elapsedSeconds = Double((ContinuousClock.now - start) / .milliseconds(1)) / 1000
        outcome.statuses = answers.map(\.status)
        for instance in 0..<processes {
            let times = answers.filter { $0.instance == instance }.map { Double($0.at / .microseconds(1)) / 1000 }.sorted()
            outcome.latenciesMs += zip(times, [0] + times.dropLast()).map { $0 - $1 }
        }
        outcome.conflicts = try aws.proxy.stats().conflictsTotal
        outcome.total = try aws.shardTotals().visits
        outcome.markers = try aws.visitMarkers().count
        outcome.visitors = try aws.shardTotals().visitors
        outcome.visitorMarkers = try aws.visitorMarkers()
        outcome.output = instances.map(\.output).joined() + aws.log
        return outcome
    }

    @Test func fourHundredConcurrentConnectsOnEightShardsAreAllAnsweredAndCountedOnce() async throws {
        let sharded = try await Self.spike(shards: 8, prefix: "S")
        Artifacts.save("spike-8-shards", sharded.output)
        // One shard, for comparison: the figures show why shards (no assertion on its failures).
        let single = try await Self.spike(shards: 1, prefix: "O")
        Artifacts.save("spike-1-shard", single.output)
        for (name, outcome) in [("spike-8-shards", sharded), ("spike-1-shard", single)] {
            Artifacts.figures(name, [
                "connects": Self.connects, "processes": Self.processes, "contentionMs": Self.contentionMs,
                "answered200": outcome.statuses.count { $0 == 200 }, "errors": outcome.statuses.count { $0 != 200 },
                "total": outcome.total, "markers": outcome.markers, "conflicts": outcome.conflicts,
                "p50ms": Int(outcome.percentile(0.5)), "p99ms": Int(outcome.percentile(0.99)),
                "maxms": Int(outcome.latenciesMs.max() ?? 0), "elapsedS": outcome.elapsedSeconds,
            ])
        }

        #expect(sharded.statuses.count == Self.connects)
        #expect(sharded.statuses.allSatisfy { $0 == 200 }, "\(sharded.output.suffix(3000))")
        #expect(sharded.total == Self.connects, "the total rises by exactly 400")
        #expect(sharded.markers == Self.connects)
        #expect(sharded.conflicts > 0, "the contention model cancelled transactions: the retries were needed")
        // However one shard fared, it never counted a visit twice nor one it did not record.
        #expect(single.total == single.markers)
        #expect(single.conflicts > sharded.conflicts)
        #expect(sharded.visitors == 0 && sharded.visitorMarkers == 0, "unique visitors off: nothing of them is written")
    }

    /// The same spike with unique visitors on: the visitor markers are one item per visitor (no hot item),
    /// so the burst is still answered in full, and each visitor counts once however its tabs collide.
    @Test func fourHundredConcurrentConnectsWithUniqueVisitorsAreAllAnsweredAndEachVisitorCountedOnce() async throws {
        let outcome = try await Self.spike(shards: 8, prefix: "V", uniqueVisitors: true)
        Artifacts.save("spike-8-shards-unique-visitors", outcome.output)
        Artifacts.figures("spike-8-shards-unique-visitors", [
            "connects": Self.connects, "processes": Self.processes, "contentionMs": Self.contentionMs,
            "answered200": outcome.statuses.count { $0 == 200 }, "errors": outcome.statuses.count { $0 != 200 },
            "total": outcome.total, "visitors": outcome.visitors, "visitorMarkers": outcome.visitorMarkers,
            "conflicts": outcome.conflicts, "p50ms": Int(outcome.percentile(0.5)), "p99ms": Int(outcome.percentile(0.99)),
            "maxms": Int(outcome.latenciesMs.max() ?? 0), "elapsedS": outcome.elapsedSeconds,
        ])
        #expect(outcome.statuses.count == Self.connects)
        #expect(outcome.statuses.allSatisfy { $0 == 200 }, "\(outcome.output.suffix(3000))")
        #expect(outcome.total == Self.connects, "the total rises by exactly 400")
        #expect(outcome.markers == Self.connects)
        #expect(outcome.visitors == 100, "100 visitors, each counted once")
        #expect(outcome.visitorMarkers == 100)
    }
}

import Foundation
import LambdaEvents
import LambdaRuntime
import Synchronization
import Testing
import VisitorCounterCore

/// DBUpdater's metric line (`UpdaterMetrics`): one per request that reached the store, valid EMF, and
/// figures that follow what the store did.
@Suite struct UpdaterMetricsTests {
    let store = InMemoryCounterStore()
    let emitted = LogLines()
    let clock = TestClock(1_764_633_600_000 + 3_600_000)  // 2025-12-02T01:00:00Z

    func updater(unique: Bool = false, allowedOrigins: Set<String> = []) -> DBUpdaterHandler {
        let emitted = emitted
        let clock = clock
        return DBUpdaterHandler(
            configuration: FunctionConfiguration(allowedOrigins: allowedOrigins, uniqueVisitors: unique), store: store,
            now: { clock.read() }, functionName: "vc-DBUpdater-1", emit: { emitted.append(Array($0.utf8)) })
    }

    func lines() throws -> [[String: Any]] {
        try emitted.all.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
    }

    /// The metric names the line declares in its EMF directive, in order.
    func declared(_ line: [String: Any]) throws -> [String] {
        let aws = try #require(line["_aws"] as? [String: Any])
        let directives = try #require(aws["CloudWatchMetrics"] as? [[String: Any]])
        #expect(directives.count == 1)
        let metrics = try #require(directives.first?["Metrics"] as? [[String: Any]])
        return metrics.compactMap { $0["Name"] as? String }
    }

    func connect(_ h: DBUpdaterHandler, _ id: String, visit: String?, agent: String = "Firefox") throws -> APIGatewayWebSocketResponse {
        var event = Fixtures.webSocketEvent(route: "$connect", connectionId: id, visit: visit)
        event.requestContext.identity = .init(sourceIp: "203.0.113.9", userAgent: agent)
        return try h.handle(event, context: Fixtures.context())
    }

    @Test func theLineIsEmbeddedMetricFormatInTheCounterNamespaceWithOneDimension() throws {
        _ = try connect(updater(), "AAAAAAAAAAAAAAA=", visit: "page-view-one")
        let line = try #require(try lines().first)
        let aws = try #require(line["_aws"] as? [String: Any])
        #expect((aws["Timestamp"] as? NSNumber)?.int64Value == clock.read())
        let directive = try #require((aws["CloudWatchMetrics"] as? [[String: Any]])?.first)
        #expect(directive["Namespace"] as? String == "VisitorCounter")
        #expect(directive["Namespace"] as? String == BroadcastSummary.namespace)
        #expect(directive["Dimensions"] as? [[String]] == [["FunctionName"]])
        #expect(line["FunctionName"] as? String == "vc-DBUpdater-1")
        #expect(line["level"] as? String == "WARN", "the test context's LOG_LEVEL is error: the line must pass Lambda's filter")
        #expect(line["timestamp"] as? String == "2025-12-02T01:00:00.000Z")
        #expect(line["route"] as? String == "$connect")
        // Every declared metric is a number at the top level, with the unit Count.
        let metrics = try #require(directive["Metrics"] as? [[String: String]])
        for metric in metrics {
            let name = try #require(metric["Name"])
            #expect(line[name] is Int, "\(name) is missing or not a number")
            #expect(metric["Unit"] == "Count")
        }
        #expect(try declared(line) == ["visits", "handshakeErrors", "conflicts", "retries"])
    }

    @Test func visitsFollowWhatTheConnectCounted() throws {
        let h = updater()
        _ = try connect(h, "AAAAAAAAAAAAAAA=", visit: "page-view-one")
        _ = try connect(h, "BBBBBBBBBBBBBBB=", visit: "page-view-one")  // a reconnect of the same page view
        _ = try connect(h, "CCCCCCCCCCCCCCC=", visit: "page-view-two")
        let visits = try lines().map { $0["visits"] as? Int }
        #expect(visits == [1, 0, 1])
        #expect(try lines().allSatisfy { $0["newVisitors"] == nil && $0["handshakeErrors"] as? Int == 0 })
        #expect(store.state.withLock { $0.visits } == 2)
    }

    @Test func withUniqueVisitorsNewVisitorsIsDeclaredAndCountsTheFirstPageViewOfTheDay() throws {
        let h = updater(unique: true)
        _ = try connect(h, "AAAAAAAAAAAAAAA=", visit: "page-view-one")
        _ = try connect(h, "BBBBBBBBBBBBBBB=", visit: "page-view-two")  // same visitor, another tab
        _ = try connect(h, "CCCCCCCCCCCCCCC=", visit: "page-view-six", agent: "Chromium")  // another visitor
        let all = try lines()
        #expect(all.map { $0["newVisitors"] as? Int } == [1, 0, 1])
        #expect(all.map { $0["visits"] as? Int } == [1, 1, 1])
        #expect(try declared(try #require(all.first)) == ["visits", "newVisitors", "handshakeErrors", "conflicts", "retries"])
        #expect(UpdaterMetrics.metricNames.allSatisfy { name in all.allSatisfy { $0[name] is Int } })
        // The names the template's dashboard and alarms are checked against (tests/test_template.py) are the line's.
        #expect(Set(try declared(try #require(all.first))) == Set(UpdaterMetrics.metricNames))
    }

    @Test func retriesAndConflictsAreThoseOfThisInvocationNotTheStoresTotal() throws {
        store.state.withLock { $0.activityPerConnect = StoreActivity(retries: 3, conflicts: 2) }
        let h = updater()
        _ = try connect(h, "AAAAAAAAAAAAAAA=", visit: "page-view-one")
        _ = try connect(h, "BBBBBBBBBBBBBBB=", visit: "page-view-two")
        let all = try lines()
        #expect(all.map { $0["retries"] as? Int } == [3, 3])
        #expect(all.map { $0["conflicts"] as? Int } == [2, 2])
        #expect(store.activity == StoreActivity(retries: 6, conflicts: 4))
    }

    @Test func aFailedConnectIsAHandshakeErrorAndNoVisit() throws {
        store.state.withLock {
            $0.failConnects = true
            $0.activityPerConnect = StoreActivity(retries: 5, conflicts: 5)
        }
        #expect(throws: VisitorCounterError.self) { _ = try connect(updater(), "AAAAAAAAAAAAAAA=", visit: "page-view-one") }
        let line = try #require(try lines().first)
        #expect(line["handshakeErrors"] as? Int == 1)
        #expect(line["visits"] as? Int == 0)
        #expect(line["conflicts"] as? Int == 5)
        #expect(try lines().count == 1)
    }

    @Test func otherRoutesWriteOnlyConflictsAndRetriesSoEachConnectIsOneHandshakeSample() throws {
        let h = updater()
        _ = try connect(h, "AAAAAAAAAAAAAAA=", visit: "page-view-one")
        _ = try h.handle(Fixtures.webSocketEvent(route: "sync", body: #"{"action":"sync"}"#), context: Fixtures.context())
        _ = try h.handle(Fixtures.webSocketEvent(route: "history", body: #"{"action":"history"}"#), context: Fixtures.context())
        _ = try h.handle(Fixtures.webSocketEvent(route: "$disconnect", connectionId: "AAAAAAAAAAAAAAA="), context: Fixtures.context())
        let all = try lines()
        #expect(all.map { $0["route"] as? String } == ["$connect", "sync", "history", "$disconnect"])
        for line in all.dropFirst() {
            #expect(try declared(line) == ["conflicts", "retries"])
            #expect(line["visits"] == nil && line["handshakeErrors"] == nil && line["newVisitors"] == nil)
            #expect(line["conflicts"] as? Int == 0 && line["retries"] as? Int == 0)
        }
    }

    @Test func aRequestRefusedBeforeTheStoreWritesNoLine() throws {
        let h = updater(allowedOrigins: ["https://www.example.com"])
        #expect(try h.handle(Fixtures.webSocketEvent(route: "$connect", origin: "https://evil.example"), context: Fixtures.context()).statusCode == 403)
        #expect(try connect(h, "AAAAAAAAAAAAAAA=", visit: "bad visit id").statusCode == 400)
        #expect(try h.handle(Fixtures.webSocketEvent(route: "nonsense"), context: Fixtures.context()).statusCode == 400)
        #expect(emitted.all.isEmpty)
    }

    @Test func anyFunctionNameOrRouteStillMakesValidJSON() throws {
        var metrics = UpdaterMetrics(route: "we\"ird\\route\n\u{1}")
        metrics.visits = 1
        let line = metrics.logLine(timestamp: 0, functionName: "name \"quoted\" \\ ünïcode")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["route"] as? String == "we\"ird\\route\n\u{1}")
        #expect(object["FunctionName"] as? String == "name \"quoted\" \\ ünïcode")
        #expect(!line.contains("\n"))
        // Without a function name (outside Lambda) the metrics have no dimension.
        let bare = try #require(
            try JSONSerialization.jsonObject(with: Data(metrics.logLine(timestamp: 0, functionName: nil).utf8)) as? [String: Any])
        let directive = try #require(((bare["_aws"] as? [String: Any])?["CloudWatchMetrics"] as? [[String: Any]])?.first)
        #expect(directive["Dimensions"] as? [[String]] == [[]])
        #expect(bare["FunctionName"] == nil)
    }

    @Test func theBroadcastLineDeclaresExactlyItsMetricDefinitions() throws {
        let line = BroadcastSummary().logLine(timestamp: 0, functionName: "vc-DBStreamProcessor-1")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let directive = try #require(((object["_aws"] as? [String: Any])?["CloudWatchMetrics"] as? [[String: Any]])?.first)
        let metrics = try #require(directive["Metrics"] as? [[String: String]])
        #expect(metrics.map { $0["Name"] ?? "" } == BroadcastSummary.metricDefinitions.map(\.name))
        #expect(metrics.map { $0["Unit"] ?? "" } == BroadcastSummary.metricDefinitions.map(\.unit))
        #expect(BroadcastSummary.metricDefinitions.allSatisfy { object[$0.name] is Int })
    }

    @Test func theLinesLevelIsInfoUnlessLambdasFilterWouldDropIt() throws {
        let metrics = UpdaterMetrics(route: "$connect")
        func level(_ logLevel: LambdaLogger.Level) throws -> String? {
            let line = metrics.logLine(timestamp: 0, functionName: nil, logLevel: logLevel)
            return (try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["level"] as? String
        }
        #expect(try level(.debug) == "INFO")
        #expect(try level(.info) == "INFO")
        #expect(try level(.warn) == "WARN")
        #expect(try level(.error) == "WARN", "never ERROR: nothing failed")
        // Through the handler: the invocation's logger level decides.
        _ = try updater().handle(
            Fixtures.webSocketEvent(route: "sync", body: #"{"action":"sync"}"#), context: Fixtures.context(lines: LogLines()))
        #expect(try lines().first?["level"] as? String == "INFO")
    }
}

import Foundation
import LambdaEvents
import Synchronization
import Testing
import VisitorCounterCore

/// DBUpdater and DBStreamProcessor with unique visitors and history, against the in-memory store.
@Suite struct UniqueVisitorsHandlerTests {
    let store = InMemoryCounterStore()
    let clock = TestClock(1_764_633_600_000 + 3_600_000)  // 2025-12-02T01:00:00Z

    func updater(unique: Bool = true) -> DBUpdaterHandler {
        let clock = clock
        return DBUpdaterHandler(
            configuration: FunctionConfiguration(uniqueVisitors: unique), store: store, now: { clock.read() }, emit: { _ in })
    }

    func connect(
        _ h: DBUpdaterHandler, _ id: String, visit: String?, ip: String = "203.0.113.9", agent: String? = "Firefox",
        origin: String = "https://www.example.com"
    ) throws {
        var event = Fixtures.webSocketEvent(route: "$connect", connectionId: id, origin: origin, visit: visit)
        event.requestContext.identity = .init(sourceIp: ip, userAgent: agent)
        #expect(try h.handle(event, context: Fixtures.context()).statusCode == 200)
    }

    @Test func aVisitorCountsOncePerDayAcrossTabsAndReloads() throws {
        let h = updater()
        try connect(h, "AAAAAAAAAAAAAAA=", visit: "tab-one-view")
        try connect(h, "BBBBBBBBBBBBBBB=", visit: "tab-two-view")
        try connect(h, "CCCCCCCCCCCCCCC=", visit: "tab-one-view")  // a reconnect of the first tab
        store.state.withLock { s in
            #expect(s.visits == 2)
            #expect(s.visitors == 1)
        }
        try connect(h, "DDDDDDDDDDDDDDD=", visit: "other-agent-view", agent: "Chrome")
        try connect(h, "EEEEEEEEEEEEEEE=", visit: "other-site-view", origin: "https://blog.example")
        #expect(store.state.withLock { $0.visitors } == 3)
    }

    @Test func theSameVisitorCountsAgainTheNextDayWithTheNextDaysSalt() throws {
        let h = updater()
        try connect(h, "AAAAAAAAAAAAAAA=", visit: "monday-page-view")
        clock.advance(by: 86_400_000)
        try connect(h, "BBBBBBBBBBBBBBB=", visit: "tuesday-pageview")
        store.state.withLock { s in
            #expect(s.visitors == 2)
            #expect(s.salts.count == 2)
            #expect(Set(s.salts.values).count == 2, "each day has its own random salt")
            #expect(Set(s.visitorMarkers.map { $0.split(separator: "#")[1] }) == ["2025-12-02", "2025-12-03"])
        }
    }

    @Test func noIPAddressOrUserAgentIsHandedToTheStore() throws {
        try connect(updater(), "AAAAAAAAAAAAAAA=", visit: "private-view", ip: "198.51.100.77", agent: "SecretBrowser/1.0")
        let marker = try #require(store.state.withLock { $0.visitorMarkers.first })
        #expect(!marker.contains("198.51.100.77") && !marker.contains("SecretBrowser"))
        #expect(marker.hasPrefix("visitor#2025-12-02#") && !marker.hasPrefix("visitors"))
    }

    @Test func offCountsNoVisitorAndAsksForNoSalt() throws {
        let h = updater(unique: false)
        try connect(h, "AAAAAAAAAAAAAAA=", visit: "plain-page-view")
        store.state.withLock { s in
            #expect(s.visits == 1)
            #expect(s.visitors == nil)
            #expect(s.salts.isEmpty)
        }
        let sync = try h.handle(Fixtures.webSocketEvent(route: "sync", body: #"{"action":"sync"}"#), context: Fixtures.context())
        #expect(sync.body == #"{"visits":1}"#)
    }

    @Test func syncCarriesVisitorsWhenOn() throws {
        let h = updater()
        let before = try h.handle(Fixtures.webSocketEvent(route: "sync"), context: Fixtures.context())
        #expect(before.body == #"{"visits":0,"visitors":0}"#)
        try connect(h, "AAAAAAAAAAAAAAA=", visit: "synced-pageview")
        let after = try h.handle(Fixtures.webSocketEvent(route: "sync"), context: Fixtures.context())
        #expect(after.body == #"{"visits":1,"visitors":1}"#)
    }

    @Test func theRecordedHistoryEventIsAnsweredWithTheTotalsAndNoDaysBeforeHistoryBegins() throws {
        let event = try Fixtures.recorded("history.json", as: APIGatewayWebSocketRequest.self)
        let response = try updater(unique: false).handle(event, context: Fixtures.context())
        #expect(response.statusCode == 200)
        #expect(response.body == #"{"visits":0,"history":[]}"#)
    }

    @Test func historyAnswersWhatTheStreamProcessorRecorded() throws {
        let h = updater()
        let none = try h.handle(Fixtures.webSocketEvent(route: "history"), context: Fixtures.context())
        #expect(none.statusCode == 200)
        #expect(none.body == #"{"visits":0,"visitors":0,"history":[]}"#)
        let clock = clock
        let processor = StreamProcessorHandler(
            configuration: FunctionConfiguration(websocketAPIEndpoint: "https://x/prod", counterShards: 2, uniqueVisitors: true),
            store: store, channel: RecordingPushChannel(), now: { clock.read() }, emit: { _ in })
        let change = DynamoDBStreamEvent(records: [Fixtures.counterRecord(visits: "1", sequence: "1", id: "visitors#1")])
        _ = try processor.handle(change, context: Fixtures.context())  // history begins at 0
        try connect(h, "AAAAAAAAAAAAAAA=", visit: "first-page-view")
        try connect(h, "BBBBBBBBBBBBBBB=", visit: "second-pageview")
        _ = try processor.handle(change, context: Fixtures.context())
        _ = try processor.handle(change, context: Fixtures.context())  // the same batch again
        let answer = try h.handle(Fixtures.webSocketEvent(route: "history"), context: Fixtures.context())
        #expect(answer.body == #"{"visits":2,"visitors":1,"historySince":"2025-12-02","history":[{"day":"2025-12-02","visits":2,"visitors":1}]}"#)
        #expect(store.state.withLock { $0.recordedTotals.count } == 3)
    }
}

/// A wall clock the test sets (epoch milliseconds).
final class TestClock: Sendable {
    private let ms: Mutex<Int64>

    init(_ ms: Int64) { self.ms = Mutex(ms) }

    func read() -> Int64 { ms.withLock { $0 } }

    func advance(by delta: Int64) { ms.withLock { $0 += delta } }
}

/// The broadcast's `visitors`, and the history it records, with one shard (the image is the total).
@Suite struct UniqueVisitorsBroadcastTests {
    let store = InMemoryCounterStore()
    let channel = RecordingPushChannel()

    func processor(unique: Bool) -> StreamProcessorHandler {
        StreamProcessorHandler(
            configuration: FunctionConfiguration(websocketAPIEndpoint: "https://x/prod", uniqueVisitors: unique),
            store: store, channel: channel, now: { 1_764_633_600_000 }, emit: { _ in })
    }

    func batch(visits: String, visitors: String?, sequence: String) -> DynamoDBStreamEvent {
        var record = Fixtures.counterRecord(visits: visits, sequence: sequence)
        if let visitors { record.dynamodb.newImage?["visitors"] = .number(visitors) }
        return DynamoDBStreamEvent(records: [record])
    }

    @Test func theOneShardsImageCarriesTheVisitorsToEveryPageAndToTheHistory() throws {
        store.state.withLock { $0.connections["AAAAAAAAAAAAAAA="] = 1_764_633_000_000 }
        _ = try processor(unique: true).handle(batch(visits: "9", visitors: "4", sequence: "7"), context: Fixtures.context())
        #expect(channel.state.withLock { $0.received["AAAAAAAAAAAAAAA="] } == [#"{"visits":9,"visitors":4}"#])
        let recorded = store.state.withLock { $0.recordedTotals }
        #expect(recorded.map(\.0) == [HistoryTotals(visits: 9, visitors: 4)])
        #expect(recorded.map(\.1.text) == ["2025-12-02"])
    }

    @Test func offSendsNoVisitorsEvenWhenTheImageHasThemAndRecordsVisitsOnly() throws {
        store.state.withLock { $0.connections["AAAAAAAAAAAAAAA="] = 1_764_633_000_000 }
        _ = try processor(unique: false).handle(batch(visits: "9", visitors: "4", sequence: "7"), context: Fixtures.context())
        #expect(channel.state.withLock { $0.received["AAAAAAAAAAAAAAA="] } == [#"{"visits":9}"#])
        #expect(store.state.withLock { $0.recordedTotals.map(\.0) } == [HistoryTotals(visits: 9)])
    }
}

import AWSClient
import Foundation
import LambdaEvents
import Synchronization
import Testing
import ProcessTestSupport
import VisitorCounterCore

/// The day-bound items against moto, with the store's clock in the test's hands (the binaries read the
/// real clock): the salt shared by instances and rotated at midnight, and the history across midnight,
/// gaps of days and replays, answered as the `history` route answers it.
@Suite(.serialized) struct DailyItemsMotoTests {
    static let monday: Int64 = 1_764_547_200_000  // 2025-12-01T00:00:00Z

    final class Clock: Sendable {
        let ms: Mutex<Int64>
        init(_ ms: Int64) { self.ms = Mutex(ms) }
        func read() -> Int64 { ms.withLock { $0 } }
        func set(_ value: Int64) { ms.withLock { $0 = value } }
    }

    static func store(_ aws: LocalAWS, clock: Clock, unique: Bool = true, shards: Int = 2) -> DynamoDBCounterStore {
        DynamoDBCounterStore(
            client: aws.client,
            configuration: FunctionConfiguration(counterShards: shards, uniqueVisitors: unique), now: { clock.read() })
    }

    static var deadline: ContinuousClock.Instant { .now + .seconds(10) }

    func saltIds(_ aws: LocalAWS) throws -> Set<String> {
        Set(try aws.client.scan(table: aws.counterTable, consistentRead: true).allItems()
            .compactMap { $0["id"]?.stringValue }.filter { $0.hasPrefix("salt#") })
    }

    @Test func instancesShareTheDaysSaltAndTheNextDayDeletesThePreviousOne() throws {
        let aws = try LocalAWS()
        let clock = Clock(Self.monday + 3_600_000)
        let first = Self.store(aws, clock: clock)
        let second = Self.store(aws, clock: clock)
        let monday = UTCDay(epochMilliseconds: Self.monday)
        let salt = try first.visitorSalt(for: monday, deadline: Self.deadline)
        #expect(salt.count == 32)
        #expect(try second.visitorSalt(for: monday, deadline: Self.deadline) == salt, "the second instance reads the first's")
        #expect(try saltIds(aws) == ["salt#2025-12-01"])

        // Just after midnight: Tuesday's salt is new; Monday's stays for a connect still finishing.
        clock.set(Self.monday + 86_400_000 + 5_000)
        let tuesday = monday.adding(days: 1)
        let next = try second.visitorSalt(for: tuesday, deadline: Self.deadline)
        #expect(next != salt)
        #expect(try saltIds(aws) == ["salt#2025-12-01", "salt#2025-12-02"])
        // A minute in: the first instance's next connect deletes Monday's salt, and nobody can use it again.
        clock.set(Self.monday + 86_400_000 + 61_000)
        #expect(try first.visitorSalt(for: tuesday, deadline: Self.deadline) == next)
        #expect(try saltIds(aws) == ["salt#2025-12-02"])
    }

    @Test func aVisitorCountsOnceAcrossPageViewsAndInstancesOfTheDay() throws {
        let aws = try LocalAWS()
        let clock = Clock(Self.monday + 3_600_000)
        let stores = (0..<2).map { _ in Self.store(aws, clock: clock) }
        let day = UTCDay(epochMilliseconds: Self.monday)
        let salt = try stores[0].visitorSalt(for: day, deadline: Self.deadline)
        let visitor = VisitorMark(day: day, fingerprint: try VisitorFingerprint(salt: salt, sourceIp: "192.0.2.1", userAgent: "UA", site: nil))
        var outcomes: [ConnectOutcome] = []
        for (n, store) in (stores + stores).enumerated() {
            let connection = NewConnection(
                connectionId: "C\(n)AAAAAAAAAAAA=", connectedAt: Self.monday, visitId: "race-view-\(n)", liveViewers: false, visitor: visitor)
            outcomes.append(try store.connect(connection, deadline: Self.deadline))
        }
        #expect(outcomes == [.countedNewVisitor, .counted, .counted, .counted])
        let total = try stores[0].readCounter(deadline: Self.deadline)
        #expect(total.visits == "4" && total.visitors == "1")
    }

    @Test func historyAcrossMidnightGapsAndReplaysAddsUpAndAnswersThirtyDays() throws {
        let aws = try LocalAWS()
        let store = Self.store(aws, clock: Clock(Self.monday), unique: false)
        let monday = UTCDay(epochMilliseconds: Self.monday)
        func record(_ visits: Int64, on offset: Int64) throws {
            try store.recordHistory(HistoryTotals(visits: visits), today: monday.adding(days: offset), deadline: Self.deadline)
        }
        try record(100, on: 0)  // history begins
        try record(104, on: 0)
        try record(104, on: 0)  // a replay
        try record(103, on: 0)  // an older image
        try record(110, on: 1)  // the first record after midnight
        try record(125, on: 40)  // after a gap of 39 days without visits
        try record(125, on: 40)
        let itemsAfter = try aws.client.scan(table: aws.counterTable, consistentRead: true).allItems()
        try record(125, on: 40)  // delivered once more: nothing changes
        #expect(try aws.client.scan(table: aws.counterTable, consistentRead: true).allItems().count == itemsAfter.count)

        let today = monday.adding(days: 41)
        let stored = try store.readHistory(days: [today] + HistoryAnswer.earlierDays(before: today), deadline: Self.deadline)
        // The counter itself says 127 by now (two visits today not yet recorded).
        let answer = HistoryAnswer(
            live: HistoryTotals(visits: 127), pointer: stored.pointer, recorded: stored.recorded, today: today, uniqueVisitors: false)
        #expect(answer.since == "2025-12-01")
        #expect(answer.entries.count == 30)
        #expect(answer.entries.first?.day == today.adding(days: -29).text)
        let figures = Dictionary(uniqueKeysWithValues: answer.entries.map { ($0.day, $0.figures.visits) })
        #expect(figures[monday.adding(days: 40).text] == 15)
        #expect(figures[today.text] == 2)
        #expect(answer.entries.map(\.figures.visits).reduce(0, +) == 17)
        #expect(answer.totals.visits == 127)
        // All days since history began add up to the total less history's opening.
        let all = try store.readHistory(days: (0...41).map { monday.adding(days: $0) }, deadline: Self.deadline).recorded
        #expect(all.values.reduce(0) { $0 + $1.figures.visits } == 125 - 100)
        #expect(all[monday.text]?.figures.visits == 4 && all[monday.adding(days: 1).text]?.figures.visits == 6)
        // History items never look like counter shards to the stream filter.
        #expect(itemsAfter.compactMap { $0["id"]?.stringValue }.allSatisfy { !$0.hasPrefix("visitors") })
    }
}

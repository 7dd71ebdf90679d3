import Foundation
import Testing
import VisitorCounterCore

/// The history's arithmetic (docs/design.md, "History"): pointer updates are monotone and idempotent, the
/// days add up, and the answer is the 30-day window the page draws.
@Suite struct HistoryTests {
    let day0 = UTCDay(epochMilliseconds: 1_764_633_600_000)  // 2025-12-02T00:00:00Z

    @Test func utcDaysAreCalendarDaysInUTC() {
        #expect(day0.text == "2025-12-02")
        #expect(UTCDay(epochMilliseconds: 1_764_633_600_000 - 1).text == "2025-12-01")
        #expect(UTCDay(epochMilliseconds: 1_764_633_600_000 + 86_399_999) == day0)
        #expect(day0.adding(days: 30).text == "2026-01-01")
        #expect(UTCDay(epochMilliseconds: 951_782_400_000).text == "2000-02-29")
        #expect(day0.endEpochSeconds - day0.startEpochSeconds == 86_400)
    }

    @Test func historyBeginsFromTheFirstTotalRecorded() throws {
        let first = try #require(HistoryPointer.next(after: nil, observed: HistoryTotals(visits: 500), today: day0))
        #expect(first.since == "2025-12-02")
        #expect(first.current.opening == HistoryTotals(visits: 500))
        #expect(first.current.figures == HistoryTotals(visits: 0))
        #expect(first.version == 1)
    }

    @Test func anObservationThatRaisesNothingWritesNothing() throws {
        let pointer = try #require(HistoryPointer.next(after: nil, observed: HistoryTotals(visits: 10), today: day0))
        let later = try #require(HistoryPointer.next(after: pointer, observed: HistoryTotals(visits: 15), today: day0))
        // The same batch again, and an older image: nothing to write.
        #expect(HistoryPointer.next(after: later, observed: HistoryTotals(visits: 15), today: day0) == nil)
        #expect(HistoryPointer.next(after: later, observed: HistoryTotals(visits: 12), today: day0) == nil)
        // A stale total on a later day does not open a day below the last one.
        #expect(HistoryPointer.next(after: later, observed: HistoryTotals(visits: 12), today: day0.adding(days: 1)) == nil)
    }

    @Test func aNewDayOpensWhereTheLastRecordedDayClosedEvenAfterAGap() throws {
        var pointer = try #require(HistoryPointer.next(after: nil, observed: HistoryTotals(visits: 10, visitors: 4), today: day0))
        pointer = try #require(HistoryPointer.next(after: pointer, observed: HistoryTotals(visits: 18, visitors: 6), today: day0))
        let closed = pointer.current
        pointer = try #require(HistoryPointer.next(after: pointer, observed: HistoryTotals(visits: 21, visitors: 7), today: day0.adding(days: 5)))
        #expect(pointer.current.day == "2025-12-07")
        #expect(pointer.current.opening == closed.latest)
        #expect(pointer.current.figures == HistoryTotals(visits: 3, visitors: 1))
        #expect(pointer.since == "2025-12-02")
    }

    @Test func theDaysAddUpToTheTotalSinceHistoryBeganWhateverTheOrderAndRepeats() throws {
        // Observations on 40 days, each delivered 1-3 times, some out of order within a day.
        var pointer: HistoryPointer?
        var days: [String: HistoryDay] = [:]
        var total: Int64 = 1_000
        var generator = SystemRandomNumberGenerator()
        for offset in stride(from: 0, to: 40, by: Int.random(in: 1...3, using: &generator)) {
            var seen: [Int64] = []
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                total += Int64.random(in: 0...9, using: &generator)
                seen.append(total)
            }
            for observed in (seen + seen.prefix(1)).shuffled(using: &generator) {
                let today = day0.adding(days: Int64(offset))
                if let next = HistoryPointer.next(after: pointer, observed: HistoryTotals(visits: observed), today: today) {
                    pointer = next
                    days[next.current.day] = next.current
                }
            }
        }
        let finished = try #require(pointer)
        let first = try #require(days[finished.since])
        #expect(days.values.reduce(0) { $0 + $1.figures.visits } == finished.current.latest.visits - first.opening.visits)
        #expect(finished.current.latest.visits == total)
    }

    @Test func theAnswerIsThirtyConsecutiveDaysOldestFirstZeroFilledWithTodayLive() throws {
        let today = day0.adding(days: 40)
        var recorded: [String: HistoryDay] = [:]
        let old = HistoryDay(day: today.adding(days: -3).text, opening: HistoryTotals(visits: 90), latest: HistoryTotals(visits: 100))
        recorded[old.day] = old
        let pointer = HistoryPointer(since: day0.text, current: old, version: 7)
        let answer = HistoryAnswer(
            live: HistoryTotals(visits: 104), pointer: pointer, recorded: recorded, today: today, uniqueVisitors: false)
        #expect(answer.entries.count == 30)
        #expect(answer.entries.first?.day == today.adding(days: -29).text)
        #expect(answer.entries.last?.day == today.text)
        #expect(answer.entries[26].figures.visits == 10)
        // Today opens where the last recorded day closed: 104 − 100.
        #expect(answer.entries.last?.figures.visits == 4)
        #expect(answer.entries.map(\.figures.visits).reduce(0, +) == 14)
        #expect(answer.totals == HistoryTotals(visits: 104))
        let json = answer.json
        #expect(json.hasPrefix(#"{"visits":104,"historySince":"2025-12-02","history":[{"day":""#))
        #expect(!json.contains("visitors"))
    }

    @Test func theAnswerStartsAtHistorySinceAndCarriesVisitorsWhenOn() throws {
        let today = day0.adding(days: 1)
        let current = HistoryDay(
            day: today.text, opening: HistoryTotals(visits: 50, visitors: 20), latest: HistoryTotals(visits: 53, visitors: 21))
        let yesterday = HistoryDay(
            day: day0.text, opening: HistoryTotals(visits: 45, visitors: 18), latest: HistoryTotals(visits: 50, visitors: 20))
        let pointer = HistoryPointer(since: day0.text, current: current, version: 3)
        let answer = HistoryAnswer(
            live: HistoryTotals(visits: 55, visitors: 22), pointer: pointer, recorded: [day0.text: yesterday], today: today,
            uniqueVisitors: true)
        #expect(answer.json == #"{"visits":55,"visitors":22,"historySince":"2025-12-02","history":[{"day":"2025-12-02","visits":5,"visitors":2},{"day":"2025-12-03","visits":5,"visitors":2}]}"#)
    }

    @Test func withoutHistoryTheAnswerHasNoDaysAndNoSince() {
        let answer = HistoryAnswer(live: HistoryTotals(visits: 7), pointer: nil, recorded: [:], today: day0, uniqueVisitors: true)
        #expect(answer.json == #"{"visits":7,"visitors":0,"history":[]}"#)
    }

    @Test func aLiveTotalReadAMomentBeforeThePointerNeverMakesTodayNegative() throws {
        let current = HistoryDay(day: day0.text, opening: HistoryTotals(visits: 10), latest: HistoryTotals(visits: 20))
        let answer = HistoryAnswer(
            live: HistoryTotals(visits: 18), pointer: HistoryPointer(since: day0.text, current: current, version: 2),
            recorded: [:], today: day0, uniqueVisitors: false)
        #expect(answer.totals.visits == 20)
        #expect(answer.entries.map(\.figures.visits) == [10])
    }

    @Test func fingerprintsDependOnEveryFieldAndTheSalt() throws {
        let salt = [UInt8](repeating: 7, count: 32)
        let base = try VisitorFingerprint(salt: salt, sourceIp: "203.0.113.9", userAgent: "UA", site: "https://a.example")
        #expect(base.hash.count == 64)
        #expect(try base == VisitorFingerprint(salt: salt, sourceIp: "203.0.113.9", userAgent: "UA", site: "https://a.example"))
        #expect(try base != VisitorFingerprint(salt: [UInt8](repeating: 8, count: 32), sourceIp: "203.0.113.9", userAgent: "UA", site: "https://a.example"))
        #expect(try base != VisitorFingerprint(salt: salt, sourceIp: "203.0.113.10", userAgent: "UA", site: "https://a.example"))
        #expect(try base != VisitorFingerprint(salt: salt, sourceIp: "203.0.113.9", userAgent: "UA2", site: "https://a.example"))
        #expect(try base != VisitorFingerprint(salt: salt, sourceIp: "203.0.113.9", userAgent: "UA", site: "https://b.example"))
        // Fields cannot run into each other.
        #expect(try VisitorFingerprint(salt: salt, sourceIp: "1", userAgent: "23", site: nil)
            != VisitorFingerprint(salt: salt, sourceIp: "12", userAgent: "3", site: nil))
    }
}

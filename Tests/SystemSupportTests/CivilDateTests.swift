import SystemSupport
import Testing

/// The one civil-date computation, at the edges the log timestamps and `X-Amz-Date` meet: the epoch,
/// leap days, century rules, days before 1970 and the ends of four-digit years.
@Suite struct CivilDateTests {
    static func ymd(_ date: CivilDate) -> [Int] { [date.year, date.month, date.day] }

    static let known: [(days: Int64, date: [Int])] = [
        (0, [1970, 1, 1]),
        (-1, [1969, 12, 31]),
        (11_016, [2000, 2, 29]),  // 2000 is a leap year (divisible by 400)
        (11_017, [2000, 3, 1]),
        (-25_508, [1900, 3, 1]),  // 1900 is not (divisible by 100): 28 February is followed by 1 March
        (-25_509, [1900, 2, 28]),
        (20_786, [2026, 11, 29]),
        (-719_162, [1, 1, 1]),
        (2_932_896, [9999, 12, 31]),
    ]

    @Test(arguments: known)
    func daysSince1970(days: Int64, expected: [Int]) {
        #expect(Self.ymd(CivilDate(daysSince1970: days)) == expected)
    }

    @Test func everyDayFollowsThePrevious() {
        // Walks 1600-03-01 ... 2400-03-01 (two 400-year eras) one day at a time: the next day is the same
        // month's next day, or the 1st of the next month, or 1 January of the next year.
        var previous = CivilDate(daysSince1970: -135_080)
        #expect(Self.ymd(previous) == [1600, 3, 1])
        for days in Int64(-135_079)...157_113 {
            let date = CivilDate(daysSince1970: days)
            let sameMonth = date.year == previous.year && date.month == previous.month && date.day == previous.day + 1
            let nextMonth = date.year == previous.year && date.month == previous.month + 1 && date.day == 1
            let nextYear = date.year == previous.year + 1 && date.month == 1 && date.day == 1 && previous.month == 12
            #expect(sameMonth || nextMonth || nextYear, "day \(days): \(Self.ymd(date)) after \(Self.ymd(previous))")
            #expect(date.day <= 31)
            previous = date
        }
        #expect(Self.ymd(previous) == [2400, 2, 29])
    }

    @Test func utcSplitsDateAndSecondOfDay() {
        let noon = CivilDate.utc(epochSeconds: 1_764_374_400 + 12 * 3600 + 61)
        #expect(Self.ymd(noon.date) == [2025, 11, 29] && noon.secondOfDay == 12 * 3600 + 61)
        // Before 1970 the day rounds toward the past: one second before the epoch is the last of 1969-12-31.
        let before = CivilDate.utc(epochSeconds: -1)
        #expect(Self.ymd(before.date) == [1969, 12, 31] && before.secondOfDay == 86_399)
        let midnight = CivilDate.utc(epochSeconds: -86_400)
        #expect(Self.ymd(midnight.date) == [1969, 12, 31] && midnight.secondOfDay == 0)
    }
}

/// A day of the proleptic Gregorian calendar in UTC, from a day count since 1970-01-01, with plain integer
/// arithmetic: no Foundation calendar, no ICU, no time-zone database. The one home of this arithmetic for
/// the runtime's ISO-8601 log timestamps and the signer's `X-Amz-Date`.
package struct CivilDate: Sendable, Hashable {
    /// The year (0001 for 1 AD; 0 and below before it, as in ISO 8601's astronomical numbering).
    package let year: Int
    /// 1...12.
    package let month: Int
    /// 1...31.
    package let day: Int

    /// The date `days` days after 1970-01-01 (before it when negative), after Howard Hinnant's
    /// `civil_from_days` (http://howardhinnant.github.io/date_algorithms.html#civil_from_days):
    /// counts in 400-year eras that start on 0000-03-01, so leap days fall at the end of a year.
    package init(daysSince1970 days: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        day = Int(dayOfYear - (153 * shiftedMonth + 2) / 5 + 1)
        month = Int(shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9)
        year = Int(yearOfEra + era * 400 + (month <= 2 ? 1 : 0))
    }

    /// The date and the second of that day (0...86_399) of `seconds` since 1970-01-01T00:00:00Z
    /// (POSIX time: no leap seconds). Rounds toward the past for negative times.
    package static func utc(epochSeconds seconds: Int64) -> (date: CivilDate, secondOfDay: Int) {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        return (CivilDate(daysSince1970: days), Int(seconds - days * 86_400))
    }
}

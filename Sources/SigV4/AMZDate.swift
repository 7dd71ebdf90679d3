/// A request time in SigV4's basic ISO 8601 form, `yyyyMMdd'T'HHmmss'Z'` in UTC, computed from epoch
/// seconds with plain integer arithmetic (no DateFormatter, no ICU, no time-zone database).
///
/// See https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
struct AMZDate {
    /// The 16 ASCII bytes of `yyyyMMdd'T'HHmmss'Z'`: the X-Amz-Date value.
    let dateTime: [UInt8]

    /// The first 8 bytes, `yyyyMMdd`: the date of the credential scope and of the signing key.
    var date: ArraySlice<UInt8> { dateTime[0..<8] }

    /// `dateTime` as a String.
    var dateTimeString: String { String(decoding: dateTime, as: UTF8.self) }

    /// The time of `date`, clamped to years 0001...9999.
    init(_ date: UnixTime) {
        self.init(epochSeconds: Self.epochSeconds(date))
    }

    /// The epoch seconds of `date`, clamped to years 0001...9999 (the four-digit years of the format).
    static func epochSeconds(_ date: UnixTime) -> Int64 {
        // -62135596800 is 0001-01-01T00:00:00Z, 253402300799 is 9999-12-31T23:59:59Z.
        min(max(date.secondsSince1970, -62_135_596_800), 253_402_300_799)
    }

    /// The time `epochSeconds` after 1970-01-01T00:00:00Z (no leap seconds, as in POSIX time).
    init(epochSeconds: Int64) {
        let days = epochSeconds >= 0 ? epochSeconds / 86_400 : (epochSeconds - 86_399) / 86_400
        let secondOfDay = Int(epochSeconds - days * 86_400)
        let (year, month, day) = Self.civil(fromDays: days)
        var out = [UInt8]()
        out.reserveCapacity(16)
        Self.append(year, digits: 4, to: &out)
        Self.append(month, digits: 2, to: &out)
        Self.append(day, digits: 2, to: &out)
        out.append(UInt8(ascii: "T"))
        Self.append(secondOfDay / 3600, digits: 2, to: &out)
        Self.append(secondOfDay / 60 % 60, digits: 2, to: &out)
        Self.append(secondOfDay % 60, digits: 2, to: &out)
        out.append(UInt8(ascii: "Z"))
        dateTime = out
    }

    /// Proleptic Gregorian year, month, day of a day count since 1970-01-01, after Howard Hinnant's
    /// `civil_from_days` (http://howardhinnant.github.io/date_algorithms.html#civil_from_days):
    /// counts in 400-year eras that start on 0000-03-01, so leap days fall at the end of a year.
    static func civil(fromDays days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (Int(year), Int(month), Int(day))
    }

    /// Appends `value` as exactly `digits` decimal digits, zero-padded.
    private static func append(_ value: Int, digits: Int, to out: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<digits { divisor *= 10 }
        while divisor > 0 {
            out.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
            divisor /= 10
        }
    }
}

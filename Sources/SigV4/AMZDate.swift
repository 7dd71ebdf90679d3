import SystemSupport

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
        let (date, secondOfDay) = CivilDate.utc(epochSeconds: epochSeconds)
        var out = [UInt8]()
        out.reserveCapacity(16)
        Self.append(date.year, digits: 4, to: &out)
        Self.append(date.month, digits: 2, to: &out)
        Self.append(date.day, digits: 2, to: &out)
        out.append(UInt8(ascii: "T"))
        Self.append(secondOfDay / 3600, digits: 2, to: &out)
        Self.append(secondOfDay / 60 % 60, digits: 2, to: &out)
        Self.append(secondOfDay % 60, digits: 2, to: &out)
        out.append(UInt8(ascii: "Z"))
        dateTime = out
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

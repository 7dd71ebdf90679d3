#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import SystemSupport

/// Wall-clock time and its ISO-8601 form, without Foundation's formatters (they pull in ICU).
///
/// Lambda deadlines are Unix epoch milliseconds, so the wall clock is needed once per invocation to
/// turn a deadline into a monotonic `ContinuousClock.Instant`.
public enum WallClock {
    /// Milliseconds since the Unix epoch, now.
    public static func epochMilliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }

    /// `2026-11-29T06:47:25.123Z`: ISO-8601, UTC, milliseconds, as CloudWatch's JSON log format uses.
    public static func iso8601(epochMilliseconds ms: Int64) -> String {
        let millis = Int(((ms % 1000) + 1000) % 1000)
        let (date, secondOfDay) = CivilDate.utc(epochSeconds: (ms - Int64(millis)) / 1000)
        return pad(date.year, 4) + "-" + pad(date.month, 2) + "-" + pad(date.day, 2) + "T"
            + pad(secondOfDay / 3600, 2) + ":" + pad(secondOfDay / 60 % 60, 2) + ":" + pad(secondOfDay % 60, 2)
            + "." + pad(millis, 3) + "Z"
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}

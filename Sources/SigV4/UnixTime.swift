#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A point in wall-clock time as whole seconds since 1970-01-01T00:00:00Z (POSIX time, no leap seconds):
/// all a SigV4 signature needs of a date, read from the C library's `clock_gettime(CLOCK_REALTIME)`.
/// It replaces Foundation's `Date` in the signer's API, so the bootstraps need no Foundation.
public struct UnixTime: Sendable, Hashable, Comparable {
    /// Seconds since the epoch; negative before 1970.
    public var secondsSince1970: Int64

    /// The time `secondsSince1970` after the epoch.
    public init(secondsSince1970: Int64) {
        self.secondsSince1970 = secondsSince1970
    }

    /// The time `interval` seconds after the epoch, truncated towards the past to whole seconds (as the
    /// signature's `X-Amz-Date` is); a NaN counts as the epoch, infinities clamp to the Int64 range.
    public init(timeIntervalSince1970 interval: Double) {
        if interval.isNaN {
            secondsSince1970 = 0
        } else {
            // 9.2e18 rather than Int64.max: the largest Double below 2^63 converts without trapping.
            let clamped = min(max(interval.rounded(.down), -9.2e18), 9.2e18)
            secondsSince1970 = Int64(clamped)
        }
    }

    /// The current wall-clock time.
    public static func now() -> UnixTime {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return UnixTime(secondsSince1970: Int64(now.tv_sec))
    }

    /// The time `seconds` later (earlier when negative).
    public func adding(seconds: Int64) -> UnixTime {
        UnixTime(secondsSince1970: secondsSince1970 + seconds)
    }

    /// Earlier than.
    public static func < (lhs: UnixTime, rhs: UnixTime) -> Bool {
        lhs.secondsSince1970 < rhs.secondsSince1970
    }
}

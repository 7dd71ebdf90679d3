#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Blocks the calling thread: the Lambda path is synchronous by design (no Dispatch, no async), so the
/// runtime's back-off and the AWS client's retry delays wait here.
package enum BlockingSleep {
    /// Sleeps for `duration`; returns at once for zero or a negative duration.
    package static func sleep(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        guard seconds > 0 || attoseconds > 0 else { return }
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
        var remaining = timespec()
        // nanosleep returns early on a signal; sleep the rest.
        while nanosleep(&request, &remaining) != 0 && errno == EINTR {
            request = remaining
        }
    }
}

import CurlHTTP

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What the clients need from HTTP: one blocking exchange. `HTTPClient` in production; an in-memory
/// fake in the seam tests.
protocol HTTPTransport: AnyObject {
    /// Sends `request` and returns the whole response.
    func execute(_ request: HTTPRequest) throws(HTTPClientError) -> HTTPResponse
}

extension HTTPClient: HTTPTransport {}

/// Blocks the calling thread for `duration` (the Lambda path has no Dispatch and no async).
func sleepBlocking(_ duration: Duration) {
    let nanoseconds = duration.nanoseconds
    guard nanoseconds > 0 else { return }
    var request = timespec(tv_sec: Int(nanoseconds / 1_000_000_000), tv_nsec: Int(nanoseconds % 1_000_000_000))
    var remaining = timespec()
    // nanosleep returns early on a signal; sleep the rest.
    while nanosleep(&request, &remaining) != 0 && errno == EINTR {
        request = remaining
    }
}

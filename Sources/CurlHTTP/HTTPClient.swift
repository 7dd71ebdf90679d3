import CCurl

/// A blocking HTTP client over one libcurl easy handle: one request at a time, keep-alive
/// connections reused across requests (and across Lambda invocations).
///
/// Making a client does not load libcurl (about 30 shared libraries and OpenSSL's initialisation): the
/// first request does, or waits for a load `startLoadingLibraryIfNeeded()` began on a background thread.
/// The Lambda runtime calls that once its first `/next` is on the wire, so the load overlaps the wait for
/// the first event instead of preceding it. A libcurl that cannot be loaded fails every request with
/// `.libraryUnavailable`, whose message names each candidate tried and its error.
///
/// Not thread-safe: give each thread its own client.
public final class HTTPClient {
    private let connectTimeout: Duration
    /// Made by the first request, once libcurl is loaded.
    private var transfer: CurlTransfer?

    /// - Parameter connectTimeout: limit for establishing a connection (TCP and TLS).
    /// - Throws: nothing since libcurl loads on first use; the signature is kept for source compatibility.
    public init(connectTimeout: Duration = .seconds(3)) throws(HTTPClientError) {
        self.connectTimeout = connectTimeout
        vc_curl_want()
    }

    /// Starts loading libcurl on a background thread (once per process) if an `HTTPClient` has been made;
    /// returns at once. Without a client nothing is loaded: a function that makes no AWS calls never pays
    /// for libcurl's libraries in memory.
    package static func startLoadingLibraryIfNeeded() {
        // A thread that cannot start only means the first request loads libcurl itself.
        _ = vc_curl_start_loading_if_wanted()
    }

    /// Has the background thread `startLoadingLibraryIfNeeded()` starts run `work` just before it loads
    /// libcurl: for another library the first request needs (the AWS client's libcrypto). The dynamic
    /// loader takes one load at a time, so a library the request's thread opened itself would wait for
    /// all of libcurl's ~30; opened first on that thread, it is ready a few milliseconds earlier.
    /// Runs at most once, and only if that thread starts; `work` must tolerate never running.
    package static func warmUpBeforeLoading(_ work: @convention(c) () -> Void) {
        vc_curl_set_warm_up(work)
    }

    /// Sends `request` and waits for the whole response.
    /// - Throws: `HTTPClientError` when no HTTP response arrived; any HTTP status is a response.
    public func execute(_ request: HTTPRequest) throws(HTTPClientError) -> HTTPResponse {
        let transfer: CurlTransfer
        if let existing = self.transfer {
            transfer = existing
        } else {
            transfer = try makeTransfer()
        }
        try transfer.prepare(request)
        return try transfer.finish(vc_easy_perform(transfer.handle)).get()
    }

    private func makeTransfer() throws(HTTPClientError) -> CurlTransfer {
        let made = try CurlTransfer(connectTimeout: connectTimeout)
        transfer = made
        return made
    }
}

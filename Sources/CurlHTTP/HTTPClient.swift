import CCurl

/// A blocking HTTP client over one libcurl easy handle: one request at a time, keep-alive
/// connections reused across requests (and across Lambda invocations).
///
/// Making a client does not wait for libcurl: it starts loading it on a background thread (once per
/// process) and the first request waits for that load, so a function that makes its clients at start
/// overlaps the load (about 30 shared libraries and OpenSSL's initialisation) with its wait for the
/// first event. A libcurl that cannot be loaded fails every request with `.libraryUnavailable`, whose
/// message names each candidate tried and its error.
///
/// Not thread-safe: give each thread its own client.
public final class HTTPClient {
    private let connectTimeout: Duration
    /// Made by the first request, once libcurl is loaded.
    private var transfer: CurlTransfer?

    /// - Parameter connectTimeout: limit for establishing a connection (TCP and TLS).
    /// - Throws: never today; kept throwing so that a client made before libcurl is needed stays source-compatible.
    public init(connectTimeout: Duration = .seconds(3)) throws(HTTPClientError) {
        self.connectTimeout = connectTimeout
        CurlTransfer.startLoadingLibrary()
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

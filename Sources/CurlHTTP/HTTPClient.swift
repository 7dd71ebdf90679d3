import CCurl

/// A blocking HTTP client over one libcurl easy handle: one request at a time, keep-alive
/// connections reused across requests (and across Lambda invocations).
///
/// Not thread-safe: give each thread its own client.
public final class HTTPClient {
    private let transfer: CurlTransfer

    /// - Parameter connectTimeout: limit for establishing a connection (TCP and TLS).
    public init(connectTimeout: Duration = .seconds(3)) throws(HTTPClientError) {
        transfer = try CurlTransfer(connectTimeout: connectTimeout)
    }

    /// Sends `request` and waits for the whole response.
    /// - Throws: `HTTPClientError` when no HTTP response arrived; any HTTP status is a response.
    public func execute(_ request: HTTPRequest) throws(HTTPClientError) -> HTTPResponse {
        try transfer.prepare(request)
        return try transfer.finish(vc_easy_perform(transfer.handle)).get()
    }
}

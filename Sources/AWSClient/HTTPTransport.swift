import CurlHTTP

/// What the clients need from HTTP: one blocking exchange. `HTTPClient` in production; an in-memory
/// fake in the seam tests.
protocol HTTPTransport: AnyObject {
    /// Sends `request` and returns the whole response.
    func execute(_ request: HTTPRequest) throws(HTTPClientError) -> HTTPResponse
}

extension HTTPClient: HTTPTransport {}

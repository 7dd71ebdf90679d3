/// One HTTP request, as it goes on the wire.
public struct HTTPRequest: Sendable {
    /// HTTP methods the project uses.
    public enum Method: String, Sendable {
        case get = "GET", post = "POST", put = "PUT", delete = "DELETE", head = "HEAD"
    }

    public var method: Method
    /// Absolute URL exactly as sent: path and query already percent-encoded by the caller
    /// (SigV4 signs the encoded form, so nothing here re-encodes it).
    public var url: String
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// Limit for the whole transfer; nil waits forever (the Runtime API's `/next` needs that).
    public var timeout: Duration?

    public init(
        method: Method,
        url: String,
        headers: HTTPHeaders = HTTPHeaders(),
        body: [UInt8] = [],
        timeout: Duration? = .seconds(30)
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}

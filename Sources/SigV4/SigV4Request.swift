/// The parts of an HTTP request that SigV4 signs, exactly as they go on the wire.
///
/// The signer reads and appends headers; it never re-encodes `path` or `query` for sending,
/// so what is signed is what the HTTP client sends.
public struct SigV4Request: Sendable {
    /// The HTTP method, e.g. `GET`, `POST`; used as given (HTTP methods are case-sensitive).
    public var method: String
    /// The path exactly as sent on the wire (already percent-encoded), e.g. `/prod/%40connections/abc%3D`.
    public var path: String
    /// The query as sent on the wire, without the leading `?`; empty when there is none.
    public var query: String
    /// The header fields in order, duplicates allowed. Must contain `host` for AWS to accept the signature.
    public var headers: [(name: String, value: String)]
    /// The body; its SHA-256 is the payload hash of the canonical request.
    public var body: [UInt8]

    /// Creates a request from its wire parts. `headers` must include `Host`.
    public init(
        method: String,
        path: String,
        query: String = "",
        headers: [(name: String, value: String)],
        body: [UInt8] = []
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// The first value of the header `name` (ASCII case-insensitive), or nil.
    public func header(_ name: String) -> String? {
        headers.first { ASCII.equalsIgnoringCase($0.name, name) }?.value
    }
}

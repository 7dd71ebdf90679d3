/// The parts shared by every request of a batch (`HTTPClientPool.run(_:template:...)`): method, body
/// and fixed header fields, checked and handed to libcurl once per run. Each attempt then adds only its
/// URL, a few header fields (such as a signature) and its timeout.
package struct HTTPRequestTemplate: Sendable {
    /// What one attempt adds to the template.
    package struct Attempt: Sendable {
        /// Absolute URL exactly as sent (already percent-encoded).
        public var url: String
        /// Fields sent before the template's fields.
        public var headers: [(name: String, value: String)]
        /// Limit for the whole transfer; nil waits forever.
        public var timeout: Duration?

        public init(url: String, headers: [(name: String, value: String)] = [], timeout: Duration?) {
            self.url = url
            self.headers = headers
            self.timeout = timeout
        }
    }

    public var method: HTTPRequest.Method
    /// Fields sent with every attempt.
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(method: HTTPRequest.Method, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.method = method
        self.headers = headers
        self.body = body
    }
}

/// Why a request got no HTTP response. One error type for the module.
public struct HTTPClientError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure, so callers can decide on retries without reading curl codes.
    public enum Code: String, Sendable {
        /// libcurl could not be loaded or initialised.
        case libraryUnavailable
        /// The request could not be handed to libcurl (bad URL, bad option).
        case invalidRequest
        /// The host name did not resolve.
        case dns
        /// TCP connect failed or was refused.
        case connect
        /// The connect or total timeout passed.
        case timeout
        /// TLS handshake or certificate verification failed.
        case tls
        /// Sending the request failed after connecting.
        case send
        /// Receiving the response failed (reset, truncated, malformed).
        case receive
        /// Anything else libcurl reported.
        case other
    }

    public var code: Code
    /// libcurl's CURLcode, when libcurl reported the failure.
    package var curlCode: Int?
    /// libcurl's description or our own.
    public var message: String
    /// Where: scheme, host and port of the request (never the query, which may carry tokens).
    public var target: String

    public init(code: Code, curlCode: Int? = nil, message: String, target: String) {
        self.code = code
        self.curlCode = curlCode
        self.message = message
        self.target = target
    }

    public var description: String {
        "\(code.rawValue) error for \(target): \(message)" + (curlCode.map { " (curl \($0))" } ?? "")
    }

    /// Timeouts, refused connects and broken connections are worth another try; DNS, TLS and
    /// invalid requests are not.
    package var isTransient: Bool {
        switch code {
        case .timeout, .connect, .send, .receive: true
        case .libraryUnavailable, .invalidRequest, .dns, .tls, .other: false
        }
    }
}

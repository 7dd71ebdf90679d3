import CCurl

extension CurlTransfer {
    /// Rejects what curl would send differently from what the caller meant: a NUL would cut the C
    /// string short, and CR/LF in a header would inject further header lines.
    /// The error's target is only worked out when there is an error (this runs for every request).
    static func validate(_ request: HTTPRequest) throws(HTTPClientError) {
        func invalid(_ message: String) -> HTTPClientError {
            HTTPClientError(code: .invalidRequest, message: message, target: target(of: request.url))
        }
        let scheme = request.url.prefix { $0 != ":" }.lowercased()
        guard scheme == "http" || scheme == "https", request.url.dropFirst(scheme.count).hasPrefix("://") else {
            throw invalid("URL must be absolute http:// or https://")
        }
        // Spaces and control characters must already be percent-encoded.
        if request.url.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F }) {
            throw invalid("URL contains a space or control character")
        }
        for field in request.headers {
            if field.name.isEmpty || !field.name.utf8.allSatisfy(isTokenByte) {
                throw invalid("header name is not an HTTP token")
            }
            if field.value.utf8.contains(where: { ($0 < 0x20 && $0 != 0x09) || $0 == 0x7F }) {
                // The value is not echoed: it may be a credential.
                throw invalid("value of header \(field.name) contains a control character")
            }
        }
    }

    /// RFC 9110 §5.6.2 `tchar`.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }

    /// Maps curl's result to the module's error kinds, so callers decide on retries without curl codes.
    static func classify(_ code: CURLcode) -> HTTPClientError.Code {
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: .dns
        case CURLE_COULDNT_CONNECT: .connect
        case CURLE_OPERATION_TIMEDOUT: .timeout
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ISSUER_ERROR,
            CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CRL_BADFILE, CURLE_USE_SSL_FAILED,
            CURLE_SSL_SHUTDOWN_FAILED, CURLE_SSL_CLIENTCERT:
            .tls
        case CURLE_SEND_ERROR: .send
        case CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE, CURLE_WEIRD_SERVER_REPLY, CURLE_HTTP2,
            CURLE_HTTP2_STREAM:
            .receive
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL, CURLE_BAD_FUNCTION_ARGUMENT: .invalidRequest
        default: .other
        }
    }

    /// `scheme://host:port` of a URL, for error messages: never the user info, path or query (they
    /// may carry credentials or tokens). The port is the scheme's default when the URL has none.
    static func target(of url: String) -> String {
        guard let colon = url.firstIndex(of: ":"), url[colon...].hasPrefix("://") else { return "?" }
        let scheme = url[..<colon].lowercased()
        let rest = url[url.index(colon, offsetBy: 3)...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let hostPort = authority.split(separator: "@", omittingEmptySubsequences: false).last ?? ""
        // A port follows the last colon, unless that colon is inside an IPv6 literal "[...]".
        let hasPort = hostPort.lastIndex(of: ":").map { colon in !hostPort[colon...].contains("]") } ?? false
        if hasPort || hostPort.isEmpty { return scheme + "://" + hostPort }
        let defaultPort = scheme == "https" ? "443" : scheme == "http" ? "80" : nil
        return scheme + "://" + hostPort + (defaultPort.map { ":" + $0 } ?? "")
    }
}

extension Duration {
    /// Whole milliseconds, rounded down; clamped to ±2^40 ms (35 years) so huge values cannot overflow.
    var milliseconds: Int {
        let limit: Int64 = 1 << 40
        let (seconds, attoseconds) = components
        if seconds >= limit / 1000 { return Int(limit) }
        if seconds <= -limit / 1000 { return -Int(limit) }
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}

extension String {
    /// A string from a NUL-terminated C buffer held in an array (no pointer escapes the array).
    init(cChars: [CChar]) {
        self.init(decoding: cChars.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

import CCurl

extension CurlTransfer {
    /// Rejects what curl would send differently from what the caller meant: a NUL would cut the C
    /// string short, and CR/LF in a header would inject further header lines.
    /// The error's target is only worked out when there is an error (this runs for every request).
    static func validate(_ request: HTTPRequest) throws(HTTPClientError) {
        try validateURL(request.url)
        try validateFields(request.headers.fields, url: request.url)
    }

    /// The URL must be absolute http(s) with spaces and control characters already percent-encoded.
    static func validateURL(_ url: String) throws(HTTPClientError) {
        guard hasHTTPScheme(url) else {
            throw HTTPClientError(code: .invalidRequest, message: "URL must be absolute http:// or https://", target: target(of: url))
        }
        if !allBytes(url, satisfy: { $0 > 0x20 && $0 != 0x7F }) {
            throw HTTPClientError(code: .invalidRequest, message: "URL contains a space or control character", target: target(of: url))
        }
    }

    /// Names must be HTTP tokens; values must not hold control characters other than tab.
    static func validateFields(_ fields: some Sequence<(name: String, value: String)>, url: String) throws(HTTPClientError) {
        for field in fields {
            if field.name.isEmpty || !allBytes(field.name, satisfy: isTokenByte) {
                throw HTTPClientError(code: .invalidRequest, message: "header name is not an HTTP token", target: target(of: url))
            }
            if !allBytes(field.value, satisfy: { $0 >= 0x20 ? $0 != 0x7F : $0 == 0x09 }) {
                // The value is not echoed: it may be a credential.
                throw HTTPClientError(
                    code: .invalidRequest, message: "value of header \(field.name) contains a control character", target: target(of: url))
            }
        }
    }

    /// Whether every UTF-8 byte of `string` satisfies `test`, over contiguous storage (native strings
    /// always are; a bridged one is copied once).
    @inline(__always)
    static func allBytes(_ string: String, satisfy test: (UInt8) -> Bool) -> Bool {
        var string = string
        return string.withUTF8 { bytes in
            for byte in bytes where !test(byte) { return false }
            return true
        }
    }

    /// Whether `url` starts with `http://` or `https://`, in any case (compared as bytes: this runs for
    /// every request, and a Character walk is slow).
    static func hasHTTPScheme(_ url: String) -> Bool {
        var index = 0
        var secure = false
        for byte in url.utf8 {
            let lower = byte &- 65 < 26 ? byte | 0x20 : byte
            switch index {
            case 0: guard lower == UInt8(ascii: "h") else { return false }
            case 1, 2: guard lower == UInt8(ascii: "t") else { return false }
            case 3: guard lower == UInt8(ascii: "p") else { return false }
            case 4:
                if lower == UInt8(ascii: "s") {
                    secure = true
                } else if byte != UInt8(ascii: ":") {
                    return false
                }
            default:
                let rest = index - (secure ? 5 : 4)
                let expected: UInt8 = rest == 0 ? UInt8(ascii: ":") : UInt8(ascii: "/")
                guard byte == expected else { return false }
                if rest == 2 { return true }
            }
            index += 1
        }
        return false
    }

    /// RFC 9110 §5.6.2 `tchar`: ALPHA, DIGIT and `!#$%&'*+-.^_`|~`, as two 64-bit masks over ASCII
    /// (a lookup per byte of every header name of every request).
    @inline(__always)
    static func isTokenByte(_ byte: UInt8) -> Bool {
        // Bits 0–63: ! # $ % & ' * + - . and 0-9. Bits 64–127: A-Z ^ _ ` a-z | ~.
        let low: UInt64 = 0x03FF_6CFA_0000_0000
        let high: UInt64 = 0x57FF_FFFF_C7FF_FFFE
        return byte < 64 ? (low >> byte) & 1 == 1 : byte < 128 && (high >> (byte - 64)) & 1 == 1
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

import CurlHTTP

/// The status line and header fields of one HTTP/1.1 response from the Runtime API, parsed strictly.
///
/// The Runtime API is a loopback peer we trust to be well-formed, so anything unusual is refused
/// rather than guessed at: a line not ending in CRLF, an obsolete folded line, a header name that is
/// not a token, a control character in a value, two differing `Content-Length`s, a `Transfer-Encoding`
/// other than `chunked`, or both framings at once (RFC 9112 §6.3 calls that a smuggling risk).
struct HTTPResponseHead: Equatable {
    /// How the body that follows is delimited (RFC 9112 §6.3).
    enum Framing: Equatable {
        /// No body (1xx, 204, 304).
        case none
        /// Exactly this many bytes.
        case length(Int)
        /// `Transfer-Encoding: chunked`.
        case chunked
        /// Until the server closes the connection.
        case untilClose
    }

    var status: Int
    var headers: HTTPHeaders
    var framing: Framing
    /// False when the server said `Connection: close`, spoke HTTP/1.0, or framed the body by closing.
    var keepAlive: Bool

    /// Parses `bytes`: the head without its final empty line (everything before `\r\n\r\n`).
    /// - Throws: `.runtimeAPIUnavailable` naming what is malformed.
    static func parse(_ bytes: ArraySlice<UInt8>, bodyLimit: Int) throws(LambdaRuntimeError) -> HTTPResponseHead {
        var lines = split(bytes)
        guard !lines.isEmpty else { throw malformed("empty response head") }
        let (version, status) = try statusLine(lines.removeFirst())
        var headers = HTTPHeaders()
        var contentLength: Int?
        var chunked = false
        var close = version == "HTTP/1.0"
        for line in lines {
            let (name, value) = try field(line)
            headers.add(name, value)
            switch name.lowercased() {
            case "content-length":
                guard let length = decimal(value), length <= bodyLimit else {
                    throw malformed("Content-Length \(JSONText.quoted(String(value.prefix(32)))) is not a length of at most \(bodyLimit) bytes")
                }
                if let contentLength, contentLength != length { throw malformed("two different Content-Length values") }
                contentLength = length
            case "transfer-encoding":
                guard value.lowercased() == "chunked" else { throw malformed("Transfer-Encoding \(JSONText.quoted(String(value.prefix(32)))) is not supported") }
                chunked = true
            case "connection":
                if value.lowercased().split(separator: ",").contains(where: { $0.trimmingSpaces() == "close" }) { close = true }
            default:
                break
            }
        }
        if chunked && contentLength != nil { throw malformed("both Content-Length and Transfer-Encoding") }
        let framing: Framing
        if (100..<200).contains(status) || status == 204 || status == 304 {
            framing = .none
        } else if chunked {
            framing = .chunked
        } else if let contentLength {
            framing = .length(contentLength)
        } else {
            framing = .untilClose
            close = true
        }
        return HTTPResponseHead(status: status, headers: headers, framing: framing, keepAlive: !close)
    }

    /// `HTTP/1.1 200 OK`: the version and a three-digit status; the reason phrase is free text.
    private static func statusLine(_ line: ArraySlice<UInt8>) throws(LambdaRuntimeError) -> (String, Int) {
        let bytes = Array(line)
        guard bytes.count >= 12, bytes[8] == UInt8(ascii: " "), bytes.count == 12 || bytes[12] == UInt8(ascii: " ") else {
            throw malformed("status line \(JSONText.quoted(String(decoding: bytes.prefix(64), as: UTF8.self)))")
        }
        let version = String(decoding: bytes[0..<8], as: UTF8.self)
        guard version == "HTTP/1.1" || version == "HTTP/1.0", let status = decimal(String(decoding: bytes[9..<12], as: UTF8.self)),
            status >= 100
        else {
            throw malformed("status line \(JSONText.quoted(String(decoding: bytes.prefix(64), as: UTF8.self)))")
        }
        return (version, status)
    }

    /// `name: value` with a token name and a value of visible characters, spaces and tabs.
    private static func field(_ line: ArraySlice<UInt8>) throws(LambdaRuntimeError) -> (String, String) {
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex else {
            throw malformed("header line without a name")
        }
        guard line[line.startIndex..<colon].allSatisfy(isTokenByte) else { throw malformed("header name is not a token") }
        var value = line[(colon + 1)...]
        guard value.allSatisfy({ $0 == 0x09 || ($0 >= 0x20 && $0 != 0x7F) }) else { throw malformed("control character in a header value") }
        while let first = value.first, first == 0x20 || first == 0x09 { value = value.dropFirst() }
        while let last = value.last, last == 0x20 || last == 0x09 { value = value.dropLast() }
        return (String(decoding: line[line.startIndex..<colon], as: UTF8.self), String(decoding: value, as: UTF8.self))
    }

    /// The lines of the head; each must end in CRLF (the last one's CRLF was cut with the empty line).
    private static func split(_ bytes: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
        var lines: [ArraySlice<UInt8>] = []
        var start = bytes.startIndex
        var index = bytes.startIndex
        while index < bytes.endIndex {
            if bytes[index] == 0x0D, index + 1 < bytes.endIndex, bytes[index + 1] == 0x0A {
                lines.append(bytes[start..<index])
                index += 2
                start = index
            } else {
                index += 1
            }
        }
        lines.append(bytes[start..<bytes.endIndex])
        return lines
    }

    /// A bare CR or LF left inside a line, or a line starting with whitespace (obsolete folding), is refused
    /// by `field`'s character check and token check respectively.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }

    /// Digits only (no sign, no spaces), at most 15 of them.
    static func decimal(_ text: some StringProtocol) -> Int? {
        guard !text.isEmpty, text.utf8.count <= 15, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int(text)
    }

    static func malformed(_ what: String) -> LambdaRuntimeError {
        LambdaRuntimeError(code: .runtimeAPIUnavailable, message: "malformed Runtime API response: \(what)")
    }
}

extension Substring {
    /// Without leading and trailing spaces and tabs.
    func trimmingSpaces() -> Substring {
        var text = self
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return text
    }
}

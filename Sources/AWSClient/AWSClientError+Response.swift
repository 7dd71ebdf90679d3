import CurlHTTP
import JSONCoding

extension AWSClientError {
    /// The longest service message kept: enough to read, too short to carry a body full of echoed request data.
    static let maximumMessageLength = 400

    /// Builds the error for a non-2xx `response`.
    ///
    /// Understands the three shapes seen in practice:
    /// - JSON (DynamoDB's JSON 1.0, API Gateway's REST JSON): `__type` (the code is the part after `#`),
    ///   `message` or `Message`, `CancellationReasons`; or the code in the `x-amzn-ErrorType` header.
    /// - XML (STS/IAM-style, e.g. moto's signature failures): `<Error><Code>…</Code><Message>…</Message>`.
    /// - Anything else (HTML or plain text from a proxy or load balancer): the code comes from the HTTP status.
    /// See https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html
    package static func fromResponse(_ response: HTTPResponse, operation: String? = nil) -> AWSClientError {
        let headerCode = response.headers["x-amzn-ErrorType"].map(codeFromErrorType)
        var awsCode: String?
        var message: String?
        var reasons: [CancellationReason] = []

        let text = String(decoding: response.body, as: UTF8.self)
        let start = text.first { !$0.isWhitespace }
        if start == "{", let body = try? JSONByteDecoder().decode(JSONErrorBody.self, from: response.body) {
            awsCode = body.type.map(codeFromErrorType)
            message = body.message ?? body.capitalMessage
            reasons = body.cancellationReasons ?? []
        } else if start == "<", let code = xmlElement("Code", in: text) {
            awsCode = code
            message = xmlElement("Message", in: text)
        } else if start == "<" {
            message = xmlElement("title", in: text) ?? "HTML response"
        } else if !text.isEmpty {
            message = text
        }
        let code = awsCode ?? headerCode ?? statusCodeName(response.status)
        return AWSClientError(
            code: .service, status: response.status, awsCode: code,
            message: sanitized(message ?? "no message"), operation: operation, cancellationReasons: reasons)
    }

    /// `com.amazonaws.dynamodb.v20120810#ResourceNotFoundException` → `ResourceNotFoundException`;
    /// `GoneException:http://internal.amazon.com/...` → `GoneException`.
    static func codeFromErrorType(_ raw: String) -> String {
        var code = Substring(raw)
        if let hash = code.lastIndex(of: "#") { code = code[code.index(after: hash)...] }
        if let colon = code.firstIndex(of: ":") { code = code[..<colon] }
        return String(code).trimmingASCIIWhitespace()
    }

    /// A name for an HTTP status, for answers that carry no AWS code.
    static func statusCodeName(_ status: Int) -> String {
        switch status {
        case 400: "BadRequest"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "NotFound"
        case 410: "Gone"
        case 413: "PayloadTooLarge"
        case 429: "TooManyRequests"
        case 500: "InternalServerError"
        case 502: "BadGateway"
        case 503: "ServiceUnavailable"
        case 504: "GatewayTimeout"
        default: "HTTP\(status)"
        }
    }

    /// The text of the first `<name>…</name>`, XML entities decoded; nil when absent.
    /// Works on UTF-8 bytes: String's `firstRange(of:)` and `replacing(_:with:)` would link the standard
    /// library's `_StringProcessing` and `_RegexParser` (about 1.3 MB of a bootstrap) for this one function.
    static func xmlElement(_ name: String, in text: String) -> String? {
        let bytes = Array(text.utf8)
        guard let open = firstRange(of: Array("<\(name)>".utf8), in: bytes, from: 0),
            let close = firstRange(of: Array("</\(name)>".utf8), in: bytes, from: open.upperBound)
        else { return nil }
        let entities: [(name: [UInt8], character: UInt8)] = [
            (Array("&lt;".utf8), UInt8(ascii: "<")), (Array("&gt;".utf8), UInt8(ascii: ">")),
            (Array("&quot;".utf8), UInt8(ascii: "\"")), (Array("&apos;".utf8), UInt8(ascii: "'")),
            (Array("&amp;".utf8), UInt8(ascii: "&")),
        ]
        var decoded: [UInt8] = []
        var index = open.upperBound
        outer: while index < close.lowerBound {
            if bytes[index] == UInt8(ascii: "&") {
                for entity in entities where bytes[index..<close.lowerBound].starts(with: entity.name) {
                    decoded.append(entity.character)
                    index += entity.name.count
                    continue outer
                }
            }
            decoded.append(bytes[index])
            index += 1
        }
        return String(decoding: decoded, as: UTF8.self).trimmingASCIIWhitespace()
    }

    /// The first occurrence of `needle` in `bytes` at or after `start`.
    private static func firstRange(of needle: [UInt8], in bytes: [UInt8], from start: Int) -> Range<Int>? {
        guard !needle.isEmpty, bytes.count >= needle.count else { return nil }
        var index = start
        while index <= bytes.count - needle.count {
            if bytes[index..<index + needle.count].elementsEqual(needle) { return index..<index + needle.count }
            index += 1
        }
        return nil
    }

    /// One line, no control characters, at most `maximumMessageLength` characters.
    static func sanitized(_ message: String) -> String {
        var result = ""
        for scalar in message.unicodeScalars {
            if result.unicodeScalars.count >= maximumMessageLength {
                result += "…"
                break
            }
            result.unicodeScalars.append(scalar.value < 0x20 || scalar.value == 0x7F ? " " : scalar)
        }
        return result.trimmingASCIIWhitespace()
    }
}

/// The JSON error body of DynamoDB and API Gateway.
private struct JSONErrorBody: Decodable {
    var type: String?
    var message: String?
    var capitalMessage: String?
    var cancellationReasons: [AWSClientError.CancellationReason]?

    enum CodingKeys: String, CodingKey {
        case type = "__type"
        case message
        case capitalMessage = "Message"
        case cancellationReasons = "CancellationReasons"
    }
}

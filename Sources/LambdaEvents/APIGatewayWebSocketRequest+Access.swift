/// Lookups that hide the single-value / multi-value split and the base64 flag.
extension APIGatewayWebSocketRequest {
    /// The value of header `name`, compared without regard to ASCII case (HTTP header names are
    /// case-insensitive, and clients differ: `Origin` from browsers, `origin` from some libraries).
    /// Looks in ``headers`` first, then takes the last value in ``multiValueHeaders``, which is what
    /// API Gateway puts in `headers` for a repeated header.
    public func header(_ name: String) -> String? {
        if let headers, let value = Self.lookup(name, in: headers) {
            return value
        }
        return headerValues(name).last
    }

    /// Every value of header `name` (case-insensitive), from ``multiValueHeaders``, else from ``headers``.
    package func headerValues(_ name: String) -> [String] {
        if let multiValueHeaders, let values = Self.lookup(name, in: multiValueHeaders) {
            return values
        }
        return headers.flatMap { Self.lookup(name, in: $0) }.map { [$0] } ?? []
    }

    /// The value of query parameter `name` (case-sensitive, as URLs are), from ``queryStringParameters``,
    /// else the last value in ``multiValueQueryStringParameters``.
    public func queryParameter(_ name: String) -> String? {
        queryStringParameters?[name] ?? multiValueQueryStringParameters?[name]?.last
    }

    /// The body's bytes: base64-decoded when ``isBase64Encoded``, else the UTF-8 of the text; `nil` without a body.
    package func bodyBytes() throws(LambdaEventsError) -> [UInt8]? {
        guard let body else { return nil }
        guard isBase64Encoded else { return Array(body.utf8) }
        guard let bytes = Base64.decode(body) else {
            throw LambdaEventsError(code: .invalidBase64, message: "body is marked isBase64Encoded but is not valid base64")
        }
        return bytes
    }

    /// The body as text: decoded from base64 when ``isBase64Encoded`` (and then required to be UTF-8);
    /// `nil` without a body.
    package func bodyText() throws(LambdaEventsError) -> String? {
        guard isBase64Encoded else { return body }
        guard let bytes = try bodyBytes() else { return nil }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw LambdaEventsError(code: .invalidUTF8, message: "base64 body is not UTF-8 text (\(bytes.count) bytes)")
        }
        return text
    }

    /// `dictionary[name]`, matching the key without regard to ASCII case; an exact match wins.
    private static func lookup<Value>(_ name: String, in dictionary: [String: Value]) -> Value? {
        if let exact = dictionary[name] {
            return exact
        }
        let wanted = asciiLowercased(name)
        return dictionary.first { asciiLowercased($0.key) == wanted }?.value
    }

    /// Lowercases A–Z only: header names are ASCII tokens, and Unicode case mapping would pull in tables
    /// for nothing.
    private static func asciiLowercased(_ text: String) -> [UInt8] {
        text.utf8.map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 + 32 : $0 }
    }
}

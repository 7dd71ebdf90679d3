/// Steps 1d and 1e of the canonical request: the canonical headers and the signed-headers list.
///
/// Names are lowercased; values trimmed with runs of whitespace collapsed to one space (Trimall);
/// fields are sorted by name; fields sharing a name are merged into one, values joined with `,` in
/// the order they appear. See https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
struct CanonicalHeaders {
    /// `name:value\n` for every signed field, sorted by name.
    private(set) var canonical: [UInt8] = []
    /// The signed names joined with `;`, e.g. `host;x-amz-date`.
    private(set) var signedNames: [UInt8] = []

    /// Fields that are never signed (lowercase). `authorization` carries the signature itself. The rest
    /// are hop-by-hop fields or fields that proxies and tracing layers add or rewrite (the same list as
    /// botocore's SIGNED_HEADERS_BLACKLIST); signing them would make a valid request fail verification.
    static let unsignedNames: [String] = [
        "authorization", "baggage", "connection", "expect", "keep-alive", "proxy-authenticate",
        "proxy-authorization", "te", "traceparent", "tracestate", "trailer", "transfer-encoding",
        "upgrade", "user-agent", "x-amzn-trace-id",
    ]

    /// Canonicalizes `headers`.
    init(_ headers: [(name: String, value: String)]) {
        var fields: [(name: [UInt8], value: [UInt8], order: Int)] = []
        fields.reserveCapacity(headers.count)
        for (order, header) in headers.enumerated() where !ASCII.isOneOf(header.name, Self.unsignedNames) {
            var name: [UInt8] = []
            name.reserveCapacity(header.name.utf8.count)
            for byte in header.name.utf8 { name.append(ASCII.lowercased(byte)) }
            fields.append((name, Self.trimAll(header.value), order))
        }
        // Sorted by name; equal names keep their original order so their values merge in order.
        fields.sort { left, right in
            left.name == right.name ? left.order < right.order : left.name.lexicographicallyPrecedes(right.name)
        }
        canonical.reserveCapacity(fields.reduce(0) { $0 + $1.name.count + $1.value.count + 2 })
        var previous: [UInt8]? = nil
        for field in fields {
            if field.name == previous {
                // Replace the newline that ended the previous value with the merge comma.
                canonical[canonical.count - 1] = UInt8(ascii: ",")
            } else {
                if previous != nil { signedNames.append(UInt8(ascii: ";")) }
                signedNames.append(contentsOf: field.name)
                canonical.append(contentsOf: field.name)
                canonical.append(UInt8(ascii: ":"))
                previous = field.name
            }
            canonical.append(contentsOf: field.value)
            canonical.append(UInt8(ascii: "\n"))
        }
    }

    /// Trimall: leading and trailing whitespace removed, each inner run of whitespace replaced by one space.
    static func trimAll(_ value: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(value.utf8.count)
        var pendingSpace = false
        for byte in value.utf8 {
            if ASCII.isWhitespace(byte) {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(UInt8(ascii: " ")) }
                pendingSpace = false
                out.append(byte)
            }
        }
        return out
    }
}

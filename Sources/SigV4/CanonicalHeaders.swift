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
    /// Where the value of a single `x-amz-date` field is in `canonical` (nil when there is none, or several).
    private(set) var dateValue: Range<Int>?

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
        var fields: [(name: [UInt8], index: Int)] = []
        fields.reserveCapacity(headers.count)
        var size = 0
        for (index, header) in headers.enumerated() where !ASCII.isOneOf(header.name, Self.unsignedNames) {
            var name: [UInt8] = []
            name.reserveCapacity(header.name.utf8.count)
            for byte in header.name.utf8 { name.append(ASCII.lowercased(byte)) }
            size += name.count + header.value.utf8.count + 2
            fields.append((name, index))
        }
        // Sorted by name; equal names keep their original order so their values merge in order.
        fields.sort { left, right in
            left.name == right.name ? left.index < right.index : left.name.lexicographicallyPrecedes(right.name)
        }
        canonical.reserveCapacity(size)
        var previous: [UInt8]? = nil
        var dateFields = 0
        for field in fields {
            let isDate = field.name.elementsEqual("x-amz-date".utf8)
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
            let valueStart = canonical.count
            Self.appendTrimmingAll(headers[field.index].value, to: &canonical)
            if isDate {
                dateFields += 1
                dateValue = dateFields == 1 ? valueStart..<canonical.count : nil
            }
            canonical.append(UInt8(ascii: "\n"))
        }
    }

    /// Trimall: appends `value` without leading and trailing whitespace and with each inner run of
    /// whitespace replaced by one space. Copies whole runs at a time (values such as session tokens
    /// are long and have no whitespace at all).
    static func appendTrimmingAll(_ value: String, to out: inout [UInt8]) {
        var value = value  // withUTF8 is mutating; a native string is not copied
        value.withUTF8 { bytes in
            var start = 0, end = bytes.count
            while start < end && ASCII.isWhitespace(bytes[start]) { start += 1 }
            while end > start && ASCII.isWhitespace(bytes[end - 1]) { end -= 1 }
            var runStart = start, index = start
            while index < end {
                guard ASCII.isWhitespace(bytes[index]) else {
                    index += 1
                    continue
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                out.append(UInt8(ascii: " "))
                // `end` is not whitespace, so this stops inside the value.
                while ASCII.isWhitespace(bytes[index]) { index += 1 }
                runStart = index
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<end]))
        }
    }
}

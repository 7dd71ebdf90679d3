/// Percent-encoding as AWS wants it in every path we send: each byte except the RFC 3986 unreserved
/// characters (`A-Z a-z 0-9 - _ . ~`) becomes `%XX` with uppercase hex. The one home of it for the
/// signer's URI encoding (SigV4 adds its query re-encoding on top), the Runtime API's request-id segment
/// and the Management API's connection-id segment.
///
/// See "URI encode" in https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
/// Inlinable: the signer runs it for every message of a broadcast, from another module.
package enum PercentEncoding {
    /// Uppercase digits: `%2F`, not `%2f`. A computed literal, not a stored `static let`: inlined into
    /// another module, a stored global would be reached through its lazy initializer on every byte.
    @inlinable static var upperHex: StaticString { "0123456789ABCDEF" }

    /// Whether `byte` is an RFC 3986 unreserved character.
    @inlinable @inline(__always)
    package static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    /// Appends `%XX` (uppercase) for one byte.
    @inlinable @inline(__always)
    package static func appendEscape(_ byte: UInt8, to out: inout [UInt8]) {
        let table = upperHex.utf8Start
        out.append(UInt8(ascii: "%"))
        out.append(table[Int(byte >> 4)])
        out.append(table[Int(byte & 0x0F)])
    }

    /// Appends `bytes` encoded, as they are: a `%` in the input is itself encoded (`%25`). This is what
    /// makes SigV4's non-S3 canonical URI the wire path "encoded twice". `keepingSlash` keeps `/` (a
    /// whole path); without it `/` is encoded too (one segment).
    @inlinable
    package static func appendEncoded(_ bytes: some Collection<UInt8>, keepingSlash: Bool, to out: inout [UInt8]) {
        for byte in bytes {
            if isUnreserved(byte) || (keepingSlash && byte == UInt8(ascii: "/")) {
                out.append(byte)
            } else {
                appendEscape(byte, to: &out)
            }
        }
    }

    /// `segment` encoded as one path segment: `a/b+c=` → `a%2Fb%2Bc%3D`.
    package static func encodedSegment(_ segment: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(segment.utf8.count * 3)
        appendEncoded(segment.utf8, keepingSlash: false, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}

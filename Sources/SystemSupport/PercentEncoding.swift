/// Percent-encoding as AWS wants it in every path we send: each byte except the RFC 3986 unreserved
/// characters (`A-Z a-z 0-9 - _ . ~`) becomes `%XX` with uppercase hex. The one home of it for the
/// signer's URI encoding (SigV4 adds its query re-encoding on top), the Runtime API's request-id segment
/// and the Management API's connection-id segment.
///
/// See "URI encode" in https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
/// The signer runs it for every message of a broadcast, from another module: the entry points take
/// concrete types (`[UInt8]`, `String`), so the loop is compiled here once, specialized; a generic entry
/// point was called unspecialized from SigV4 (protocol witnesses per byte, +60 % per signature).
package enum PercentEncoding {
    /// Uppercase digits: `%2F`, not `%2f`.
    private static let upperHex: StaticString = "0123456789ABCDEF"

    /// Whether `byte` is an RFC 3986 unreserved character.
    @inline(__always)
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
    @inline(__always)
    package static func appendEscape(_ byte: UInt8, to out: inout [UInt8]) {
        let table = upperHex.utf8Start
        out.append(UInt8(ascii: "%"))
        out.append(table[Int(byte >> 4)])
        out.append(table[Int(byte & 0x0F)])
    }

    /// Appends `bytes` encoded, as they are: a `%` in the input is itself encoded (`%25`). This is what
    /// makes SigV4's non-S3 canonical URI the wire path "encoded twice". `keepingSlash` keeps `/` (a
    /// whole path); without it `/` is encoded too (one segment).
    package static func appendEncoded(_ bytes: [UInt8], keepingSlash: Bool, to out: inout [UInt8]) {
        append(bytes, keepingSlash: keepingSlash, to: &out)
    }

    /// `segment` encoded as one path segment: `a/b+c=` → `a%2Fb%2Bc%3D`.
    package static func encodedSegment(_ segment: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(segment.utf8.count * 3)
        append(segment.utf8, keepingSlash: false, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// The loop of both entry points, specialized for each within this module.
    private static func append(_ bytes: some Collection<UInt8>, keepingSlash: Bool, to out: inout [UInt8]) {
        for byte in bytes {
            if isUnreserved(byte) || (keepingSlash && byte == UInt8(ascii: "/")) {
                out.append(byte)
            } else {
                appendEscape(byte, to: &out)
            }
        }
    }
}

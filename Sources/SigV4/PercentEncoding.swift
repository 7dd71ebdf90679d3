/// SigV4's URI encoding: every byte except the RFC 3986 unreserved characters
/// (`A-Z a-z 0-9 - _ . ~`) becomes `%XX` with uppercase hex; `/` is kept in paths only.
///
/// See "URI encode" in https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
enum PercentEncoding {
    /// Whether `byte` is an RFC 3986 unreserved character.
    @inline(__always)
    static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    /// Appends `bytes` encoded, as they are: a `%` in the input is itself encoded (`%25`). This is what
    /// makes the non-S3 canonical URI the wire path "encoded twice".
    static func appendEncoded(
        _ bytes: some Collection<UInt8>,
        keepingSlash: Bool,
        to out: inout [UInt8]
    ) {
        for byte in bytes {
            if isUnreserved(byte) || (keepingSlash && byte == UInt8(ascii: "/")) {
                out.append(byte)
            } else {
                Hex.appendPercentEscape(byte, to: &out)
            }
        }
    }

    /// Appends `bytes` decoded and then encoded again, in one pass: each valid `%XX` is read as the byte
    /// it stands for, anything else (including a stray `%`) as itself. This gives query names and values
    /// one canonical spelling whatever escaping the sender chose (`%7e` and `~` both become `~`).
    /// A `+` stays a literal plus (RFC 3986), encoded as `%2B`; spaces must be sent as `%20`.
    static func appendReencoded(_ bytes: ArraySlice<UInt8>, to out: inout [UInt8]) {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            var byte = bytes[index]
            if byte == UInt8(ascii: "%"), bytes.endIndex - index >= 3,
                let high = ASCII.hexValue(bytes[index + 1]), let low = ASCII.hexValue(bytes[index + 2])
            {
                byte = high << 4 | low
                index += 3
            } else {
                index += 1
            }
            if isUnreserved(byte) {
                out.append(byte)
            } else {
                Hex.appendPercentEscape(byte, to: &out)
            }
        }
    }
}

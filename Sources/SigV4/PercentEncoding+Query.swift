import SystemSupport

/// SigV4's query encoding on top of the shared percent-encoding (SystemSupport's `PercentEncoding`,
/// which the canonical URI and the path template use as it is).
///
/// See "URI encode" in https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
extension PercentEncoding {
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
                appendEscape(byte, to: &out)
            }
        }
    }
}

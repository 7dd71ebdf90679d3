/// Hexadecimal output through lookup tables (this runs for every hash and every escaped byte).
enum Hex {
    /// Lowercase digits: SigV4 hashes and signatures are lowercase hex.
    private static let lower: StaticString = "0123456789abcdef"
    /// Uppercase digits: SigV4 percent-encoding uses uppercase hex (`%2F`, not `%2f`).
    private static let upper: StaticString = "0123456789ABCDEF"

    /// Appends the lowercase hex form of `bytes` to `out`.
    static func appendLowercase(_ bytes: some Collection<UInt8>, to out: inout [UInt8]) {
        let table = lower.utf8Start
        out.reserveCapacity(out.count + bytes.count * 2)
        for byte in bytes {
            out.append(table[Int(byte >> 4)])
            out.append(table[Int(byte & 0x0F)])
        }
    }

    /// The lowercase hex form of `bytes` as a String.
    static func lowercase(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        appendLowercase(bytes, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `%XX` (uppercase) for one byte.
    @inline(__always)
    static func appendPercentEscape(_ byte: UInt8, to out: inout [UInt8]) {
        let table = upper.utf8Start
        out.append(UInt8(ascii: "%"))
        out.append(table[Int(byte >> 4)])
        out.append(table[Int(byte & 0x0F)])
    }
}

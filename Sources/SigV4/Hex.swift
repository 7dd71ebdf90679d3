/// Hexadecimal through a lookup table (this runs for every hash); the project's one hex codec
/// (VisitorCounterCore stores the daily salt as lowercase hex too). Percent-escapes (`%2F`) are
/// SystemSupport's `PercentEncoding`'s.
package enum Hex {
    /// Lowercase digits: SigV4 hashes and signatures are lowercase hex.
    private static let lower: StaticString = "0123456789abcdef"

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
    package static func lowercase(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        appendLowercase(bytes, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes of lowercase hex `text`; nil for an odd length or any other character.
    package static func decodeLowercase(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        func value(_ digit: UInt8) -> UInt8? {
            switch digit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
            default: nil
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = value(digits[index]), let low = value(digits[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }
}

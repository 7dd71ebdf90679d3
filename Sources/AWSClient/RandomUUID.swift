/// Random (version 4) UUIDs in Foundation's `UUID().uuidString` form (36 characters, upper-case hex), for
/// DynamoDB's `ClientRequestToken`; from the standard library's system generator (getrandom), no Foundation.
/// See https://www.rfc-editor.org/rfc/rfc9562#section-5.4
enum RandomUUID {
    /// A new random UUID, e.g. `E621E1F8-C36C-495A-93FC-0C247A3E6E5F`.
    static func string() -> String {
        var generator = SystemRandomNumberGenerator()
        return string(high: generator.next(), low: generator.next())
    }

    /// The UUID of 128 random bits, with the version (4) and variant (10) bits set.
    static func string(high: UInt64, low: UInt64) -> String {
        let high = high & ~(0xF << 12) | (0x4 << 12)
        let low = low & ~(0b11 << 62) | (0b10 << 62)
        let digits: StaticString = "0123456789ABCDEF"
        var out: [UInt8] = []
        out.reserveCapacity(36)
        for (word, shifts) in [(high, 0..<16), (low, 0..<16)] {
            for nibble in shifts {
                let position = out.count
                if position == 8 || position == 13 || position == 18 || position == 23 { out.append(UInt8(ascii: "-")) }
                out.append(digits.utf8Start[Int(word >> UInt64(60 - 4 * nibble) & 0xF)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

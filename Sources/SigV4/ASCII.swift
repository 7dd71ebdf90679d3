/// Byte-level ASCII helpers. HTTP header names, schemes and hosts are compared and lowercased as
/// ASCII only (RFC 9110 §5.1), so none of this needs Unicode tables.
enum ASCII {
    /// The byte lowercased if it is `A`–`Z`; any other byte unchanged.
    @inline(__always)
    static func lowercased(_ byte: UInt8) -> UInt8 {
        byte &- 65 < 26 ? byte | 0x20 : byte
    }

    /// Whether two strings are equal ignoring ASCII case (used for header names).
    static func equalsIgnoringCase(_ lhs: String, _ rhs: String) -> Bool {
        let left = lhs.utf8, right = rhs.utf8
        guard left.count == right.count else { return false }
        return zip(left, right).allSatisfy { lowercased($0) == lowercased($1) }
    }

    /// Whether `name` (any case) is one of `lowercasedNames`.
    static func isOneOf(_ name: String, _ lowercasedNames: [String]) -> Bool {
        lowercasedNames.contains { equalsIgnoringCase(name, $0) }
    }

    /// Whitespace as the SigV4 Trimall step sees it: space and tab (the only whitespace allowed in a
    /// field value), plus CR, LF, VT and FF so that a folded value can never smuggle a line break.
    @inline(__always)
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }

    /// Whether the byte is a decimal digit.
    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool {
        byte &- 48 < 10
    }

    /// The value of a hexadecimal digit (either case), or nil.
    @inline(__always)
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 48...57: byte - 48
        case 65...70: byte - 55
        case 97...102: byte - 87
        default: nil
        }
    }
}

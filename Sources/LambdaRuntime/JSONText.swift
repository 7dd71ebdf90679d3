/// Minimal JSON text helpers for the logger, error bodies and hand-written log lines, so none needs an encoder.
public enum JSONText {
    /// `value` as a JSON string literal, quotes included (RFC 8259 §7 escaping).
    package static func quoted(_ value: String) -> String {
        var out = "\""
        out.reserveCapacity(value.utf8.count + 2)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                out += "\\u00" + hex(UInt8(scalar.value >> 4)) + hex(UInt8(scalar.value & 0x0F))
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
        return out
    }

    /// A JSON number for `value`; JSON has no NaN or infinity, so those become `null`.
    static func number(_ value: Double) -> String {
        value.isFinite ? value.description : "null"
    }

    private static func hex(_ nibble: UInt8) -> String {
        String(Unicode.Scalar(nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10))
    }
}

/// Writes JSON text (RFC 8259) into a byte buffer: strings escaped, numbers as given.
///
/// Escapes only what RFC 8259 requires (`"`, `\` and U+0000...U+001F, the usual ones by name); `/` and
/// non-ASCII characters are written as they are (UTF-8), unlike Foundation's default `\/`.
package enum JSONWriter {
    /// Appends `value` as JSON; `sortedKeys` orders each object's members by the UTF-8 bytes of their names.
    public static func append(_ value: JSONValue, sortedKeys: Bool = false, to out: inout [UInt8]) {
        switch value {
        case .null: append(literal: "null", to: &out)
        case .bool(let flag): append(literal: flag ? "true" : "false", to: &out)
        case .number(let text): out.append(contentsOf: text.utf8)
        case .string(let text): appendString(text, to: &out)
        case .array(let items):
            appendArray(items, to: &out) { item, out in append(item, sortedKeys: sortedKeys, to: &out) }
        case .object(let object):
            appendObject(keys: object.keys, sortedKeys: sortedKeys, to: &out) { member, out in
                append(object.values[member], sortedKeys: sortedKeys, to: &out)
            }
        }
    }

    /// Appends `[a,b,...]`, each element written by `element`. The one array layout of both writers
    /// (`JSONValue` trees here, the encoders' `EncodedNode`s).
    static func appendArray<Items: Collection>(
        _ items: Items, to out: inout [UInt8], element: (Items.Element, inout [UInt8]) -> Void
    ) {
        out.append(UInt8(ascii: "["))
        var first = true
        for item in items {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            element(item, &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    /// Appends `{"key":value,...}` in member order, or ordered by the UTF-8 bytes of the names with
    /// `sortedKeys`; `value` writes the value of the member at an index of `keys`. The one object layout
    /// of both writers.
    static func appendObject(
        keys: [String], sortedKeys: Bool, to out: inout [UInt8], value: (Int, inout [UInt8]) -> Void
    ) {
        out.append(UInt8(ascii: "{"))
        var order = Array(keys.indices)
        if sortedKeys { order.sort { keys[$0].utf8.lexicographicallyPrecedes(keys[$1].utf8) } }
        for (position, member) in order.enumerated() {
            if position > 0 { out.append(UInt8(ascii: ",")) }
            appendString(keys[member], to: &out)
            out.append(UInt8(ascii: ":"))
            value(member, &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    /// `value` as JSON bytes.
    public static func write(_ value: JSONValue, sortedKeys: Bool = false) -> [UInt8] {
        var out: [UInt8] = []
        append(value, sortedKeys: sortedKeys, to: &out)
        return out
    }

    static func append(literal: StaticString, to out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    private static let hexDigits: StaticString = "0123456789abcdef"

    /// Appends `text` as a quoted JSON string.
    package static func appendString(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            var runStart = 0
            for index in bytes.indices {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                runStart = index + 1
                out.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(byte)
                case 0x08: out.append(UInt8(ascii: "b"))
                case 0x0C: out.append(UInt8(ascii: "f"))
                case 0x0A: out.append(UInt8(ascii: "n"))
                case 0x0D: out.append(UInt8(ascii: "r"))
                case 0x09: out.append(UInt8(ascii: "t"))
                default:
                    append(literal: "u00", to: &out)
                    out.append(hexDigits.utf8Start[Int(byte >> 4)])
                    out.append(hexDigits.utf8Start[Int(byte & 0x0F)])
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Appends the UTF-8 form of a Unicode scalar value (the caller has excluded surrogates and values
    /// past U+10FFFF).
    static func appendUTF8(scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            out.append(UInt8(scalar))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | scalar >> 6))
            out.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | scalar >> 12))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        default:
            out.append(UInt8(0xF0 | scalar >> 18))
            out.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        }
    }
}

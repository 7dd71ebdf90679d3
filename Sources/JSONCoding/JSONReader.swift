/// A strict RFC 8259 JSON reader: bytes in, ``JSONValue`` out, or a ``JSONCodingError``.
///
/// What it refuses, on purpose (https://www.rfc-editor.org/rfc/rfc8259):
/// - anything outside the grammar: comments, trailing commas, single quotes, `NaN`/`Infinity`, leading
///   zeros (`01`), `+1`, `.5`, `1.`, control characters in strings, a byte-order mark, text after the value;
/// - invalid UTF-8 anywhere (overlong forms, encoded surrogates, past U+10FFFF, truncated sequences), and
///   `\u` escapes that leave a lone surrogate (RFC 8259 §8.2 allows them; a Swift `String` cannot hold them,
///   and repairing them silently would let two readers see different strings);
/// - duplicate member names in one object (RFC 8259 §4 leaves the outcome open; different readers keep
///   the first or the last, so an attacker could show each reader another value);
/// - nesting deeper than ``maximumDepth`` (the reader recurses; this bounds its stack).
///
/// Any value may be the top level (RFC 8259, not RFC 4627's object-or-array only).
package enum JSONReader {
    /// The deepest nesting of arrays and objects accepted. DynamoDB itself allows 32 levels of nested
    /// attribute values (64 JSON levels in its wire form); Foundation's JSONDecoder stops at 512.
    package static let maximumDepth = 256

    /// Reads one JSON text.
    public static func read(_ bytes: [UInt8]) throws(JSONCodingError) -> JSONValue {
        try bytes.withUnsafeBufferPointer { buffer throws(JSONCodingError) in try read(buffer) }
    }

    /// Reads one JSON text from raw bytes.
    public static func read(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONCodingError) -> JSONValue {
        var parser = JSONParser(bytes)
        parser.skipWhitespace()
        guard parser.index < bytes.count else {
            throw JSONCodingError(code: .empty, offset: parser.index, message: "no JSON value")
        }
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.index == bytes.count else {
            throw JSONCodingError(code: .syntax, offset: parser.index, message: "unexpected bytes after the JSON value")
        }
        return value
    }
}

/// The recursive-descent parser over one buffer.
struct JSONParser {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    private func fail(_ code: JSONCodingError.Code, _ message: String, at offset: Int? = nil) -> JSONCodingError {
        JSONCodingError(code: code, offset: offset ?? index, message: message)
    }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    mutating func parseValue(depth: Int) throws(JSONCodingError) -> JSONValue {
        guard index < bytes.count else { throw fail(.syntax, "unexpected end of input, expected a value") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return .object(try parseObject(depth: depth + 1))
        case UInt8(ascii: "["): return .array(try parseArray(depth: depth + 1))
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(try parseNumber())
        default:
            throw fail(.syntax, "unexpected byte 0x\(String(bytes[index], radix: 16)), expected a value")
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONCodingError) {
        let count = literal.utf8CodeUnitCount
        guard bytes.count - index >= count else { throw fail(.syntax, "truncated literal, expected \(literal)") }
        let start = literal.utf8Start
        for offset in 0..<count where bytes[index + offset] != start[offset] {
            throw fail(.syntax, "invalid literal, expected \(literal)")
        }
        index += count
    }

    private mutating func parseObject(depth: Int) throws(JSONCodingError) -> JSONObject {
        guard depth <= JSONReader.maximumDepth else {
            throw fail(.tooDeep, "nesting deeper than \(JSONReader.maximumDepth)")
        }
        index += 1  // {
        var keys: [String] = []
        var values: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return JSONObject(keys: keys, values: values)
        }
        // Above this many members, duplicates are found with a set instead of comparing with each key.
        var seen: Set<String>?
        while true {
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw fail(.syntax, "expected a string as object key")
            }
            let keyOffset = index
            let key = try parseString()
            if var set = seen {
                seen = nil  // keeps the set uniquely referenced while it is changed
                guard set.insert(key).inserted else { throw duplicate(key, at: keyOffset) }
                seen = set
            } else {
                if keys.contains(key) { throw duplicate(key, at: keyOffset) }
                if keys.count == 16 { seen = Set(keys + [key]) }
            }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
                throw fail(.syntax, "expected ':' after an object key")
            }
            index += 1
            skipWhitespace()
            let value = try parseValue(depth: depth)
            keys.append(key)
            values.append(value)
            skipWhitespace()
            guard index < bytes.count else { throw fail(.syntax, "unexpected end of input in an object") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                skipWhitespace()
                continue
            }
            guard bytes[index] == UInt8(ascii: "}") else { throw fail(.syntax, "expected ',' or '}' in an object") }
            index += 1
            return JSONObject(keys: keys, values: values)
        }
    }

    private func duplicate(_ key: String, at offset: Int) -> JSONCodingError {
        // The key is named only when short and printable: error messages end up in logs.
        let printable = key.utf8.count <= 64 && key.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
        return fail(.duplicateKey, printable ? "duplicate object key \"\(key)\"" : "duplicate object key", at: offset)
    }

    private mutating func parseArray(depth: Int) throws(JSONCodingError) -> [JSONValue] {
        guard depth <= JSONReader.maximumDepth else {
            throw fail(.tooDeep, "nesting deeper than \(JSONReader.maximumDepth)")
        }
        index += 1  // [
        var items: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return items
        }
        while true {
            items.append(try parseValue(depth: depth))
            skipWhitespace()
            guard index < bytes.count else { throw fail(.syntax, "unexpected end of input in an array") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                skipWhitespace()
                continue
            }
            guard bytes[index] == UInt8(ascii: "]") else { throw fail(.syntax, "expected ',' or ']' in an array") }
            index += 1
            return items
        }
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, returned as its text.
    private mutating func parseNumber() throws(JSONCodingError) -> String {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, bytes[index].isDigit else { throw fail(.syntax, "expected a digit in a number") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count, bytes[index].isDigit { throw fail(.syntax, "leading zero in a number") }
        } else {
            skipDigits()
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < bytes.count, bytes[index].isDigit else { throw fail(.syntax, "expected a digit after '.'") }
            skipDigits()
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, bytes[index].isDigit else { throw fail(.syntax, "expected a digit in an exponent") }
            skipDigits()
        }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
    }

    private mutating func skipDigits() {
        while index < bytes.count, bytes[index].isDigit { index += 1 }
    }

    /// A string starting at the opening quote; leaves `index` after the closing one.
    mutating func parseString() throws(JSONCodingError) -> String {
        index += 1  // "
        let start = index
        // Fast path: printable ASCII up to the closing quote, made into a String without copying twice.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 || byte >= 0x80 { break }
            index += 1
        }
        // Slow path: escapes and multi-byte UTF-8, validated byte by byte into a buffer.
        var out: [UInt8] = []
        out.reserveCapacity(index - start + 16)
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try parseEscape(into: &out)
            case 0..<0x20:
                throw fail(.syntax, "control character 0x\(String(byte, radix: 16)) in a string (must be escaped)")
            case 0x20..<0x80:
                out.append(byte)
                index += 1
            default:
                let length = try utf8SequenceLength()
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<index + length]))
                index += length
            }
        }
        throw fail(.syntax, "unterminated string", at: start - 1)
    }

    /// The length of the valid UTF-8 sequence of 2 to 4 bytes at `index` (Unicode 15, table 3-7).
    private func utf8SequenceLength() throws(JSONCodingError) -> Int {
        let lead = bytes[index]
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F  // U+D800...U+DFFF are not scalars
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F  // nothing past U+10FFFF
        default: throw fail(.invalidUnicode, "invalid UTF-8 lead byte 0x\(String(lead, radix: 16))")
        }
        guard bytes.count - index >= length else { throw fail(.invalidUnicode, "truncated UTF-8 sequence") }
        let second = bytes[index + 1]
        guard second >= low, second <= high else { throw fail(.invalidUnicode, "invalid UTF-8 sequence") }
        for offset in 2..<max(length, 2) where bytes[index + offset] & 0xC0 != 0x80 {
            throw fail(.invalidUnicode, "invalid UTF-8 continuation byte")
        }
        return length
    }

    private mutating func parseEscape(into out: inout [UInt8]) throws(JSONCodingError) {
        guard index + 1 < bytes.count else { throw fail(.syntax, "truncated escape") }
        let escaped = bytes[index + 1]
        index += 2
        switch escaped {
        case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
        case UInt8(ascii: "/"): out.append(UInt8(ascii: "/"))
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            let escapeStart = index - 2
            var scalar = UInt32(try hex4())
            if scalar >= 0xD800, scalar <= 0xDBFF {
                guard bytes.count - index >= 6, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                    throw fail(.invalidUnicode, "lone high surrogate in a \\u escape", at: escapeStart)
                }
                index += 2
                let low = UInt32(try hex4())
                guard low >= 0xDC00, low <= 0xDFFF else {
                    throw fail(.invalidUnicode, "high surrogate not followed by a low one", at: escapeStart)
                }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if scalar >= 0xDC00, scalar <= 0xDFFF {
                throw fail(.invalidUnicode, "lone low surrogate in a \\u escape", at: escapeStart)
            }
            JSONWriter.appendUTF8(scalar: scalar, to: &out)
        default:
            throw fail(.syntax, "invalid escape '\\\(Unicode.Scalar(escaped))'", at: index - 2)
        }
    }

    private mutating func hex4() throws(JSONCodingError) -> UInt16 {
        guard bytes.count - index >= 4 else { throw fail(.syntax, "truncated \\u escape") }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw fail(.syntax, "invalid hex digit in a \\u escape")
            }
            value = value << 4 | UInt16(digit)
            index += 1
        }
        return value
    }
}

extension UInt8 {
    var isDigit: Bool { self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9") }
}

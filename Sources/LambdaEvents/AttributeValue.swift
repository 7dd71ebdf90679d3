/// One DynamoDB attribute value, as DynamoDB's JSON protocol and DynamoDB Streams records carry it:
/// an object with exactly one type member, `{"S":"visitors"}`, `{"N":"12"}`, `{"NULL":true}` …
///
/// See https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_AttributeValue.html
///
/// - Numbers (`N`, `NS`) stay the exact decimal strings DynamoDB sent: DynamoDB numbers have up to
///   38 significant digits, more than `Double` (or `Int64`) can hold. Use ``int64Value`` or ``intValue``
///   where a number is known to be a small integer.
/// - Binary (`B`, `BS`) is base64 text in JSON and raw bytes here.
/// - Sets keep the order they arrived in; two sets with the same members in another order are not `==`.
public enum AttributeValue: Sendable, Hashable {
    /// `S`: a string.
    case string(String)
    /// `N`: a number, as its exact decimal text (for example `"123456789012345678901234567890.000001"`).
    case number(String)
    /// `B`: binary data.
    case binary([UInt8])
    /// `SS`: a string set.
    case stringSet([String])
    /// `NS`: a number set, each number as its exact decimal text.
    case numberSet([String])
    /// `BS`: a binary set.
    case binarySet([[UInt8]])
    /// `M`: a map of attribute values.
    case map([String: AttributeValue])
    /// `L`: a list of attribute values.
    case list([AttributeValue])
    /// `BOOL`: a Boolean.
    case bool(Bool)
    /// `NULL`: the null value (always `{"NULL":true}` on the wire).
    case null
}

/// A DynamoDB item (or key, or stream image): attribute names to values.
public typealias DynamoDBItem = [String: AttributeValue]

extension AttributeValue {
    /// The JSON member names of the attribute types, as DynamoDB spells them.
    package enum TypeKey: String, Sendable, CaseIterable {
        /// String.
        case string = "S"
        /// Number.
        case number = "N"
        /// Binary.
        case binary = "B"
        /// String set.
        case stringSet = "SS"
        /// Number set.
        case numberSet = "NS"
        /// Binary set.
        case binarySet = "BS"
        /// Map.
        case map = "M"
        /// List.
        case list = "L"
        /// Boolean.
        case bool = "BOOL"
        /// Null.
        case null = "NULL"
    }

    /// The type member this value is written with.
    package var typeKey: TypeKey {
        switch self {
        case .string: .string
        case .number: .number
        case .binary: .binary
        case .stringSet: .stringSet
        case .numberSet: .numberSet
        case .binarySet: .binarySet
        case .map: .map
        case .list: .list
        case .bool: .bool
        case .null: .null
        }
    }

    /// Whether `text` is a number as DynamoDB accepts one: an optional sign, digits with an optional
    /// fraction (at least one digit in all), and an optional exponent (`-12`, `0.5`, `1E+3`).
    /// DynamoDB itself answers numbers normalised (no exponent, no surplus zeros).
    package static func isValidNumber(_ text: String) -> Bool {
        var bytes = Substring(text).utf8[...]
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            bytes = bytes.dropFirst()
        }
        let integerDigits = bytes.prefix(while: isDigit).count
        bytes = bytes.dropFirst(integerDigits)
        var fractionDigits = 0
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            fractionDigits = bytes.prefix(while: isDigit).count
            bytes = bytes.dropFirst(fractionDigits)
        }
        guard integerDigits + fractionDigits > 0 else { return false }
        if let marker = bytes.first, marker == UInt8(ascii: "e") || marker == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
                bytes = bytes.dropFirst()
            }
            let exponentDigits = bytes.prefix(while: isDigit).count
            guard exponentDigits > 0 else { return false }
            bytes = bytes.dropFirst(exponentDigits)
        }
        return bytes.isEmpty
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}

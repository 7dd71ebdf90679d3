/// Typed views of an attribute value: each is `nil` unless the value has that type.
extension AttributeValue {
    /// A number attribute holding `value` (`{"N":"42"}`).
    public init<Integer: BinaryInteger>(int value: Integer) {
        self = .number(String(value))
    }

    /// The text of an `S` value.
    public var stringValue: String? {
        if case .string(let text) = self { text } else { nil }
    }

    /// The exact decimal text of an `N` value.
    package var numberValue: String? {
        if case .number(let text) = self { text } else { nil }
    }

    /// An `N` value as `Int64`, when it is written as an integer (no fraction, no exponent) that fits.
    /// DynamoDB answers numbers normalised, so a whole number always comes back without a fraction.
    package var int64Value: Int64? {
        numberValue.flatMap { Int64($0) }
    }

    /// An `N` value as `Int`, when it is written as an integer that fits.
    public var intValue: Int? {
        numberValue.flatMap { Int($0) }
    }

    /// The bytes of a `B` value.
    package var binaryValue: [UInt8]? {
        if case .binary(let bytes) = self { bytes } else { nil }
    }

    /// The members of an `SS` value.
    package var stringSetValue: [String]? {
        if case .stringSet(let texts) = self { texts } else { nil }
    }

    /// The members of an `NS` value, as exact decimal texts.
    package var numberSetValue: [String]? {
        if case .numberSet(let texts) = self { texts } else { nil }
    }

    /// The members of a `BS` value.
    package var binarySetValue: [[UInt8]]? {
        if case .binarySet(let members) = self { members } else { nil }
    }

    /// The entries of an `M` value.
    package var mapValue: [String: AttributeValue]? {
        if case .map(let map) = self { map } else { nil }
    }

    /// The elements of an `L` value.
    package var listValue: [AttributeValue]? {
        if case .list(let list) = self { list } else { nil }
    }

    /// The value of a `BOOL` value.
    package var boolValue: Bool? {
        if case .bool(let value) = self { value } else { nil }
    }

    /// Whether this is the `NULL` value.
    package var isNull: Bool {
        if case .null = self { true } else { false }
    }
}

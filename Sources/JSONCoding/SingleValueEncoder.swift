/// Sets a `ValueEncoder`'s own value.
struct SingleValueEncoder: SingleValueEncodingContainer {
    let encoder: ValueEncoder

    var codingPath: [any CodingKey] { encoder.codingPath }

    mutating func encodeNil() throws {
        encoder.node = .value(.null)
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try encoder.box(value)
    }

    mutating func encode(_ value: Bool) throws {
        encoder.node = .value(.bool(value))
    }

    mutating func encode(_ value: String) throws {
        encoder.node = .value(.string(value))
    }

    mutating func encode(_ value: Double) throws {
        encoder.node = try encoder.float(value, element: nil)
    }

    mutating func encode(_ value: Float) throws {
        encoder.node = try encoder.float(value, element: nil)
    }

    mutating func encode(_ value: Int) throws {
        encoder.node = .int(Int64(value))
    }

    mutating func encode(_ value: Int8) throws {
        encoder.node = .int(Int64(value))
    }

    mutating func encode(_ value: Int16) throws {
        encoder.node = .int(Int64(value))
    }

    mutating func encode(_ value: Int32) throws {
        encoder.node = .int(Int64(value))
    }

    mutating func encode(_ value: Int64) throws {
        encoder.node = .int(Int64(value))
    }

    mutating func encode(_ value: UInt) throws {
        encoder.node = .uint(UInt64(value))
    }

    mutating func encode(_ value: UInt8) throws {
        encoder.node = .uint(UInt64(value))
    }

    mutating func encode(_ value: UInt16) throws {
        encoder.node = .uint(UInt64(value))
    }

    mutating func encode(_ value: UInt32) throws {
        encoder.node = .uint(UInt64(value))
    }

    mutating func encode(_ value: UInt64) throws {
        encoder.node = .uint(UInt64(value))
    }
}

/// Fills one array of a `ValueEncoder`.
struct UnkeyedEncoder: UnkeyedEncodingContainer {
    let encoder: ValueEncoder
    let array: ArrayNode

    var codingPath: [any CodingKey] { encoder.codingPath }
    var count: Int { array.items.count }

    mutating func encodeNil() throws {
        array.items.append(.value(.null))
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        array.items.append(try encoder.node(for: value, element: .index(count)))
    }

    mutating func encode(_ value: Bool) throws {
        array.items.append(.value(.bool(value)))
    }

    mutating func encode(_ value: String) throws {
        array.items.append(.value(.string(value)))
    }

    mutating func encode(_ value: Double) throws {
        array.items.append(try encoder.float(value, element: .index(count)))
    }

    mutating func encode(_ value: Float) throws {
        array.items.append(try encoder.float(value, element: .index(count)))
    }

    mutating func encode(_ value: Int) throws {
        array.items.append(.int(Int64(value)))
    }

    mutating func encode(_ value: Int8) throws {
        array.items.append(.int(Int64(value)))
    }

    mutating func encode(_ value: Int16) throws {
        array.items.append(.int(Int64(value)))
    }

    mutating func encode(_ value: Int32) throws {
        array.items.append(.int(Int64(value)))
    }

    mutating func encode(_ value: Int64) throws {
        array.items.append(.int(Int64(value)))
    }

    mutating func encode(_ value: UInt) throws {
        array.items.append(.uint(UInt64(value)))
    }

    mutating func encode(_ value: UInt8) throws {
        array.items.append(.uint(UInt64(value)))
    }

    mutating func encode(_ value: UInt16) throws {
        array.items.append(.uint(UInt64(value)))
    }

    mutating func encode(_ value: UInt32) throws {
        array.items.append(.uint(UInt64(value)))
    }

    mutating func encode(_ value: UInt64) throws {
        array.items.append(.uint(UInt64(value)))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let nested = ValueEncoder(parent: encoder, element: .index(count))
        let container = nested.container(keyedBy: keyType)
        array.items.append(nested.node!)
        return container
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let nested = ValueEncoder(parent: encoder, element: .index(count))
        let container = nested.unkeyedContainer()
        array.items.append(nested.node!)
        return container
    }

    mutating func superEncoder() -> any Encoder {
        let nested = ValueEncoder(parent: encoder, element: .index(count))
        array.items.append(.encoder(nested))
        return nested
    }
}

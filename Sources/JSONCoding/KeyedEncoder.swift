/// Fills one object of a `ValueEncoder`.
struct KeyedEncoder<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: ValueEncoder
    let object: ObjectNode

    var codingPath: [any CodingKey] { encoder.codingPath }

    mutating func encodeNil(forKey key: Key) throws {
        object.set(.value(.null), for: key.stringValue)
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        object.set(try encoder.node(for: value, element: .key(key.stringValue)), for: key.stringValue)
    }

    mutating func encode(_ value: Bool, forKey key: Key) throws {
        object.set(.value(.bool(value)), for: key.stringValue)
    }

    mutating func encode(_ value: String, forKey key: Key) throws {
        object.set(.value(.string(value)), for: key.stringValue)
    }

    mutating func encode(_ value: Double, forKey key: Key) throws {
        object.set(try encoder.float(value, element: .key(key.stringValue)), for: key.stringValue)
    }

    mutating func encode(_ value: Float, forKey key: Key) throws {
        object.set(try encoder.float(value, element: .key(key.stringValue)), for: key.stringValue)
    }

    mutating func encode(_ value: Int, forKey key: Key) throws {
        object.set(.int(Int64(value)), for: key.stringValue)
    }

    mutating func encode(_ value: Int8, forKey key: Key) throws {
        object.set(.int(Int64(value)), for: key.stringValue)
    }

    mutating func encode(_ value: Int16, forKey key: Key) throws {
        object.set(.int(Int64(value)), for: key.stringValue)
    }

    mutating func encode(_ value: Int32, forKey key: Key) throws {
        object.set(.int(Int64(value)), for: key.stringValue)
    }

    mutating func encode(_ value: Int64, forKey key: Key) throws {
        object.set(.int(Int64(value)), for: key.stringValue)
    }

    mutating func encode(_ value: UInt, forKey key: Key) throws {
        object.set(.uint(UInt64(value)), for: key.stringValue)
    }

    mutating func encode(_ value: UInt8, forKey key: Key) throws {
        object.set(.uint(UInt64(value)), for: key.stringValue)
    }

    mutating func encode(_ value: UInt16, forKey key: Key) throws {
        object.set(.uint(UInt64(value)), for: key.stringValue)
    }

    mutating func encode(_ value: UInt32, forKey key: Key) throws {
        object.set(.uint(UInt64(value)), for: key.stringValue)
    }

    mutating func encode(_ value: UInt64, forKey key: Key) throws {
        object.set(.uint(UInt64(value)), for: key.stringValue)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let nested = ValueEncoder(parent: encoder, element: .key(key.stringValue))
        let container = nested.container(keyedBy: keyType)
        object.set(nested.node!, for: key.stringValue)
        return container
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = ValueEncoder(parent: encoder, element: .key(key.stringValue))
        let container = nested.unkeyedContainer()
        object.set(nested.node!, for: key.stringValue)
        return container
    }

    mutating func superEncoder() -> any Encoder {
        superEncoder(named: JSONKey.superKey.stringValue)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        superEncoder(named: key.stringValue)
    }

    private func superEncoder(named name: String) -> any Encoder {
        let nested = ValueEncoder(parent: encoder, element: .key(name))
        object.set(.encoder(nested), for: name)
        return nested
    }
}

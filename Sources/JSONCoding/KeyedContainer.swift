/// Members of one JSON object, looked up by name: a linear scan for small objects (the usual case,
/// and cheaper than hashing), an index for large ones (a `[String: T]` of thousands of members decodes
/// each by name).
struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: ValueDecoder
    let object: JSONObject
    private let index: [String: Int]?

    init(decoder: ValueDecoder, object: JSONObject) {
        self.decoder = decoder
        self.object = object
        if object.count > 12 {
            var index = [String: Int](minimumCapacity: object.count)
            for (position, key) in object.keys.enumerated() { index[key] = position }
            self.index = index
        } else {
            index = nil
        }
    }

    var codingPath: [any CodingKey] { decoder.codingPath }

    var allKeys: [Key] {
        // A plain loop: compactMap's closure and Optional<Key> cost a generic metadata lookup per call here
        // (this code runs unspecialized, through the Decoder protocol).
        var keys: [Key] = []
        keys.reserveCapacity(object.count)
        for name in object.keys {
            if let key = Key(stringValue: name) { keys.append(key) }
        }
        return keys
    }

    func contains(_ key: Key) -> Bool { lookup(key) != nil }

    private func lookup(_ key: Key) -> JSONValue? { lookup(name: key.stringValue) }

    private func lookup(name: String) -> JSONValue? {
        if let index {
            return index[name].map { object.values[$0] }
        }
        for position in object.keys.indices where object.keys[position] == name {
            return object.values[position]
        }
        return nil
    }

    private func value(_ key: Key) throws -> JSONValue {
        guard let found = lookup(key) else {
            throw DecodingError.keyNotFound(
                key, DecodingError.Context(codingPath: codingPath, debugDescription: "No value associated with key \(key.stringValue)."))
        }
        return found
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        guard case .null = try value(key) else { return false }
        return true
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try decoder.unbox(try value(key), as: T.self, element: .key(key.stringValue))
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let found = lookup(key) else { return nil }
        if case .null = found { return nil }
        return try decoder.unbox(found, as: T.self, element: .key(key.stringValue))
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool {
        try decoder.unboxBool(try value(key), element: .key(key.stringValue))
    }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? {
        guard let found = lookup(key) else { return nil }
        if case .null = found { return nil }
        return try decoder.unboxBool(found, element: .key(key.stringValue))
    }

    func decode(_ type: String.Type, forKey key: Key) throws -> String {
        try decoder.unboxString(try value(key), element: .key(key.stringValue))
    }

    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
        guard let found = lookup(key) else { return nil }
        if case .null = found { return nil }
        return try decoder.unboxString(found, element: .key(key.stringValue))
    }

    func decode(_ type: Double.Type, forKey key: Key) throws -> Double {
        try decoder.unboxFloat(try value(key), as: Double.self, element: .key(key.stringValue))
    }

    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? {
        guard let found = lookup(key) else { return nil }
        if case .null = found { return nil }
        return try decoder.unboxFloat(found, as: Double.self, element: .key(key.stringValue))
    }

    func decode(_ type: Float.Type, forKey key: Key) throws -> Float {
        try decoder.unboxFloat(try value(key), as: Float.self, element: .key(key.stringValue))
    }

    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? {
        guard let found = lookup(key) else { return nil }
        if case .null = found { return nil }
        return try decoder.unboxFloat(found, as: Float.self, element: .key(key.stringValue))
    }

    func decode(_ type: Int.Type, forKey key: Key) throws -> Int {
        try decoder.unboxInteger(try value(key), as: Int.self, element: .key(key.stringValue))
    }

    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? {
        guard let found = lookup(key) else { return nil }
        if case .null = found { return nil }
        return try decoder.unboxInteger(found, as: Int.self, element: .key(key.stringValue))
    }

    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 {
        try decoder.unboxInteger(try value(key), as: Int8.self, element: .key(key.stringValue))
    }

    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? {
        guard let found = lookup(key) else { return nil }
        if case .null = found { return nil }
        return try decoder.unboxInteger(found, as: Int8.self, element: .key(key.stringValue))
    }

    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 {
        try decoder.unboxInteger(try value(key), as: Int16.self, element: .key(key.stringValue))
    }

    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? {
        guard let found = lookup(key) else { return nil }
        if case .null = found { return nil }
        return try decoder.unboxInteger(found, as: Int16.self, element: .key(key.stringValue))
    }

    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 {
        try decoder.unboxInteger(try value(key), as: Int32.self, element: .key(key.stringValue))
    }

    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? {
        guard let found = lookup(key) else { return nil }
        if case .null = found { return nil }
        return try decoder.unboxInteger(found, as: Int32.self, element: .key(key.stringValue))
    }

    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 {
        try decoder.unboxInteger(try value(key), as: Int64.self, element: .key(key.stringValue))
    }

    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? {
        guard let found = lookup(key) else { return nil }
        if case .null = found { return nil }
        return try decoder.unboxInteger(found, as: Int64.self, element: .key(key.stringValue))
    }

    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt {
        try decoder.unboxInteger(try value(key), as: UInt.self, element: .key(key.stringValue))
    }

    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? {
        guard let found = lookup(key) else { return nil }
        if case .null = found { return nil }
        return try decoder.unboxInteger(found, as: UInt.self, element: .key(key.stringValue))
    }

    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 {
        try decoder.unboxInteger(try value(key), as: UInt8.self, element: .key(key.stringValue))
    }

    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? {
        guard let found = lookup(key) else { return nil }
        if case .null = found { return nil }
        return try decoder.unboxInteger(found, as: UInt8.self, element: .key(key.stringValue))
    }

    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 {
        try decoder.unboxInteger(try value(key), as: UInt16.self, element: .key(key.stringValue))
    }

    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? {
        guard let found = lookup(key) else { return nil }
        if case .null = found { return nil }
        return try decoder.unboxInteger(found, as: UInt16.self, element: .key(key.stringValue))
    }

    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 {
        try decoder.unboxInteger(try value(key), as: UInt32.self, element: .key(key.stringValue))
    }

    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? {
        guard let found = lookup(key) else { return nil }
        if case .null = found { return nil }
        return try decoder.unboxInteger(found, as: UInt32.self, element: .key(key.stringValue))
    }

    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 {
        try decoder.unboxInteger(try value(key), as: UInt64.self, element: .key(key.stringValue))
    }

    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? {
        guard let found = lookup(key) else { return nil }
        if case .null = found { return nil }
        return try decoder.unboxInteger(found, as: UInt64.self, element: .key(key.stringValue))
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try ValueDecoder(value: try value(key), parent: decoder, element: .key(key.stringValue)).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try ValueDecoder(value: try value(key), parent: decoder, element: .key(key.stringValue)).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        ValueDecoder(value: lookup(name: JSONKey.superKey.stringValue) ?? .null, parent: decoder, element: .key("super"))
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        ValueDecoder(value: lookup(key) ?? .null, parent: decoder, element: .key(key.stringValue))
    }
}

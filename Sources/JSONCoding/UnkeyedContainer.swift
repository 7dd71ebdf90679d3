/// The elements of one JSON array, decoded in order.
struct UnkeyedContainer: UnkeyedDecodingContainer {
    let decoder: ValueDecoder
    let items: [JSONValue]
    private(set) var currentIndex = 0

    init(decoder: ValueDecoder, items: [JSONValue]) {
        self.decoder = decoder
        self.items = items
    }

    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    /// The next element, without moving past it.
    private func peek(_ type: Any.Type) throws -> JSONValue {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                type,
                DecodingError.Context(
                    codingPath: codingPath + [JSONKey(intValue: currentIndex)], debugDescription: "Unkeyed container is at end."))
        }
        return items[currentIndex]
    }

    mutating func decodeNil() throws -> Bool {
        guard case .null = try peek(Never.self) else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let value = try decoder.unbox(try peek(T.self), as: T.self, element: .index(currentIndex))
        currentIndex += 1
        return value
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool {
        let value = try decoder.unboxBool(try peek(Bool.self), element: .index(currentIndex))
        currentIndex += 1
        return value
    }

    mutating func decode(_ type: String.Type) throws -> String {
        let value = try decoder.unboxString(try peek(String.self), element: .index(currentIndex))
        currentIndex += 1
        return value
    }

    mutating func decode(_ type: Double.Type) throws -> Double {
        let value = try decoder.unboxFloat(try peek(Double.self), as: Double.self, element: .index(currentIndex))
        currentIndex += 1
        return value
    }

    mutating func decode(_ type: Float.Type) throws -> Float {
        let value = try decoder.unboxFloat(try peek(Float.self), as: Float.self, element: .index(currentIndex))
        currentIndex += 1
        return value
    }

    mutating func decode(_ type: Int.Type) throws -> Int {
        let value = try decoder.unboxInteger(try peek(Int.self), as: Int.self, element: .index(currentIndex))
        currentIndex += 1
        return value
    }

    mutating func decode(_ type: Int8.Type) throws -> Int8 {
        let value = try decoder.unboxInteger(try peek(Int8.self), as: Int8.self, element: .index(currentIndex))
        currentIndex += 1
        return value
    }

    mutating func decode(_ type: Int16.Type) throws -> Int16 {
        let value = try decoder.unboxInteger(try peek(Int16.self), as: Int16.self, element: .index(currentIndex))
        currentIndex += 1
        return value
    }

    mutating func decode(_ type: Int32.Type) throws -> Int32 {
        let value = try decoder.unboxInteger(try peek(Int32.self), as: Int32.self, element: .index(currentIndex))
        currentIndex += 1
        return value
    }

    mutating func decode(_ type: Int64.Type) throws -> Int64 {
        let value = try decoder.unboxInteger(try peek(Int64.self), as: Int64.self, element: .index(currentIndex))
        currentIndex += 1
        return value
    }

    mutating func decode(_ type: UInt.Type) throws -> UInt {
        let value = try decoder.unboxInteger(try peek(UInt.self), as: UInt.self, element: .index(currentIndex))
        currentIndex += 1
        return value
    }

    mutating func decode(_ type: UInt8.Type) throws -> UInt8 {
        let value = try decoder.unboxInteger(try peek(UInt8.self), as: UInt8.self, element: .index(currentIndex))
        currentIndex += 1
        return value
    }

    mutating func decode(_ type: UInt16.Type) throws -> UInt16 {
        let value = try decoder.unboxInteger(try peek(UInt16.self), as: UInt16.self, element: .index(currentIndex))
        currentIndex += 1
        return value
    }

    mutating func decode(_ type: UInt32.Type) throws -> UInt32 {
        let value = try decoder.unboxInteger(try peek(UInt32.self), as: UInt32.self, element: .index(currentIndex))
        currentIndex += 1
        return value
    }

    mutating func decode(_ type: UInt64.Type) throws -> UInt64 {
        let value = try decoder.unboxInteger(try peek(UInt64.self), as: UInt64.self, element: .index(currentIndex))
        currentIndex += 1
        return value
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let container = try ValueDecoder(value: try peek([String: JSONValue].self), parent: decoder, element: .index(currentIndex))
            .container(keyedBy: type)
        currentIndex += 1
        return container
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let container = try ValueDecoder(value: try peek([JSONValue].self), parent: decoder, element: .index(currentIndex))
            .unkeyedContainer()
        currentIndex += 1
        return container
    }

    mutating func superDecoder() throws -> any Decoder {
        let nested = ValueDecoder(value: try peek(JSONValue.self), parent: decoder, element: .index(currentIndex))
        currentIndex += 1
        return nested
    }
}

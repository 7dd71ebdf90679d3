/// The decoder's own value as one primitive or nested value.
struct SingleValueContainer: SingleValueDecodingContainer {
    let decoder: ValueDecoder

    var codingPath: [any CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool {
        guard case .null = decoder.value else { return false }
        return true
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try decoder.unbox(decoder.value, as: T.self, element: nil)
    }

    func decode(_ type: Bool.Type) throws -> Bool {
        try decoder.unboxBool(decoder.value, element: nil)
    }

    func decode(_ type: String.Type) throws -> String {
        try decoder.unboxString(decoder.value, element: nil)
    }

    func decode(_ type: Double.Type) throws -> Double {
        try decoder.unboxFloat(decoder.value, as: Double.self, element: nil)
    }

    func decode(_ type: Float.Type) throws -> Float {
        try decoder.unboxFloat(decoder.value, as: Float.self, element: nil)
    }

    func decode(_ type: Int.Type) throws -> Int {
        try decoder.unboxInteger(decoder.value, as: Int.self, element: nil)
    }

    func decode(_ type: Int8.Type) throws -> Int8 {
        try decoder.unboxInteger(decoder.value, as: Int8.self, element: nil)
    }

    func decode(_ type: Int16.Type) throws -> Int16 {
        try decoder.unboxInteger(decoder.value, as: Int16.self, element: nil)
    }

    func decode(_ type: Int32.Type) throws -> Int32 {
        try decoder.unboxInteger(decoder.value, as: Int32.self, element: nil)
    }

    func decode(_ type: Int64.Type) throws -> Int64 {
        try decoder.unboxInteger(decoder.value, as: Int64.self, element: nil)
    }

    func decode(_ type: UInt.Type) throws -> UInt {
        try decoder.unboxInteger(decoder.value, as: UInt.self, element: nil)
    }

    func decode(_ type: UInt8.Type) throws -> UInt8 {
        try decoder.unboxInteger(decoder.value, as: UInt8.self, element: nil)
    }

    func decode(_ type: UInt16.Type) throws -> UInt16 {
        try decoder.unboxInteger(decoder.value, as: UInt16.self, element: nil)
    }

    func decode(_ type: UInt32.Type) throws -> UInt32 {
        try decoder.unboxInteger(decoder.value, as: UInt32.self, element: nil)
    }

    func decode(_ type: UInt64.Type) throws -> UInt64 {
        try decoder.unboxInteger(decoder.value, as: UInt64.self, element: nil)
    }
}

/// The `Decoder` over one ``JSONValue``; nested values get their own, linked to this one for the path.
final class ValueDecoder: Decoder, PathNode {
    let value: JSONValue
    let parentNode: (any PathNode)?
    let element: CodingPathElement?

    init(value: JSONValue, parent: (any PathNode)?, element: CodingPathElement?) {
        self.value = value
        self.parentNode = parent
        self.element = element
    }

    var codingPath: [any CodingKey] { path }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let object) = value else {
            throw mismatch([String: JSONValue].self, value, path: codingPath)
        }
        return KeyedDecodingContainer(KeyedContainer<Key>(decoder: self, object: object))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let items) = value else {
            throw mismatch([JSONValue].self, value, path: codingPath)
        }
        return UnkeyedContainer(decoder: self, items: items)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleValueContainer(decoder: self)
    }

    /// `value` as a `T`; `element` is where it sits below this decoder (nil: this decoder's own value).
    func unbox<T: Decodable>(_ value: JSONValue, as type: T.Type, element: CodingPathElement?) throws -> T {
        // The common leaf types without a nested decoder.
        if T.self == String.self { return try unboxString(value, element: element) as! T }
        if T.self == Int.self { return try unboxInteger(value, as: Int.self, element: element) as! T }
        if T.self == Bool.self { return try unboxBool(value, element: element) as! T }
        if T.self == Int64.self { return try unboxInteger(value, as: Int64.self, element: element) as! T }
        if T.self == Double.self { return try unboxFloat(value, as: Double.self, element: element) as! T }
        let decoder = element == nil ? self : ValueDecoder(value: value, parent: self, element: element)
        return try T(from: decoder)
    }

    func unboxString(_ value: JSONValue, element: CodingPathElement?) throws -> String {
        guard case .string(let text) = value else { throw mismatch(String.self, value, element: element) }
        return text
    }

    func unboxBool(_ value: JSONValue, element: CodingPathElement?) throws -> Bool {
        guard case .bool(let flag) = value else { throw mismatch(Bool.self, value, element: element) }
        return flag
    }

    func unboxInteger<I: FixedWidthInteger>(_ value: JSONValue, as type: I.Type, element: CodingPathElement?) throws -> I {
        guard case .number(let text) = value else { throw mismatch(I.self, value, element: element) }
        if let exact = I(text, radix: 10) { return exact }
        // A fraction or an exponent (`1e2`, `100.0`): accepted when the value is an integer that Double
        // holds exactly, as Foundation's JSONDecoder does.
        if let double = Double(text), double.isFinite, double.rounded(.towardZero) == double,
            double.magnitude < 9_007_199_254_740_992, let exact = I(exactly: double)
        {
            return exact
        }
        throw DecodingError.dataCorrupted(
            DecodingError.Context(
                codingPath: pathTo(element), debugDescription: "Number \(text) is not representable as \(I.self)."))
    }

    func unboxFloat<F: BinaryFloatingPoint & LosslessStringConvertible>(
        _ value: JSONValue, as type: F.Type, element: CodingPathElement?
    ) throws -> F {
        guard case .number(let text) = value else { throw mismatch(F.self, value, element: element) }
        guard let number = F(text), number.isFinite else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: pathTo(element), debugDescription: "Number \(text) is not representable as \(F.self)."))
        }
        return number
    }

    func pathTo(_ element: CodingPathElement?) -> [any CodingKey] {
        guard let element else { return codingPath }
        return codingPath + [element.codingKey]
    }

    func mismatch(_ type: Any.Type, _ value: JSONValue, element: CodingPathElement? = nil) -> DecodingError {
        mismatch(type, value, path: pathTo(element))
    }

    func mismatch(_ type: Any.Type, _ value: JSONValue, path: [any CodingKey]) -> DecodingError {
        if case .null = value {
            return DecodingError.valueNotFound(
                type, DecodingError.Context(codingPath: path, debugDescription: "Expected \(type) value but found null instead."))
        }
        return DecodingError.typeMismatch(
            type, DecodingError.Context(codingPath: path, debugDescription: "Expected to decode \(type) but found \(value.kind) instead."))
    }
}

extension JSONValue {
    /// The JSON type's name, for error messages.
    var kind: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "a dictionary"
        }
    }
}

/// The `Encoder` building one ``EncodedNode``; nested values get their own, linked to this one for the path.
final class ValueEncoder: Encoder, PathNode {
    /// What was encoded; nil while nothing was.
    var node: EncodedNode?
    let parentNode: (any PathNode)?
    let element: CodingPathElement?

    init(parent: (any PathNode)?, element: CodingPathElement?) {
        self.parentNode = parent
        self.element = element
    }

    var codingPath: [any CodingKey] { path }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let object: ObjectNode
        if case .object(let existing) = node {
            object = existing
        } else {
            object = ObjectNode()
            node = .object(object)
        }
        return KeyedEncodingContainer(KeyedEncoder<Key>(encoder: self, object: object))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let array: ArrayNode
        if case .array(let existing) = node {
            array = existing
        } else {
            array = ArrayNode()
            node = .array(array)
        }
        return UnkeyedEncoder(encoder: self, array: array)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleValueEncoder(encoder: self)
    }

    /// Encodes `value` as this encoder's own value.
    func box<T: Encodable>(_ value: T) throws {
        if let leaf = try leaf(value, element: nil) {
            node = leaf
        } else {
            try value.encode(to: self)
        }
    }

    /// The node of `value` placed at `element` below this encoder.
    func node<T: Encodable>(for value: T, element: CodingPathElement) throws -> EncodedNode {
        if let leaf = try leaf(value, element: element) { return leaf }
        let nested = ValueEncoder(parent: self, element: element)
        try value.encode(to: nested)
        // A value that encodes nothing is an empty object, as with Foundation.
        return nested.node ?? .object(ObjectNode())
    }

    /// The common leaf types without a nested encoder; nil for anything else.
    private func leaf<T: Encodable>(_ value: T, element: CodingPathElement?) throws -> EncodedNode? {
        if T.self == String.self { return .value(.string(value as! String)) }
        if T.self == Int.self { return .int(Int64(value as! Int)) }
        if T.self == Bool.self { return .value(.bool(value as! Bool)) }
        if T.self == Int64.self { return .int(value as! Int64) }
        if T.self == Double.self { return try float(value as! Double, element: element) }
        return nil
    }

    /// A finite floating-point number in its shortest round-trip form.
    func float<F: BinaryFloatingPoint & CustomStringConvertible>(_ value: F, element: CodingPathElement?) throws -> EncodedNode {
        guard value.isFinite else {
            var path = codingPath
            if let element { path.append(element.codingKey) }
            throw EncodingError.invalidValue(
                value, EncodingError.Context(codingPath: path, debugDescription: "Unable to encode \(F.self).\(value) directly in JSON."))
        }
        // The shortest text that reads back as the same value, without a ".0" on integral values (as
        // Foundation writes them: `1700000000` for an ApproximateCreationDateTime, not `1700000000.0`).
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        return .value(.number(text))
    }
}

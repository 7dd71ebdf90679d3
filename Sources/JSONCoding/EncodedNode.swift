/// What a `ValueEncoder` builds: leaves, and containers as references so that a container handed out
/// (`nestedContainer`) can still be filled after it was placed in its parent.
enum EncodedNode {
    case value(JSONValue)
    case int(Int64)
    case uint(UInt64)
    case array(ArrayNode)
    case object(ObjectNode)
    /// The value of an encoder handed out by `superEncoder()`, read when written.
    case encoder(ValueEncoder)

    /// Appends the JSON text of this node.
    func write(sortedKeys: Bool, to out: inout [UInt8]) {
        switch self {
        case .value(let value):
            JSONWriter.append(value, sortedKeys: sortedKeys, to: &out)
        case .int(let number):
            out.append(contentsOf: String(number).utf8)
        case .uint(let number):
            out.append(contentsOf: String(number).utf8)
        case .array(let array):
            JSONWriter.appendArray(array.items, to: &out) { item, out in item.write(sortedKeys: sortedKeys, to: &out) }
        case .object(let object):
            JSONWriter.appendObject(keys: object.keys, sortedKeys: sortedKeys, to: &out) { member, out in
                object.values[member].write(sortedKeys: sortedKeys, to: &out)
            }
        case .encoder(let encoder):
            (encoder.node ?? .object(ObjectNode())).write(sortedKeys: sortedKeys, to: &out)
        }
    }
}

/// An array being encoded.
final class ArrayNode {
    var items: [EncodedNode] = []
}

/// An object being encoded: members in the order they were encoded; a key encoded again replaces its
/// value in place (as Foundation does), so the output never has a duplicate name.
final class ObjectNode {
    private(set) var keys: [String] = []
    private(set) var values: [EncodedNode] = []
    /// Positions by key once the object is large, so setting a member stays O(1).
    private var index: [String: Int]?

    func set(_ value: EncodedNode, for key: String) {
        if let position = position(of: key) {
            values[position] = value
            return
        }
        keys.append(key)
        values.append(value)
        if index != nil {
            index![key] = keys.count - 1
        } else if keys.count > 16 {
            var built = [String: Int](minimumCapacity: keys.count * 2)
            for (position, name) in keys.enumerated() { built[name] = position }
            index = built
        }
    }

    func value(for key: String) -> EncodedNode? {
        position(of: key).map { values[$0] }
    }

    private func position(of key: String) -> Int? {
        if let index { return index[key] }
        return keys.firstIndex(of: key)
    }
}

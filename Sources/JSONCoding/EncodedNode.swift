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
            out.append(UInt8(ascii: "["))
            for (position, item) in array.items.enumerated() {
                if position > 0 { out.append(UInt8(ascii: ",")) }
                item.write(sortedKeys: sortedKeys, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let object):
            out.append(UInt8(ascii: "{"))
            var order = Array(object.keys.indices)
            if sortedKeys { order.sort { object.keys[$0].utf8.lexicographicallyPrecedes(object.keys[$1].utf8) } }
            for (position, member) in order.enumerated() {
                if position > 0 { out.append(UInt8(ascii: ",")) }
                JSONWriter.appendString(object.keys[member], to: &out)
                out.append(UInt8(ascii: ":"))
                object.values[member].write(sortedKeys: sortedKeys, to: &out)
            }
            out.append(UInt8(ascii: "}"))
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

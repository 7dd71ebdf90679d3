/// Encodes `Encodable` values as JSON bytes, without Foundation.
///
/// Matches Foundation's `JSONEncoder` with default strategies, except: `/` is not escaped, members come
/// in the order they were encoded (Foundation's order is unspecified unless sorted), and ``sortedKeys`` sorts
/// by UTF-8 bytes. Numbers are written as Foundation writes them: the shortest text that reads back as the
/// same value, integral ones without `.0`.
/// A non-finite `Double`/`Float` is an `EncodingError.invalidValue`, as in Foundation.
package struct JSONByteEncoder: Sendable {
    /// Whether each object's members are written sorted by name (the same content then gives the same bytes).
    public var sortedKeys: Bool

    /// Creates an encoder.
    public init(sortedKeys: Bool = false) {
        self.sortedKeys = sortedKeys
    }

    /// The JSON text of `value`.
    public func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let encoder = ValueEncoder(parent: nil, element: nil)
        try encoder.box(value)
        guard let node = encoder.node else {
            throw EncodingError.invalidValue(
                value, EncodingError.Context(codingPath: [], debugDescription: "Top-level \(T.self) did not encode any values."))
        }
        var out: [UInt8] = []
        out.reserveCapacity(256)
        node.write(sortedKeys: sortedKeys, to: &out)
        return out
    }
}

/// Decodes `Decodable` values from JSON bytes, without Foundation: ``JSONReader`` (strict RFC 8259) and
/// a `Decoder` over its ``JSONValue``.
///
/// Behaves as Foundation's `JSONDecoder` with default strategies for the types the functions use: keys as
/// they are, `null` for absent optionals, numbers into any integer type when exact (`1e2` is an `Int` 100;
/// `1.5` or a value out of range is a type mismatch; integral values written with a fraction or an exponent
/// are exact below 2^53 only), into `Double`/`Float` by the standard library's correctly rounded parser
/// (out of range is refused rather than made infinite). No special cases for `Date`, `Data` or `URL`.
/// Syntax errors are `DecodingError.dataCorrupted` whose `underlyingError` is a ``JSONCodingError``.
package struct JSONByteDecoder: Sendable {
    /// Creates a decoder.
    public init() {}

    /// Decodes a `T` from the JSON text `bytes`.
    public func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try decode(type, value: try Self.read(bytes))
    }

    /// Decodes a `T` from an already read JSON value.
    public func decode<T: Decodable>(_ type: T.Type, value: JSONValue) throws -> T {
        try ValueDecoder(value: value, parent: nil, element: nil).unbox(value, as: type, element: nil)
    }

    /// `JSONReader.read` with its error as a `DecodingError`, as Codable callers expect.
    static func read(_ bytes: [UInt8]) throws -> JSONValue {
        do {
            return try JSONReader.read(bytes)
        } catch {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: [], debugDescription: "The given data was not valid JSON: \(error)", underlyingError: error))
        }
    }
}

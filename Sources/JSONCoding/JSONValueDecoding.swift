/// A `Decoder` that can hand over the JSON value it decodes, so a type with a hot decoder (DynamoDB's
/// `AttributeValue`, thousands per Scan) can read the value directly instead of through Codable's
/// containers. `JSONByteDecoder`'s decoders conform; a type must still decode through its containers
/// when the cast fails (another decoder) or when it does not recognise the value.
package protocol JSONValueDecoding {
    /// The value being decoded.
    var jsonValue: JSONValue { get }
}

extension ValueDecoder: JSONValueDecoding {
    var jsonValue: JSONValue { value }
}

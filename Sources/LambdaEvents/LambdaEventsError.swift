/// The one error type of `LambdaEvents`: something in an event that the types could not accept.
///
/// Decoding through `Codable` reports problems as `DecodingError` (that is what `Decoder` callers expect);
/// such a `DecodingError` carries a `LambdaEventsError` as its underlying error where the problem is ours
/// to describe (an attribute value with no or several type members, a malformed number, bad base64).
/// The accessors that work on an already decoded event (for example
/// ``APIGatewayWebSocketRequest/bodyBytes()``) throw it directly.
package struct LambdaEventsError: Error, Sendable, CustomStringConvertible {
    /// What kind of problem was found.
    public enum Code: Sendable, Hashable {
        /// A DynamoDB attribute value was not exactly one known, well-formed type member.
        case invalidAttributeValue
        /// A DynamoDB Streams record did not have the shape Lambda documents.
        case invalidStreamRecord
        /// A field said to be base64 (`isBase64Encoded`, a `B` or `BS` member) was not valid base64.
        case invalidBase64
        /// A body expected to be text was not valid UTF-8.
        case invalidUTF8
    }

    /// What kind of problem was found.
    public var code: Code
    /// A sentence saying what was found, for logs and invocation errors.
    public var message: String
    /// The error that caused this one, if any.
    public var underlying: (any Error)?

    /// Creates an error.
    public init(code: Code, message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    /// `"<code>: <message>"`, plus the underlying error when there is one.
    public var description: String {
        var text = "\(code): \(message)"
        if let underlying {
            text += " (\(underlying))"
        }
        return text
    }
}

/// Why bytes are not the JSON this module accepts: the one error type of the module's own.
///
/// The Codable layer reports it as the `underlyingError` of a `DecodingError.dataCorrupted`, as Codable
/// callers expect; ``JSONReader`` throws it directly.
package struct JSONCodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of problem.
    public enum Code: String, Sendable {
        /// Not RFC 8259 JSON (a stray byte, a bad literal, number, escape or structure).
        case syntax
        /// A string that is not valid UTF-8, or a `\u` escape that is a lone surrogate.
        case invalidUnicode
        /// Objects and arrays nested deeper than ``JSONReader/maximumDepth``.
        case tooDeep
        /// An object with the same member name twice.
        case duplicateKey
        /// Nothing but whitespace.
        case empty
    }

    /// What kind of problem.
    public let code: Code
    /// The byte offset where it was found.
    public let offset: Int
    /// A short explanation (never the input's content beyond a key name).
    public let message: String

    /// Creates an error.
    public init(code: Code, offset: Int, message: String) {
        self.code = code
        self.offset = offset
        self.message = message
    }

    /// `syntax at byte 12: expected ':' after an object key`.
    public var description: String { "\(code.rawValue) at byte \(offset): \(message)" }
}

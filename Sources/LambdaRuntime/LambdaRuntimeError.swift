/// Everything that can go wrong in the runtime itself. One error type for the module.
public struct LambdaRuntimeError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, so callers decide without reading messages.
    public enum Code: String, Sendable {
        /// A required environment variable is missing or invalid.
        case configuration
        /// The handler factory threw during initialisation.
        case handlerInitialization
        /// The Runtime API could not be reached, or answered `/next` with something other than 200.
        case runtimeAPIUnavailable
        /// `/next` answered without a required header, or with an invalid one.
        case invalidInvocation
        /// The event could not be decoded into the handler's `Event` type.
        case eventDecoding
        /// The handler's output could not be encoded.
        case responseEncoding
        /// The Runtime API refused a response or error post (see `status`; 413 = too large).
        case rejected
    }

    /// The kind of failure.
    public var code: Code
    /// A human-readable explanation (never contains secrets).
    public var message: String
    /// The HTTP status the Runtime API answered with, when it answered.
    public var status: Int?
    /// The error that caused this one, if any (a transport error, a `DecodingError`, ...).
    public var underlying: (any Error)?

    /// Creates an error.
    public init(code: Code, message: String, status: Int? = nil, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.status = status
        self.underlying = underlying
    }

    /// `code: message (status N): underlying`.
    public var description: String {
        var text = "\(code.rawValue): \(message)"
        if let status { text += " (status \(status))" }
        if let underlying { text += ": \(underlying)" }
        return text
    }
}

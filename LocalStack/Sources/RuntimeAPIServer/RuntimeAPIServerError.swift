/// Why `RuntimeAPIServer` could not do what was asked. One error type for the module.
public struct RuntimeAPIServerError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure.
    public enum Code: String, Sendable {
        /// The server could not bind or start.
        case startFailed
        /// `start()` on a running server.
        case alreadyRunning
        /// The function did not answer before the invocation's time ran out.
        case timeout
    }

    /// The kind of failure.
    public var code: Code
    /// A human-readable explanation.
    public var message: String
    /// The error that caused this one, if any.
    public var underlying: (any Error)?

    /// Creates an error.
    public init(code: Code, message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    /// `code: message: underlying`.
    public var description: String {
        "\(code.rawValue): \(message)" + (underlying.map { ": \($0)" } ?? "")
    }
}

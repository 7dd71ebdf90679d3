/// The one error type of the app logic.
public struct VisitorCounterError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, for callers that branch on it.
    public enum Code: String, Sendable {
        /// A required environment variable is missing or invalid (an init error), or libcrypto cannot be
        /// loaded (an error of each invocation that needs it).
        case configuration
        /// The event is not what the route needs (e.g. no connection id).
        case invalidEvent
        /// DynamoDB or the Management API failed in a way the logic cannot absorb.
        case storage
    }

    public var code: Code
    public var message: String
    /// The error that caused this one, if any (an AWSClientError, for instance).
    public var underlying: (any Error)?

    public init(_ code: Code, _ message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    public var description: String {
        underlying.map { "\(message): \($0)" } ?? message
    }
}

/// How the function answered one invocation.
public enum InvocationResult: Sendable, Equatable {
    /// The body posted to `/invocation/{id}/response`.
    case response([UInt8])
    /// What was posted to `/invocation/{id}/error`: the `Lambda-Runtime-Function-Error-Type` header (or the
    /// body's `errorType`), the body's `errorMessage`, and the raw body.
    case error(type: String, message: String, body: [UInt8])
}

/// What the function posted to `/runtime/init/error`.
public struct InitError: Sendable, Equatable {
    /// The `Lambda-Runtime-Function-Error-Type` header, or the body's `errorType`.
    public var type: String
    /// The body's `errorMessage`.
    public var message: String
    /// The raw body.
    public var body: [UInt8]

    /// Creates a record of an init error.
    public init(type: String, message: String, body: [UInt8]) {
        self.type = type
        self.message = message
        self.body = body
    }
}

/// Which responses the server accepts (a fault knob: Lambda refuses responses over 6 MB with 413).
public enum ResponseLimit: Sendable, Equatable {
    /// Accept any size.
    case unlimited
    /// Answer 413 to a response body larger than this many bytes.
    case bytes(Int)
    /// Answer 413 to every response.
    case refuseAll
}

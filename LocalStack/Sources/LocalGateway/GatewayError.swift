/// The local gateway's one error type: what went wrong (`code`), for whom (`message`), and why (`underlying`).
struct GatewayError: Error, CustomStringConvertible {
    /// The kinds of failure the gateway reports.
    enum Code: Sendable {
        /// A command-line argument is missing or malformed.
        case invalidArguments
        /// The HTTP port (or another listening port) is taken.
        case portInUse
        /// The tables file, the environment or the build folder is unusable.
        case configuration
        /// Creating or describing the tables failed.
        case tables
        /// A function process could not start or its Runtime API failed.
        case function
        /// Polling the table's stream failed.
        case stream
    }

    var code: Code
    var message: String
    var underlying: (any Error)?

    init(_ code: Code, _ message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    var description: String {
        guard let underlying else { return message }
        return "\(message): \(underlying)"
    }
}

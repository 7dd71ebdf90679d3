import CurlHTTP

/// The seam between the run loop and the wire: the four calls of the Runtime API.
///
/// `SocketRuntimeAPIClient` speaks HTTP; tests use an in-memory fake. Calls are made from one thread.
package protocol RuntimeAPIClient: AnyObject {
    /// Blocks until Lambda hands out the next invocation (`GET /runtime/invocation/next`, no timeout).
    /// - Throws: `LambdaRuntimeError(.runtimeAPIUnavailable)` when unreachable or answered with non-200.
    func nextInvocation() throws(LambdaRuntimeError) -> Invocation

    /// Posts the result of invocation `requestID`.
    /// - Throws: `.rejected` with the status when refused (413: too large), `.runtimeAPIUnavailable` on transport failure.
    func postResponse(requestID: String, body: [UInt8]) throws(LambdaRuntimeError)

    /// Posts the error of invocation `requestID`.
    func postError(requestID: String, report: ErrorReport) throws(LambdaRuntimeError)

    /// Reports a failed initialisation; Lambda then ends the execution environment.
    func postInitError(_ report: ErrorReport) throws(LambdaRuntimeError)
}

/// One answer of `/next`, as received: headers are validated by the loop, so a bad one is an error of
/// that invocation rather than of the client.
public struct Invocation: Sendable {
    /// The response headers (request id, deadline, ARN, trace id, ...).
    public var headers: HTTPHeaders
    /// The event payload.
    public var event: [UInt8]

    /// Creates an invocation.
    public init(headers: HTTPHeaders, event: [UInt8]) {
        self.headers = headers
        self.event = event
    }
}

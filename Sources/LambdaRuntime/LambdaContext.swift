/// What a handler knows about the invocation it is serving, from the `/next` response headers.
public struct LambdaContext: Sendable {
    /// The invocation's request id (`Lambda-Runtime-Aws-Request-Id`).
    public let requestID: String
    /// When the invocation times out, in Unix epoch milliseconds (`Lambda-Runtime-Deadline-Ms`).
    public let deadline: Int64
    /// ARN of the function, version or alias invoked (`Lambda-Runtime-Invoked-Function-Arn`).
    public let invokedFunctionARN: String
    /// The X-Ray tracing header (`Lambda-Runtime-Trace-Id`), also set as `_X_AMZN_TRACE_ID`.
    public let traceID: String?
    /// Client application data (JSON text), for invocations from the AWS Mobile SDK.
    package let clientContext: String?
    /// Amazon Cognito identity data (JSON text), for invocations from the AWS Mobile SDK.
    package let cognitoIdentity: String?
    /// A logger that tags every line with this invocation's request id.
    public let logger: LambdaLogger
    /// The deadline on the monotonic clock, fixed when the context is made, so later wall-clock
    /// jumps cannot stretch or shrink the time left.
    package let deadlineInstant: ContinuousClock.Instant

    /// Creates a context; `deadline` is converted once to a monotonic instant using the wall clock.
    public init(
        requestID: String,
        deadline: Int64,
        invokedFunctionARN: String,
        traceID: String? = nil,
        clientContext: String? = nil,
        cognitoIdentity: String? = nil,
        logger: LambdaLogger
    ) {
        self.requestID = requestID
        self.deadline = deadline
        self.invokedFunctionARN = invokedFunctionARN
        self.traceID = traceID
        self.clientContext = clientContext
        self.cognitoIdentity = cognitoIdentity
        self.logger = logger
        self.deadlineInstant = ContinuousClock.now + .milliseconds(deadline - WallClock.epochMilliseconds())
    }

    /// A context whose deadline is `remainingTime` from now: handy for tests of handlers.
    public init(
        requestID: String,
        remainingTime: Duration,
        invokedFunctionARN: String = "arn:aws:lambda:us-east-1:000000000000:function:test",
        logger: LambdaLogger = LambdaLogger()
    ) {
        let milliseconds = remainingTime / .milliseconds(1)
        self.init(
            requestID: requestID, deadline: WallClock.epochMilliseconds() + Int64(milliseconds),
            invokedFunctionARN: invokedFunctionARN, logger: logger.with(requestID: requestID))
    }

    /// Time left before Lambda stops the invocation; negative once the deadline has passed.
    package func remainingTime() -> Duration {
        deadlineInstant - ContinuousClock.now
    }
}

/// How DBStreamProcessor reaches the pages: the API Gateway Management API in production
/// (`ManagementAPIPushChannel`), an in-memory fake in unit tests.
public protocol PushChannel {
    /// Posts `message` to every connection, at most `concurrency` at once, retrying throttling and
    /// server errors with backoff until `deadline`. One bad connection never stops the others.
    func broadcast(
        _ message: [UInt8], to connectionIds: [String], concurrency: Int, deadline: ContinuousClock.Instant
    ) -> PushReport
}

/// The outcome of one broadcast.
public struct PushReport: Sendable, Equatable {
    /// Connections that answered 410 Gone.
    public var gone: [String]
    /// Connections that got the message.
    public var sent: Int
    /// Connections that failed for any other reason (after retries).
    public var failed: Int
    /// Extra attempts made because of 429, 5xx or transport errors.
    public var retries: Int
    /// One sample reason per kind of failure (kind, reason), e.g. `("403 AccessDeniedException", "...")`:
    /// a signing or permissions problem must show its reason in the log, not only a count.
    public var failureSamples: [FailureSample]

    public init(sent: Int = 0, gone: [String] = [], failed: Int = 0, retries: Int = 0, failureSamples: [FailureSample] = []) {
        self.sent = sent
        self.gone = gone
        self.failed = failed
        self.retries = retries
        self.failureSamples = failureSamples
    }
}

/// One kind of failure and the reason of one failure of that kind (secret-free).
public struct FailureSample: Sendable, Equatable {
    public var kind: String
    public var reason: String

    public init(kind: String, reason: String) {
        self.kind = kind
        self.reason = reason
    }
}

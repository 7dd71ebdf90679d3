import AWSClient

/// How DBStreamProcessor reaches the pages: the API Gateway Management API in production
/// (`ManagementAPIPushChannel`), an in-memory fake in unit tests.
package protocol PushChannel {
    /// Posts `message` to every connection, at most `concurrency` at once, retrying throttling and
    /// server errors with backoff until `deadline`. One bad connection never stops the others.
    /// - Returns: how each connection fared; the invocation's summary line is read from it (`BroadcastSummary`).
    func broadcast(
        _ message: [UInt8], to connectionIds: [String], concurrency: Int, deadline: ContinuousClock.Instant
    ) -> BroadcastReport
}

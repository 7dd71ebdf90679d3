import AWSClient

/// `PushChannel` over the API Gateway Management API: the fan-out of `ManagementAPIClient.post`,
/// which signs every attempt, keeps `concurrency` requests in flight over reused connections and
/// retries throttling and server errors with backoff and full jitter until shortly before the deadline
/// (`RetryPolicy.managementAPIUntilDeadline`).
package final class ManagementAPIPushChannel: PushChannel {
    let client: ManagementAPIClient

    public init(client: ManagementAPIClient) {
        self.client = client
    }

    public func broadcast(
        _ message: [UInt8], to connectionIds: [String], concurrency: Int, deadline: ContinuousClock.Instant
    ) -> BroadcastReport {
        client.post(message, to: connectionIds, concurrency: concurrency, deadline: deadline)
    }
}

/// When and how long to wait before sending a failed request again: capped exponential backoff with
/// "full jitter", bounded by a number of attempts and by the caller's deadline.
///
/// The wait before retry *n* is uniform in `0...min(maxDelay, baseDelay * 2^(n-1))`, which spreads
/// clients that failed together (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/).
public struct RetryPolicy: Sendable, Equatable {
    /// Attempts in total, the first one included; 1 means never retry.
    public var maxAttempts: Int
    /// The cap of the first wait.
    public var baseDelay: Duration
    /// No wait is longer than this.
    public var maxDelay: Duration

    /// Creates a policy; `maxAttempts` below 1 counts as 1 and negative delays as zero.
    public init(maxAttempts: Int, baseDelay: Duration, maxDelay: Duration) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = max(.zero, baseDelay)
        self.maxDelay = max(.zero, maxDelay)
    }

    /// Four attempts, waits capped at 50, 100, 200 ms: about the AWS SDKs' DynamoDB defaults, short
    /// enough for a Lambda invocation.
    public static let `default` = RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(50), maxDelay: .seconds(2))
    /// One attempt, no retries.
    public static let none = RetryPolicy(maxAttempts: 1, baseDelay: .zero, maxDelay: .zero)

    /// The cap of the wait after failed attempt `attempt` (1-based): `min(maxDelay, baseDelay * 2^(attempt-1))`.
    public func ceiling(attempt: Int) -> Duration {
        let exponent = min(max(attempt, 1) - 1, 30)
        let base = baseDelay.nanoseconds
        let scaled = base > Int64.max >> exponent ? Int64.max : base << exponent
        return .nanoseconds(min(scaled, maxDelay.nanoseconds))
    }

    /// A random wait after failed attempt `attempt` (1-based), uniform in `0...ceiling(attempt:)`.
    public func delay(attempt: Int) -> Duration {
        var generator = SystemRandomNumberGenerator()
        return delay(attempt: attempt, using: &generator)
    }

    /// As `delay(attempt:)`, drawing from `generator` (tests pass a seeded one).
    public func delay(attempt: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        let cap = ceiling(attempt: attempt).nanoseconds
        guard cap > 0 else { return .zero }
        return .nanoseconds(Int64.random(in: 0...cap, using: &generator))
    }

    /// The wait before another attempt after failed attempt `attempt`, or nil to give up: when the
    /// attempts are used up, or when the wait would end at or after `deadline` (a retry that cannot
    /// start before the deadline is pointless, and sleeping past it would overrun the invocation).
    public func delayBeforeRetry(
        after attempt: Int, now: ContinuousClock.Instant, deadline: ContinuousClock.Instant?,
        using generator: inout some RandomNumberGenerator
    ) -> Duration? {
        guard attempt < maxAttempts else { return nil }
        let wait = delay(attempt: attempt, using: &generator)
        if let deadline, now.advanced(by: wait) >= deadline { return nil }
        return wait
    }

    /// As `delayBeforeRetry(after:now:deadline:using:)` with the system's random numbers.
    public func delayBeforeRetry(after attempt: Int, now: ContinuousClock.Instant, deadline: ContinuousClock.Instant?) -> Duration? {
        var generator = SystemRandomNumberGenerator()
        return delayBeforeRetry(after: attempt, now: now, deadline: deadline, using: &generator)
    }
}

extension Duration {
    /// The duration in whole nanoseconds, saturating at `Int64.max`.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? Int64.min : Int64.max }
        let (sum, overflow2) = scaled.addingReportingOverflow(attoseconds / 1_000_000_000)
        return overflow2 ? Int64.max : sum
    }
}

/// When and how long to wait before sending a failed request again: capped exponential backoff with
/// "full jitter", bounded by a number of attempts and by the caller's deadline.
///
/// The wait before retry *n* is uniform in `0...min(maxDelay, baseDelay * 2^(n-1))`, which spreads
/// clients that failed together (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/).
///
/// Two ways to meet a deadline: with no `attemptReserve` a wait that would end at or after the deadline
/// gives up (the attempts are few and short); with one, the wait is drawn from what is left of the time
/// minus that reserve, so a policy that retries "until the deadline" keeps trying until shortly before it
/// instead of giving up on one long draw.
public struct RetryPolicy: Sendable, Equatable {
    /// Attempts in total, the first one included; 1 means never retry.
    package var maxAttempts: Int
    /// The cap of the first wait.
    package var baseDelay: Duration
    /// No wait is longer than this.
    package var maxDelay: Duration
    /// Time kept for the attempt after a wait, when a deadline is given: the wait is drawn from at most
    /// `left - attemptReserve`, and there is no retry once less than this is left. Zero: see the type's doc.
    package var attemptReserve: Duration

    /// Creates a policy; `maxAttempts` below 1 counts as 1 and negative delays as zero.
    public init(maxAttempts: Int, baseDelay: Duration, maxDelay: Duration, attemptReserve: Duration = .zero) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = max(.zero, baseDelay)
        self.maxDelay = max(.zero, maxDelay)
        self.attemptReserve = max(.zero, attemptReserve)
    }

    /// Retries as long as the deadline allows: waits from `baseDelay` doubling up to `maxDelay`, full
    /// jitter, the last attempt starting at least `attemptReserve` before the deadline.
    package static func untilDeadline(baseDelay: Duration, maxDelay: Duration, attemptReserve: Duration) -> RetryPolicy {
        RetryPolicy(maxAttempts: .max, baseDelay: baseDelay, maxDelay: maxDelay, attemptReserve: attemptReserve)
    }

    /// DBUpdater's DynamoDB calls: a spike makes `$connect`s collide on the counter (`TransactionConflict`,
    /// a window of some tens of milliseconds), so conflicts and throttling are retried with short, spread
    /// waits (10 ms doubling to 500 ms) until 100 ms before the deadline; the answer can still be reported.
    package static let dynamoDBUntilDeadline = untilDeadline(
        baseDelay: .milliseconds(10), maxDelay: .milliseconds(500), attemptReserve: .milliseconds(100))

    /// The broadcast's posts: account-wide throttling of the Management API lasts seconds, not
    /// milliseconds, so 429s and 5xx are retried with waits growing from 100 ms to 4 s until 300 ms
    /// before the deadline.
    package static let managementAPIUntilDeadline = untilDeadline(
        baseDelay: .milliseconds(100), maxDelay: .seconds(4), attemptReserve: .milliseconds(300))

    /// Four attempts, waits capped at 50, 100, 200 ms: about the AWS SDKs' DynamoDB defaults, short
    /// enough for a Lambda invocation.
    public static let `default` = RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(50), maxDelay: .seconds(2))
    /// One attempt, no retries.
    public static let none = RetryPolicy(maxAttempts: 1, baseDelay: .zero, maxDelay: .zero)

    /// The cap of the wait after failed attempt `attempt` (1-based): `min(maxDelay, baseDelay * 2^(attempt-1))`.
    package func ceiling(attempt: Int) -> Duration {
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
    package func delayBeforeRetry(
        after attempt: Int, now: ContinuousClock.Instant, deadline: ContinuousClock.Instant?,
        using generator: inout some RandomNumberGenerator
    ) -> Duration? {
        guard attempt < maxAttempts else { return nil }
        // A policy bounded by the deadline alone still ends without one: at the default's four attempts.
        if attemptReserve > .zero, deadline == nil, attempt >= Self.default.maxAttempts { return nil }
        if attemptReserve > .zero, let deadline {
            let usable = now.duration(to: deadline) - attemptReserve
            guard usable > .zero else { return nil }
            let cap = min(ceiling(attempt: attempt), usable).nanoseconds
            return cap > 0 ? .nanoseconds(Int64.random(in: 0...cap, using: &generator)) : .zero
        }
        let wait = delay(attempt: attempt, using: &generator)
        if let deadline, now.advanced(by: wait) >= deadline { return nil }
        return wait
    }

    /// As `delayBeforeRetry(after:now:deadline:using:)` with the system's random numbers.
    package func delayBeforeRetry(after attempt: Int, now: ContinuousClock.Instant, deadline: ContinuousClock.Instant?) -> Duration? {
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

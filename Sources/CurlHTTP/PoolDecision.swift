/// What `HTTPClientPool.run` does with a job after one of its attempts finished.
public enum PoolDecision: Sendable, Equatable {
    /// The job is finished; no further attempt.
    case done
    /// Start another attempt once `after` has passed (a zero or negative delay retries at once),
    /// unless that would be at or after the run's deadline.
    case retry(after: Duration)
}

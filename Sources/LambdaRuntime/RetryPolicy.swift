/// How long the loop keeps trying to reach an unavailable Runtime API: capped exponential backoff,
/// giving up only after a long stretch of continuous failure.
///
/// On AWS the Runtime API never goes away while the environment lives; the local gateway can restart
/// it, and a function that died on the first refused connect would have to be restarted too.
struct RetryPolicy: Sendable {
    /// The first pause after a failure.
    var initialDelay: Duration = .milliseconds(20)
    /// The longest pause between attempts.
    var maxDelay: Duration = .seconds(2)
    /// Continuous failure for this long ends the process.
    var giveUpAfter: Duration = .seconds(120)

    /// The pause after `failures` consecutive failures (1 = the first).
    func delay(afterFailures failures: Int) -> Duration {
        var delay = initialDelay
        for _ in 1..<max(1, failures) {
            delay *= 2
            if delay >= maxDelay { return maxDelay }
        }
        return min(delay, maxDelay)
    }
}

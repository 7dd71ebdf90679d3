/// How long the loop keeps trying to reach an unavailable Runtime API: capped exponential backoff,
/// giving up only after a long stretch of continuous failure.
///
/// On AWS the Runtime API never goes away while the environment lives; the local gateway can restart
/// it, and a function that died on the first refused connect would have to be restarted too.
struct RuntimeAPIBackoff: Sendable {
    /// The first pause after a failure.
    var initialDelay: Duration
    /// The longest pause between attempts.
    var maxDelay: Duration
    /// Continuous failure for this long ends the process.
    var giveUpAfter: Duration

    /// The defaults: 20 ms doubling to 2 s, for up to two minutes; tests pass short bounds.
    init(initialDelay: Duration = .milliseconds(20), maxDelay: Duration = .seconds(2), giveUpAfter: Duration = .seconds(120)) {
        self.initialDelay = initialDelay
        self.maxDelay = maxDelay
        self.giveUpAfter = giveUpAfter
    }

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

import SystemSupport
import Testing

/// The blocking sleep waits at least as long as asked (a lower bound only: a loaded machine may wait
/// longer) and not at all for zero or negative durations.
@Suite struct BlockingSleepTests {
    @Test func sleepsAtLeastTheDuration() {
        let clock = ContinuousClock()
        let waited = clock.measure { BlockingSleep.sleep(.milliseconds(20)) }
        #expect(waited >= .milliseconds(20))
        let fractional = clock.measure { BlockingSleep.sleep(.microseconds(1_500)) }
        #expect(fractional >= .microseconds(1_500))
    }

    @Test func zeroAndNegativeReturnAtOnce() {
        let clock = ContinuousClock()
        // Asked for nothing; half a minute would mean it slept the absolute value.
        let waited = clock.measure {
            BlockingSleep.sleep(.zero)
            BlockingSleep.sleep(.seconds(-30))
        }
        #expect(waited < .seconds(30))
    }
}

import Foundation
import Synchronization
import SystemSupport

/// The ways AWS is harder than the local stack, switched on from the command line (or, for the Management
/// API's throttling, while running through `FaultControl`), so tests and `make dev` can see what the
/// functions do when:
/// - a `$disconnect` never arrives (API Gateway delivers it on a best-effort basis): a fraction of them is
///   dropped, drawn from a seeded generator so a run can be repeated;
/// - the Management API throttles account-wide (its rate is shared with every other API of the account):
///   every POST answers 429 until a moment chosen at run time.
/// TTL lag, the third, lives in `TTLSweeper`; its deletions are counted here so one place reports them all.
final class LocalFaults: Sendable {
    /// The fraction of `$disconnect`s dropped (0: none, 1: all).
    let dropDisconnectFraction: Double
    /// The seed of the drop draws (printed at start, so a run can be repeated).
    let seed: UInt64
    private let state: Mutex<State>

    private struct State {
        var generator: SplitMix64
        var droppedDisconnects = 0
        var invokedDisconnects = 0
        var throttledPosts = 0
        var throttledUntil: ContinuousClock.Instant?
        var expiredRowsDeleted = 0
    }

    init(dropDisconnectFraction: Double = 0, seed: UInt64? = nil) {
        self.dropDisconnectFraction = min(1, max(0, dropDisconnectFraction))
        let seed = seed ?? UInt64.random(in: 0...UInt64.max)
        self.seed = seed
        state = Mutex(State(generator: SplitMix64(seed: seed)))
    }

    /// Draws whether this `$disconnect` is lost, and counts it either way.
    func dropsDisconnect() -> Bool {
        state.withLock { state in
            let dropped =
                dropDisconnectFraction >= 1
                || (dropDisconnectFraction > 0 && Double.random(in: 0..<1, using: &state.generator) < dropDisconnectFraction)
            if dropped { state.droppedDisconnects += 1 } else { state.invokedDisconnects += 1 }
            return dropped
        }
    }

    /// From now on, and for `duration`, every Management API POST answers 429.
    func throttleManagementAPI(for duration: Duration) {
        state.withLock { $0.throttledUntil = ContinuousClock.now + duration }
    }

    /// Whether a POST arriving now is throttled; counts it when it is.
    func throttlesManagementPost() -> Bool {
        state.withLock { state in
            guard let until = state.throttledUntil, ContinuousClock.now < until else { return false }
            state.throttledPosts += 1
            return true
        }
    }

    /// Counts rows the TTL sweeper deleted.
    func recordExpiredRowsDeleted(_ count: Int) {
        state.withLock { $0.expiredRowsDeleted += count }
    }

    /// What the faults did so far, for `GET /_local/faults` and the tests.
    var report: JSONValue {
        state.withLock { state in
            let remaining = state.throttledUntil.map { until -> Double in
                let left = until - ContinuousClock.now
                return max(0, Double(left.components.seconds) + Double(left.components.attoseconds) / 1e18)
            } ?? 0
            return .object([
                "disconnects": .object([
                    "dropped": .number(Double(state.droppedDisconnects)),
                    "invoked": .number(Double(state.invokedDisconnects)),
                    "dropFraction": .number(dropDisconnectFraction),
                    "seed": .string(String(seed)),
                ]),
                "managementAPI": .object([
                    "throttledPosts": .number(Double(state.throttledPosts)),
                    "throttledForSeconds": .number(remaining),
                ]),
                "ttl": .object(["deleted": .number(Double(state.expiredRowsDeleted))]),
            ])
        }
    }
}

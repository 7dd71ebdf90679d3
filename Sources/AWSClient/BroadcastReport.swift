/// What a fan-out did: each connection's outcome and the totals a function logs.
package struct BroadcastReport: Sendable {
    /// How one connection fared.
    public enum Outcome: Sendable {
        /// A 2xx: the message was delivered to API Gateway.
        case sent
        /// `410 Gone`: the connection no longer exists.
        case gone
        /// Anything else, after any retries: the last error.
        case failed(AWSClientError)
    }

    /// One connection's result.
    public struct Delivery: Sendable {
        /// The connection id as given.
        public var connectionId: String
        /// The outcome.
        public var outcome: Outcome
        /// Requests sent for it (0 for an invalid id).
        public var attempts: Int

        /// Creates a connection's result (the broadcast makes them; a fake push channel in tests too).
        public init(connectionId: String, outcome: Outcome, attempts: Int) {
            self.connectionId = connectionId
            self.outcome = outcome
            self.attempts = attempts
        }
    }

    /// One entry per distinct connection id, in the order given.
    public var deliveries: [Delivery]

    /// Connections that got the message.
    public var sent: Int { deliveries.count { if case .sent = $0.outcome { true } else { false } } }
    /// Connections that answered 410.
    public var gone: Int { deliveries.count { if case .gone = $0.outcome { true } else { false } } }
    /// Connections that failed for another reason.
    public var failed: Int { deliveries.count { if case .failed = $0.outcome { true } else { false } } }
    /// Extra attempts made after retryable failures, over all connections.
    public var retries: Int { deliveries.reduce(0) { $0 + max(0, $1.attempts - 1) } }
    /// The ids that answered 410, for clean-up.
    package var goneConnectionIds: [String] {
        deliveries.compactMap { if case .gone = $0.outcome { $0.connectionId } else { nil } }
    }

    /// Creates a report.
    public init(deliveries: [Delivery]) {
        self.deliveries = deliveries
    }
}

extension BroadcastReport {
    /// One failure of each kind (`AWSClientError.failureKind`), the first seen, in the order first seen:
    /// enough to tell a signing or permissions problem (every post refused the same way) from throttling
    /// or a few broken connections, without logging thousands of lines.
    package var failureSamples: [(kind: String, error: AWSClientError)] {
        var seen = Set<String>()
        var samples: [(kind: String, error: AWSClientError)] = []
        for delivery in deliveries {
            guard case .failed(let error) = delivery.outcome, seen.insert(error.failureKind).inserted else { continue }
            samples.append((error.failureKind, error))
        }
        return samples
    }
}

import Foundation

/// The server's state: queued invocations, long-polling `/next` requests, invocations handed out and
/// waiting for an answer, fault knobs and the last init error. One actor, so handlers never race.
///
/// It models one function instance, as Lambda runs one invocation at a time per environment: when
/// `/next` arrives while an invocation handed out earlier is still unanswered, the function has
/// abandoned it (it crashed, or restarted), and that invocation ends with a `Runtime.Abandoned` error.
actor InvocationBroker {
    /// An invocation as `/next` hands it out.
    struct Delivery: Sendable {
        let requestID: String
        let payload: [UInt8]
        var headers: [(name: String, value: String)]
        /// The invocation's time limit. As in Lambda, it runs from when the function takes the
        /// invocation, not from when it was queued: a busy instance does not eat its deadline.
        let limit: Duration
        /// Whether `Lambda-Runtime-Deadline-Ms` is set at hand-out (false when the caller set or removed it).
        let setsDeadline: Bool
    }

    /// How long an invocation may wait in the queue for a function to take it.
    let queueTimeout: Duration

    init(queueTimeout: Duration) {
        self.queueTimeout = queueTimeout
    }

    /// What a `/next` request gets.
    enum PollAnswer: Sendable {
        case invocation(Delivery)
        /// A fault knob asked for this status.
        case status(Int)
        /// The server is stopping.
        case unavailable
    }

    private var queue: [Delivery] = []
    private var waiting: [String: CheckedContinuation<InvocationResult, any Error>] = [:]
    private var handedOut: Set<String> = []
    private var pollers: [(token: UUID, continuation: CheckedContinuation<PollAnswer, Never>)] = []
    private var cancelledPollers: Set<UUID> = []
    private var failures: (count: Int, status: Int) = (0, 500)
    private var accepting = true
    private(set) var responseLimit: ResponseLimit = .bytes(6_291_556)
    private(set) var initError: InitError?

    // MARK: invoke side

    /// Queues `delivery` and suspends until it is answered, abandoned, or `timeout` passes.
    func submit(_ delivery: Delivery, timeout: Duration) async throws -> InvocationResult {
        try await withCheckedThrowingContinuation { continuation in
            waiting[delivery.requestID] = continuation
            if let poller = pollers.first {
                pollers.removeFirst()
                poller.continuation.resume(returning: .invocation(handOut(delivery, timeout: timeout)))
            } else {
                queue.append(delivery)
                let wait = queueTimeout
                Task { [weak self] in
                    try? await Task.sleep(for: wait)
                    await self?.expireQueued(delivery.requestID)
                }
            }
        }
    }

    /// Marks `delivery` handed out, stamps its deadline and starts its answer timer (`timeout` from now).
    private func handOut(_ delivery: Delivery, timeout: Duration) -> Delivery {
        var delivery = delivery
        handedOut.insert(delivery.requestID)
        if delivery.setsDeadline {
            let deadline = Int64(Date().timeIntervalSince1970 * 1000) + Int64(delivery.limit / .milliseconds(1))
            delivery.headers.append(("Lambda-Runtime-Deadline-Ms", String(deadline)))
        }
        let requestID = delivery.requestID
        Task { [weak self] in
            try? await Task.sleep(for: timeout)
            await self?.expire(requestID, after: timeout)
        }
        return delivery
    }

    private func expire(_ requestID: String, after timeout: Duration) {
        guard handedOut.remove(requestID) != nil else { return }
        waiting.removeValue(forKey: requestID)?.resume(
            throwing: RuntimeAPIServerError(code: .timeout, message: "invocation \(requestID) got no answer within \(timeout)"))
    }

    private func expireQueued(_ requestID: String) {
        guard let index = queue.firstIndex(where: { $0.requestID == requestID }) else { return }
        queue.remove(at: index)
        waiting.removeValue(forKey: requestID)?.resume(
            throwing: RuntimeAPIServerError(code: .timeout, message: "no function took invocation \(requestID) within \(queueTimeout)"))
    }

    // MARK: /next

    /// Answers a `/next`: a fault status, a queued invocation, or (suspending) the next one to arrive.
    func poll(token: UUID) async -> PollAnswer {
        guard accepting else { return .unavailable }
        if failures.count > 0 {
            failures.count -= 1
            return .status(failures.status)
        }
        abandonHandedOut()
        if !queue.isEmpty {
            let delivery = queue.removeFirst()
            return .invocation(handOut(delivery, timeout: delivery.limit + .seconds(1)))
        }
        return await withCheckedContinuation { continuation in
            if cancelledPollers.remove(token) != nil {
                continuation.resume(returning: .unavailable)
            } else {
                pollers.append((token, continuation))
            }
        }
    }

    /// Forgets a poller whose request task was cancelled (it may not have registered yet).
    func cancelPoll(token: UUID) {
        if let index = pollers.firstIndex(where: { $0.token == token }) {
            pollers.remove(at: index).continuation.resume(returning: .unavailable)
        } else {
            cancelledPollers.insert(token)
        }
    }

    private func abandonHandedOut() {
        for requestID in handedOut {
            let message = "the function asked for the next invocation without answering \(requestID)"
            waiting.removeValue(forKey: requestID)?.resume(
                returning: .error(type: "Runtime.Abandoned", message: message, body: []))
        }
        handedOut.removeAll()
    }

    // MARK: answers

    /// Whether `requestID` was handed out and is still waiting for an answer.
    func isOutstanding(_ requestID: String) -> Bool {
        handedOut.contains(requestID)
    }

    /// Ends invocation `requestID` with `result`; false when it is unknown or already answered.
    func complete(_ requestID: String, with result: InvocationResult) -> Bool {
        guard handedOut.remove(requestID) != nil, let continuation = waiting.removeValue(forKey: requestID) else {
            return false
        }
        continuation.resume(returning: result)
        return true
    }

    func recordInitError(_ error: InitError) {
        initError = error
    }

    // MARK: knobs and lifecycle

    func failNextPolls(_ count: Int, status: Int) {
        failures = (max(0, count), status)
    }

    func setResponseLimit(_ limit: ResponseLimit) {
        responseLimit = limit
    }

    /// Stopping answers every pending `/next` at once, so the HTTP server can shut down; queued and
    /// handed-out invocations stay, to be served after a restart.
    func setAccepting(_ value: Bool) {
        accepting = value
        guard !value else { return }
        let current = pollers
        pollers.removeAll()
        for poller in current { poller.continuation.resume(returning: .unavailable) }
    }
}

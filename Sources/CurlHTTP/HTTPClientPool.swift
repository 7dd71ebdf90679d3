import CCurl

/// What `HTTPClientPool.run` does with a job after one of its attempts finished.
package enum PoolDecision: Sendable, Equatable {
    /// The job is finished; no further attempt.
    case done
    /// Start another attempt once `after` has passed (a zero or negative delay retries at once),
    /// unless that would be at or after the run's deadline.
    case retry(after: Duration)
}

/// Runs many HTTP requests at once over libcurl's multi interface, on the calling thread.
///
/// A fixed set of `maxInFlight` easy handles is reused for every attempt, and the multi handle keeps at
/// least that many idle connections, so a fan-out of thousands of requests to one host runs over at most
/// `maxInFlight` keep-alive connections. Retries are scheduled on a timer queue and polled for together
/// with the sockets (`curl_multi_poll`), so waiting for a retry never blocks other transfers.
///
/// Thread confinement: not Sendable. Create, use and release a pool on one thread; `run` blocks that
/// thread and calls `makeRequest` and `onResult` on it. `run` is not re-entrant (do not call it from
/// the callbacks). The pool is meant to live as long as the process, so its connections are reused
/// across runs (and across Lambda invocations).
package final class HTTPClientPool {
    let multi: UnsafeMutableRawPointer
    let transfers: [CurlTransfer]
    /// Which transfer an easy handle belongs to (the set of handles never changes).
    let slotOfHandle: [UnsafeMutableRawPointer: Int]
    let clock = ContinuousClock()
    var isRunning = false
    /// Template runs so far: the id of the next `PreparedTemplate` (see `CurlTransfer.configuredTemplate`).
    var templateRuns: UInt64 = 0

    /// - Parameters:
    ///   - maxInFlight: the most transfers (and so connections per host) at once; at least 1.
    ///   - connectTimeout: limit for establishing each connection (TCP and TLS).
    public init(maxInFlight: Int, connectTimeout: Duration = .seconds(3)) throws(HTTPClientError) {
        guard maxInFlight >= 1 else {
            throw HTTPClientError(code: .invalidRequest, message: "maxInFlight must be at least 1, not \(maxInFlight)", target: "-")
        }
        try CurlTransfer.loadLibrary()
        guard let multi = vc_multi_init() else {
            throw HTTPClientError(code: .libraryUnavailable, message: "curl_multi_init failed", target: "-")
        }
        var transfers: [CurlTransfer] = []
        transfers.reserveCapacity(maxInFlight)
        do {
            for _ in 0..<maxInFlight { transfers.append(try CurlTransfer(connectTimeout: connectTimeout)) }
        } catch {
            _ = vc_multi_cleanup(multi)
            throw error
        }
        // Keep an idle connection for every transfer slot; curl's default cache (4 × handles added
        // so far) could otherwise close connections a later attempt would reuse.
        _ = vc_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, maxInFlight)
        self.multi = multi
        self.transfers = transfers
        slotOfHandle = Dictionary(uniqueKeysWithValues: transfers.enumerated().map { ($0.element.handle, $0.offset) })
    }

    deinit {
        // `run` always removes its handles before returning; the easy handles are cleaned up when
        // `transfers` is released, after the multi handle, as curl allows once they are removed.
        _ = vc_multi_cleanup(multi)
    }

    /// The most transfers that run at once.
    package var maxInFlight: Int { transfers.count }

    /// Runs every job with at most `maxInFlight` transfers at once over reused connections.
    ///
    /// - `makeRequest` is called for each attempt, just before it starts (so a retry can be re-signed).
    /// - `onResult` is called on the calling thread as each attempt finishes, with the attempt number
    ///   (1 for the first). Any HTTP status is a `.success`; `.failure` means no response arrived.
    ///   `.retry(after:)` schedules another attempt after that delay; `.done` ends the job.
    /// - Attempts that cannot start or finish before `deadline` end with an `HTTPClientError` of code
    ///   `.timeout`, and their decision is ignored: in-flight transfers are aborted when the deadline
    ///   passes, and a retry that would start at or after it is reported at once (with its own attempt
    ///   number) instead of being scheduled. So each job's last `onResult` call is final, and every job
    ///   gets at least one. A job that never started has the target "-" in that error.
    /// - Attempts start in the order they became ready: every job's first attempt before any retry.
    ///
    /// Returns when every job is done. Without a deadline, the callers' retry decisions and the
    /// requests' own timeouts must bound the run.
    public func run<Job>(
        _ jobs: [Job], deadline: ContinuousClock.Instant?,
        makeRequest: (Job) -> HTTPRequest,
        onResult: (Job, Result<HTTPResponse, HTTPClientError>, _ attempt: Int) -> PoolDecision
    ) {
        runJobs(jobs, deadline: deadline, begin: { job, transfer throws(HTTPClientError) in try transfer.prepare(makeRequest(job)) }, onResult: onResult)
    }

    /// `run`'s scheduler: `begin` configures a transfer for a job's next attempt (setting its `url`
    /// first, for error targets) or throws to fail that attempt without sending anything.
    func runJobs<Job>(
        _ jobs: [Job], deadline: ContinuousClock.Instant?,
        begin: (Job, CurlTransfer) throws(HTTPClientError) -> Void,
        onResult: (Job, Result<HTTPResponse, HTTPClientError>, _ attempt: Int) -> PoolDecision
    ) {
        precondition(!isRunning, "HTTPClientPool.run is not re-entrant")
        isRunning = true
        defer { isRunning = false }
        var state = RunState(slots: transfers.count, jobs: jobs.count)

        /// Hands a finished attempt to the caller and acts on its decision.
        func report(_ attempt: PendingAttempt, _ result: Result<HTTPResponse, HTTPClientError>) {
            let decision = onResult(jobs[attempt.job], result, attempt.attempt)
            guard case .retry(let delay) = decision else { return }
            let url = attempt.previousURL
            let next = PendingAttempt(job: attempt.job, attempt: attempt.attempt + 1, previousURL: url)
            let due = clock.now.advanced(by: max(.zero, delay))
            if let deadline, due >= deadline {
                let error = Self.deadlineError("the retry would start after the deadline", url: url)
                _ = onResult(jobs[attempt.job], .failure(error), next.attempt)
            } else if delay <= .zero {
                state.ready.append(next)
            } else {
                state.timers.insert(next, due: due)
            }
        }

        /// Starts `attempt` on a free transfer; a request curl refuses is reported at once.
        func start(_ attempt: PendingAttempt, slot: Int) {
            let transfer = transfers[slot]
            do {
                try begin(jobs[attempt.job], transfer)
            } catch {
                state.freeSlots.append(slot)
                report(PendingAttempt(job: attempt.job, attempt: attempt.attempt, previousURL: transfer.url), .failure(error))
                return
            }
            // The URL is kept for an error target should a retry of this job never start.
            let started = PendingAttempt(job: attempt.job, attempt: attempt.attempt, previousURL: transfer.url)
            let code = vc_multi_add_handle(multi, transfer.handle)
            guard code == CURLM_OK else {
                var error = transfer.abandon("")
                error.code = .other
                error.message = "curl_multi_add_handle: \(String(cString: vc_multi_strerror(code)))"
                state.freeSlots.append(slot)
                report(started, .failure(error))
                return
            }
            state.inFlight[slot] = started
            state.busy += 1
        }

        while true {
            let now = clock.now
            if let deadline, now >= deadline {
                // Decisions are ignored from here on, so the caller is called directly.
                expire(&state, jobs: jobs.count) { _ = onResult(jobs[$0.job], $1, $0.attempt) }
                return
            }
            while let due = state.timers.popDue(at: now) { state.ready.append(due) }
            while let slot = state.freeSlots.last, let next = state.nextToStart(jobs: jobs.count) {
                state.freeSlots.removeLast()
                start(next, slot: slot)
            }
            if state.isFinished(jobs: jobs.count) { return }

            var running: Int32 = 0
            let performCode = vc_multi_perform(multi, &running)
            var finished = 0
            var easy: UnsafeMutableRawPointer?
            var result = CURLE_OK
            while vc_multi_next_done(multi, &easy, &result) == 1 {
                guard let easy, let slot = slotOfHandle[easy], let attempt = state.inFlight[slot] else { continue }
                let outcome = complete(slot, code: result, state: &state)
                finished += 1
                report(attempt, outcome)
            }
            if performCode != CURLM_OK && performCode != CURLM_CALL_MULTI_PERFORM {
                // The multi handle itself failed (out of memory, corrupted state): end what is in flight
                // rather than wait for transfers that may never finish.
                let message = "curl_multi_perform: \(String(cString: vc_multi_strerror(performCode)))"
                for (slot, attempt) in state.inFlight.enumerated() {
                    guard let attempt else { continue }
                    var error = abort(slot, message: message, state: &state)
                    error.code = .other
                    finished += 1
                    report(attempt, .failure(error))
                }
            }
            // Freed transfers start their next attempt before anything waits.
            if finished > 0 { continue }
            var ready: Int32 = 0
            _ = vc_multi_poll(multi, pollTimeout(state, deadline: deadline), &ready)
        }
    }
}

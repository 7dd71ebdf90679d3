import CCurl

extension HTTPClientPool {
    /// The book-keeping of one `run`: O(maxInFlight) memory plus the queued retries; jobs not yet
    /// started are a cursor over the caller's array, so nothing is allocated per job up front.
    struct RunState {
        /// Retries whose delay has passed, in the order they fell due.
        var ready = ReadyQueue()
        /// Retries waiting for their delay.
        var timers = RetryTimerQueue()
        /// Indexes of transfers not in the multi handle.
        var freeSlots: [Int]
        /// The attempt each transfer is running, by transfer index.
        var inFlight: [PendingAttempt?]
        var busy = 0
        /// The first job that has not started its first attempt.
        var nextFresh = 0

        init(slots: Int, jobs: Int) {
            // Reversed, so transfer 0 is used first (and its warm connection reused first).
            freeSlots = Array((0..<slots).reversed())
            inFlight = Array(repeating: nil, count: slots)
        }

        /// The next attempt to start, in the order they became ready: every job's first attempt was
        /// ready when the run began, so new jobs go before due retries. That way retries of a few
        /// failing jobs cannot starve jobs that were never tried, and a deadline leaves as few jobs
        /// untried as possible.
        mutating func nextToStart(jobs: Int) -> PendingAttempt? {
            if nextFresh < jobs {
                defer { nextFresh += 1 }
                return PendingAttempt(job: nextFresh, attempt: 1, previousURL: nil)
            }
            return ready.popFirst()
        }

        func isFinished(jobs: Int) -> Bool {
            busy == 0 && ready.isEmpty && timers.isEmpty && nextFresh == jobs
        }
    }

    /// Takes a finished transfer out of the multi handle, frees its slot and returns its outcome.
    func complete(_ slot: Int, code: CURLcode, state: inout RunState) -> Result<HTTPResponse, HTTPClientError> {
        _ = vc_multi_remove_handle(multi, transfers[slot].handle)
        state.inFlight[slot] = nil
        state.busy -= 1
        state.freeSlots.append(slot)
        return transfers[slot].finish(code)
    }

    /// Stops an unfinished transfer (removing it from the multi handle aborts it and closes its
    /// connection), frees its slot and returns a `.timeout` error with `message`.
    func abort(_ slot: Int, message: String, state: inout RunState) -> HTTPClientError {
        _ = vc_multi_remove_handle(multi, transfers[slot].handle)
        state.inFlight[slot] = nil
        state.busy -= 1
        state.freeSlots.append(slot)
        return transfers[slot].abandon(message)
    }

    /// The deadline passed: ends every attempt in flight, queued or not yet started, with `.timeout`.
    func expire(
        _ state: inout RunState, jobs: Int,
        report: (PendingAttempt, Result<HTTPResponse, HTTPClientError>) -> Void
    ) {
        for slot in state.inFlight.indices {
            guard let attempt = state.inFlight[slot] else { continue }
            report(attempt, .failure(abort(slot, message: "the deadline passed before the response arrived", state: &state)))
        }
        let notStarted = "the deadline passed before the attempt could start"
        while let attempt = state.ready.popFirst() {
            report(attempt, .failure(Self.deadlineError(notStarted, url: attempt.previousURL)))
        }
        for attempt in state.timers.drain() {
            report(attempt, .failure(Self.deadlineError(notStarted, url: attempt.previousURL)))
        }
        while state.nextFresh < jobs {
            report(PendingAttempt(job: state.nextFresh, attempt: 1, previousURL: nil), .failure(Self.deadlineError(notStarted, url: nil)))
            state.nextFresh += 1
        }
    }

    /// How long `curl_multi_poll` may wait: until the next retry is due or the deadline, at most 1 s.
    /// curl shortens the wait itself for its own timers (connect and transfer timeouts).
    func pollTimeout(_ state: RunState, deadline: ContinuousClock.Instant?) -> Int32 {
        let now = clock.now
        var wait = Duration.seconds(1)
        if let due = state.timers.nextDue { wait = min(wait, now.duration(to: due)) }
        if let deadline { wait = min(wait, now.duration(to: deadline)) }
        guard wait > .zero else { return 0 }
        // Rounded up, so the loop does not wake just before the instant and spin.
        return Int32(clamping: wait.milliseconds + 1)
    }

    /// The error for an attempt the deadline ended; the target comes from the job's previous attempt.
    static func deadlineError(_ message: String, url: String?) -> HTTPClientError {
        HTTPClientError(code: .timeout, message: message, target: url.map(CurlTransfer.target(of:)) ?? "-")
    }
}

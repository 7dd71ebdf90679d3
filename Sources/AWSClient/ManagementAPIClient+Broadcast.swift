import CurlHTTP

extension ManagementAPIClient {
    /// Posts `data` to every connection, at most `concurrency` requests in flight over reused keep-alive
    /// connections (DESIGN §5 DBStreamProcessor).
    ///
    /// 2xx → sent; 410 → gone; retryable failures (429, 5xx, throttling, transient transport errors) are
    /// retried with exponential backoff and full jitter while attempts remain and the wait ends before
    /// `deadline`; anything else → failed. Every attempt is signed afresh. Invalid ids fail without a
    /// request; repeated ids are posted once.
    public func post(
        _ data: [UInt8], to connectionIds: [String], concurrency: Int, deadline: ContinuousClock.Instant
    ) -> BroadcastReport {
        let operation = "ManagementAPI.PostToConnection"
        var seen = Set<String>()
        let ids = connectionIds.filter { seen.insert($0).inserted }
        var outcomes = [BroadcastReport.Outcome?](repeating: nil, count: ids.count)
        var attempts = [Int](repeating: 0, count: ids.count)
        var jobs: [Int] = []
        for (index, id) in ids.enumerated() {
            do {
                try ConnectionID.validate(id, operation: operation)
                jobs.append(index)
            } catch {
                outcomes[index] = .failed(error)
            }
        }

        if !jobs.isEmpty {
            do {
                let pool = try pool(size: max(1, concurrency))
                pool.run(
                    jobs, deadline: deadline,
                    makeRequest: { index in
                        let url = "\(endpoint)/%40connections/\(ConnectionID.percentEncoded(ids[index]))"
                        let left = ContinuousClock.now.duration(to: deadline)
                        // Unreachable with a validated endpoint and id; an empty URL then fails the job
                        // in libcurl (not retryable) rather than sending anything unsigned.
                        return sender.signedRequest(
                            method: .post, url: url, headers: [], body: data,
                            timeout: max(.milliseconds(1), min(attemptTimeout, left))) ?? HTTPRequest(method: .post, url: "")
                    },
                    onResult: { index, result, attempt in
                        attempts[index] = attempt
                        let error: AWSClientError
                        switch result {
                        case .success(let response) where (200...299).contains(response.status):
                            outcomes[index] = .sent
                            return .done
                        case .success(let response):
                            error = AWSClientError.fromResponse(response, operation: operation)
                        case .failure(let failure):
                            error = AWSClientError(code: .transport, message: failure.message, operation: operation, underlying: failure)
                        }
                        if error.isGone {
                            outcomes[index] = .gone
                            return .done
                        }
                        if error.isRetryable, let wait = retryPolicy.delayBeforeRetry(after: attempt, now: .now, deadline: deadline) {
                            return .retry(after: wait)
                        }
                        outcomes[index] = .failed(error)
                        return .done
                    })
            } catch {
                for index in jobs where outcomes[index] == nil { outcomes[index] = .failed(error) }
            }
        }

        let deliveries = ids.indices.map { index in
            BroadcastReport.Delivery(
                connectionId: ids[index],
                outcome: outcomes[index]
                    ?? .failed(AWSClientError(code: .deadlineExceeded, message: "not sent before the deadline", operation: operation)),
                attempts: attempts[index])
        }
        return BroadcastReport(deliveries: deliveries)
    }

    /// The fan-out pool, made on first use and kept (with its connections) while the size stays the same.
    private func pool(size: Int) throws(AWSClientError) -> HTTPClientPool {
        if let pool, pool.size == size { return pool.pool }
        do {
            let made = try HTTPClientPool(maxInFlight: size)
            pool = (made, size)
            return made
        } catch {
            throw AWSClientError(code: .transport, message: "cannot create the HTTP pool", operation: "ManagementAPI.PostToConnection", underlying: error)
        }
    }
}

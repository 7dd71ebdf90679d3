import CurlHTTP
import SigV4
import SystemSupport

extension ManagementAPIClient {
    /// Posts `data` to every connection, at most `concurrency` requests in flight over reused keep-alive
    /// connections (docs/design.md §5 DBStreamProcessor).
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
            do throws(AWSClientError) {
                try sender.requireCrypto(operation: operation)
                let pool = try pool(size: max(1, concurrency))
                // Every message has the same body and fixed fields; only the id in the path, the date and
                // the signature differ, so the request is canonicalized once (SigV4PathTemplate) and handed
                // to libcurl once per transfer (HTTPRequestTemplate).
                guard let template = SigV4PathTemplate(signer: signer, method: "POST", baseURL: "\(endpoint)/%40connections/", body: data)
                else {
                    throw AWSClientError(code: .configuration, message: "the Management API endpoint cannot be signed", operation: operation)
                }
                // Each id's wire segment and URL, made once: a retry reuses them.
                let segments = ids.map { Array(PercentEncoding.encodedSegment($0).utf8) }
                let urls = segments.map { template.baseURL + String(decoding: $0, as: UTF8.self) }
                pool.run(
                    jobs, template: HTTPRequestTemplate(method: .post, headers: HTTPHeaders(template.fixedHeaders.map { ($0.name, $0.value) }), body: data),
                    deadline: deadline,
                    makeAttempt: { index in
                        let left = ContinuousClock.now.duration(to: deadline)
                        let timeout = max(.milliseconds(1), min(attemptTimeout, left))
                        // Validated ids always sign; an unsigned request must never go out, so an id that
                        // did not would fail in libcurl on the empty URL (not retryable).
                        guard let signed = template.sign(segment: segments[index], date: .now()) else {
                            return HTTPRequestTemplate.Attempt(url: "", timeout: timeout)
                        }
                        return HTTPRequestTemplate.Attempt(
                            url: urls[index], headers: [(name: "X-Amz-Date", value: signed.amzDate), (name: "Authorization", value: signed.authorization)],
                            timeout: timeout)
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

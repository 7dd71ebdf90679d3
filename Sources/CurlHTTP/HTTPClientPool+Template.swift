extension HTTPClientPool {
    /// `run(_:deadline:makeRequest:onResult:)` for a batch of requests that share a method, a body and
    /// header fields, e.g. one message posted to thousands of connections: those are checked and handed
    /// to libcurl once per transfer and run, and each attempt sets only what `makeAttempt` returns (its
    /// URL, its own header fields, sent before the template's, and its timeout). Scheduling, retries and
    /// the deadline work exactly as in `run`.
    ///
    /// A 2xx response arrives without its header fields (only the status and body): a batch needs to
    /// know that it succeeded, and parsing thousands of headers nobody reads is most of a response's
    /// cost. Other responses carry their fields, for the caller's error handling.
    ///
    /// A template curl cannot send as given (a header field with a control character) fails every job's
    /// first attempt with `.invalidRequest`, without a request.
    public func run<Job>(
        _ jobs: [Job], template: HTTPRequestTemplate, deadline: ContinuousClock.Instant?,
        makeAttempt: (Job) -> HTTPRequestTemplate.Attempt,
        onResult: (Job, Result<HTTPResponse, HTTPClientError>, _ attempt: Int) -> PoolDecision
    ) {
        templateRuns += 1
        let prepared: PreparedTemplate
        do {
            prepared = try PreparedTemplate(template, id: templateRuns)
        } catch {
            for job in jobs { _ = onResult(job, .failure(error), 1) }
            return
        }
        runJobs(
            jobs, deadline: deadline,
            begin: { job, transfer throws(HTTPClientError) in try transfer.prepare(makeAttempt(job), in: prepared) },
            onResult: onResult)
        // The transfers keep pointers into `prepared` in their options; the next run (template or not)
        // sets them again before anything is sent, so they are never read after it is freed.
        withExtendedLifetime(prepared) {}
    }
}

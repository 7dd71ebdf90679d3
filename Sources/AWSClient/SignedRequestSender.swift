import CurlHTTP
import SigV4
import SystemSupport

/// Signs, sends and retries requests for one service: shared by the DynamoDB and Management API clients.
///
/// Every attempt is signed afresh (new `X-Amz-Date`), so a retry after a long backoff is never rejected
/// as stale. Not thread-safe: it uses one transport.
final class SignedRequestSender {
    let signer: SigV4Signer
    let transport: any HTTPTransport
    let retryPolicy: RetryPolicy
    /// Upper bound of one attempt; a deadline closer than this shortens it.
    let attemptTimeout: Duration
    /// Waits between attempts (a no-op or a recorder in the seam tests).
    let sleep: (Duration) -> Void
    /// The time now, for deadlines.
    let now: () -> ContinuousClock.Instant
    /// Checks that libcrypto, which signing needs, is loaded (`CryptoLibrary.load`, or a failing stand-in
    /// in the tests of that failure: the process's own libcrypto cannot be made to fail safely).
    let loadCrypto: () throws(SigV4Error) -> Void
    /// Retries done since creation (a figure for logs).
    private(set) var retryCount = 0
    /// The day's signing key, derived once a day rather than per request (4 of the 5 HMACs of a signature).
    private var signingKey: SigV4Signer.SigningKey?

    init(
        signer: SigV4Signer, transport: any HTTPTransport, retryPolicy: RetryPolicy, attemptTimeout: Duration = .seconds(10),
        sleep: @escaping (Duration) -> Void = BlockingSleep.sleep, now: @escaping () -> ContinuousClock.Instant = { .now },
        loadCrypto: @escaping () throws(SigV4Error) -> Void = CryptoLibrary.load
    ) {
        self.signer = signer
        self.transport = transport
        self.retryPolicy = retryPolicy
        self.attemptTimeout = attemptTimeout
        self.sleep = sleep
        self.now = now
        self.loadCrypto = loadCrypto
        // libcrypto is opened (and SHA-256 fetched) on libcurl's loading thread before libcurl itself, so
        // the first signature does not queue behind libcurl's whole load (docs/benchmarks.md, round 5).
        HTTPClient.warmUpBeforeLoading { try? CryptoLibrary.load() }
    }

    /// Fails unless libcrypto is loaded (loading it on the first call; cheap after that), so a sandbox
    /// without it fails each request that would sign, with every library tried and why, instead of
    /// stopping the process. Nothing is sent; it is not retried.
    /// - Throws: `.configuration` with the `SigV4Error` as `underlying`.
    func requireCrypto(operation: String) throws(AWSClientError) {
        do {
            try loadCrypto()
        } catch {
            throw AWSClientError(code: .configuration, message: error.description, operation: operation, underlying: error)
        }
    }

    /// A signed request, ready for the wire; nil when `url` is not an absolute, already percent-encoded
    /// ASCII URL (the clients only build URLs from validated endpoints and encoded ids, so this does not
    /// happen in practice, but an unsigned request must never go out). Call `requireCrypto` first.
    func signedRequest(
        method: HTTPRequest.Method, url: String, headers: [(name: String, value: String)],
        body: [UInt8], timeout: Duration?, date: UnixTime = .now()
    ) -> HTTPRequest? {
        guard var toSign = SigV4Request(method: method.rawValue, url: url, headers: headers, body: body) else { return nil }
        signer.sign(&toSign, date: date, signingKey: &signingKey)
        return HTTPRequest(
            method: method, url: url, headers: HTTPHeaders(toSign.headers.map { ($0.name, $0.value) }), body: body, timeout: timeout)
    }

    /// Sends the request until it succeeds (2xx), fails for good, runs out of attempts or would pass `deadline`.
    /// - Returns: the 2xx response.
    /// - Throws: `AWSClientError`: the last failure, or `.deadlineExceeded` when no attempt could start in time.
    func send(
        method: HTTPRequest.Method, url: String, headers: [(name: String, value: String)], body: [UInt8],
        operation: String, deadline: ContinuousClock.Instant?
    ) throws(AWSClientError) -> HTTPResponse {
        try send(method: method, url: url, headers: headers, operation: operation, deadline: deadline) { _ in body }
    }

    /// As `send(method:url:headers:body:operation:deadline:)`, with a body made for each attempt (1-based):
    /// for a request whose content may change between attempts, e.g. a transaction on another counter shard.
    func send(
        method: HTTPRequest.Method, url: String, headers: [(name: String, value: String)], operation: String,
        deadline: ContinuousClock.Instant?, body makeBody: (_ attempt: Int) throws(AWSClientError) -> [UInt8]
    ) throws(AWSClientError) -> HTTPResponse {
        try requireCrypto(operation: operation)
        var attempt = 0
        while true {
            attempt += 1
            var timeout = attemptTimeout
            if let deadline {
                let left = now().duration(to: deadline)
                guard left > .zero else {
                    throw AWSClientError(code: .deadlineExceeded, message: "no time left for attempt \(attempt)", operation: operation)
                }
                timeout = min(timeout, left)
            }
            let body = try makeBody(attempt)
            guard let request = signedRequest(method: method, url: url, headers: headers, body: body, timeout: timeout)
            else {
                throw AWSClientError(code: .configuration, message: "the request URL cannot be signed", operation: operation)
            }
            let failure: AWSClientError
            do {
                let response = try transport.execute(request)
                if (200...299).contains(response.status) { return response }
                failure = AWSClientError.fromResponse(response, operation: operation)
            } catch {
                failure = AWSClientError(
                    code: .transport, message: error.message, operation: operation, underlying: error)
            }
            guard failure.isRetryable,
                let wait = retryPolicy.delayBeforeRetry(after: attempt, now: now(), deadline: deadline)
            else { throw failure }
            retryCount += 1
            sleep(wait)
        }
    }
}

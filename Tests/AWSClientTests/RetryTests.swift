import AWSClient
import CurlHTTP
import Testing
import TestSupport

@Suite struct RetryabilityTests {
    static let table: [(status: Int?, awsCode: String?, retryable: Bool)] = [
        (400, "ThrottlingException", true),
        (400, "ProvisionedThroughputExceededException", true),
        (400, "RequestLimitExceeded", true),
        (400, "TransactionConflictException", true),
        (429, "LimitExceededException", true),
        (429, nil, true),
        (500, "InternalServerError", true),
        (503, "ServiceUnavailable", true),
        (504, "GatewayTimeout", true),
        (400, "ConditionalCheckFailedException", false),
        (400, "ValidationException", false),
        (400, "ResourceNotFoundException", false),
        (403, "SignatureDoesNotMatch", false),
        (403, "AccessDeniedException", false),
        (410, "GoneException", false),
        (413, "PayloadTooLargeException", false),
    ]

    @Test(arguments: table.indices)
    func serviceErrors(_ index: Int) {
        let row = Self.table[index]
        let error = AWSClientError(code: .service, status: row.status, awsCode: row.awsCode, message: "m")
        #expect(error.isRetryable == row.retryable, "\(row)")
    }

    @Test func transactionCancellations() {
        func cancelled(_ codes: [String]) -> AWSClientError {
            AWSClientError(
                code: .service, status: 400, awsCode: "TransactionCanceledException", message: "m",
                cancellationReasons: codes.map { .init(code: $0) })
        }
        #expect(cancelled(["None", "TransactionConflict"]).isRetryable)
        #expect(cancelled(["ThrottlingError", "None"]).isRetryable)
        #expect(!cancelled(["ConditionalCheckFailed", "None"]).isRetryable)
        #expect(!cancelled(["ConditionalCheckFailed", "TransactionConflict"]).isRetryable)
        #expect(!cancelled([]).isRetryable)
    }

    @Test(arguments: [
        (HTTPClientError.Code.timeout, true), (.connect, true), (.send, true), (.receive, true),
        (.dns, false), (.tls, false), (.invalidRequest, false), (.libraryUnavailable, false),
    ])
    func transportErrors(_ code: HTTPClientError.Code, _ retryable: Bool) {
        let underlying = HTTPClientError(code: code, message: "x", target: "http://h")
        #expect(AWSClientError(code: .transport, message: "x", underlying: underlying).isRetryable == retryable)
    }

    @Test func localFailuresAreNeverRetried() {
        for code in [AWSClientError.Code.configuration, .decoding, .deadlineExceeded] {
            #expect(!AWSClientError(code: code, status: 500, message: "x").isRetryable)
        }
    }
}

@Suite struct RetryPolicyTests {
    let policy = RetryPolicy(maxAttempts: 6, baseDelay: .milliseconds(10), maxDelay: .milliseconds(100))

    @Test func ceilingDoublesUpToTheCap() {
        #expect(policy.ceiling(attempt: 1) == .milliseconds(10))
        #expect(policy.ceiling(attempt: 2) == .milliseconds(20))
        #expect(policy.ceiling(attempt: 3) == .milliseconds(40))
        #expect(policy.ceiling(attempt: 4) == .milliseconds(80))
        #expect(policy.ceiling(attempt: 5) == .milliseconds(100))
        #expect(policy.ceiling(attempt: 500) == .milliseconds(100))
    }

    @Test func fullJitterStaysInRangeAndSpreads() {
        var generator = SplitMix64(seed: 42)
        for attempt in 1...6 {
            let cap = policy.ceiling(attempt: attempt)
            let delays = (0..<400).map { _ in policy.delay(attempt: attempt, using: &generator) }
            #expect(delays.allSatisfy { $0 >= .zero && $0 <= cap })
            // Full jitter: the draws cover the low and the high part of [0, cap], not one point.
            #expect(delays.contains { $0 < cap / 4 })
            #expect(delays.contains { $0 > cap * 3 / 4 })
        }
        // The unseeded variant obeys the same bounds.
        #expect((0..<100).allSatisfy { _ in policy.delay(attempt: 3) <= .milliseconds(40) })
    }

    @Test func attemptsAreBounded() {
        var generator = SplitMix64(seed: 1)
        let now = ContinuousClock.now
        for attempt in 1..<6 {
            #expect(policy.delayBeforeRetry(after: attempt, now: now, deadline: nil, using: &generator) != nil)
        }
        #expect(policy.delayBeforeRetry(after: 6, now: now, deadline: nil, using: &generator) == nil)
        #expect(RetryPolicy.none.delayBeforeRetry(after: 1, now: now, deadline: nil, using: &generator) == nil)
    }

    @Test func neverWaitsPastTheDeadline() {
        var generator = SplitMix64(seed: 7)
        let now = ContinuousClock.now
        // With 50 ms left and waits up to 100 ms, every granted wait ends before the deadline.
        let deadline = now.advanced(by: .milliseconds(50))
        var granted = 0
        var refused = 0
        for _ in 0..<500 {
            if let wait = policy.delayBeforeRetry(after: 5, now: now, deadline: deadline, using: &generator) {
                #expect(now.advanced(by: wait) < deadline)
                granted += 1
            } else {
                refused += 1
            }
        }
        #expect(granted > 0 && refused > 0)
        // A passed deadline refuses every retry.
        #expect(policy.delayBeforeRetry(after: 1, now: now, deadline: now, using: &generator) == nil)
    }

    @Test func constructorClampsNonsense() {
        let odd = RetryPolicy(maxAttempts: 0, baseDelay: .seconds(-1), maxDelay: .seconds(-1))
        #expect(odd.maxAttempts == 1)
        #expect(odd.delay(attempt: 3) == .zero)
    }
}

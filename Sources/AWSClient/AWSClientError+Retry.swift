import CurlHTTP

extension AWSClientError {
    /// AWS error codes worth retrying after a backoff: throttling and transient server trouble.
    /// See https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html
    static let retryableAWSCodes: Set<String> = [
        "ThrottlingException", "Throttling", "ThrottledException", "RequestThrottled", "RequestThrottledException",
        "ProvisionedThroughputExceededException", "RequestLimitExceeded", "TransactionConflictException",
        "TransactionInProgressException", "LimitExceededException", "TooManyRequestsException",
        "InternalServerError", "InternalFailure", "InternalServerErrorException", "ServiceUnavailable",
        "ServiceUnavailableException",
    ]

    /// Cancellation reasons that go away by themselves; a transaction cancelled only for these is retried.
    static let retryableCancellationCodes: Set<String> = ["TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded"]

    /// THE one place that decides whether a failed request may succeed if sent again.
    ///
    /// Retryable: throttling and capacity errors, transaction conflicts, `429`, any `5xx`, and transport
    /// failures the HTTP client calls transient (timeouts, refused connects, resets). Not retryable:
    /// other `4xx` (validation, conditions, authentication), configuration, decoding, DNS and TLS failures,
    /// and a passed deadline.
    package var isRetryable: Bool {
        switch code {
        case .configuration, .decoding, .deadlineExceeded:
            return false
        case .transport:
            return (underlying as? HTTPClientError)?.isTransient ?? false
        case .service:
            if let status, status == 429 || (500...599).contains(status) { return true }
            if let awsCode {
                if Self.retryableAWSCodes.contains(awsCode) { return true }
                if awsCode == "TransactionCanceledException" {
                    let causes = cancellationReasons.filter { $0.code != "None" }
                    return !causes.isEmpty && causes.allSatisfy { Self.retryableCancellationCodes.contains($0.code) }
                }
            }
            return false
        }
    }
}

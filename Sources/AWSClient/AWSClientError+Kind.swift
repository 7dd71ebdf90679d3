import CurlHTTP

extension AWSClientError {
    /// A short name for the kind of failure, to group many alike: `403 AccessDeniedException`,
    /// `429 LimitExceededException`, `transport timeout`, `deadlineExceeded`.
    package var failureKind: String {
        switch code {
        case .service:
            return [status.map(String.init), awsCode].compactMap { $0 }.joined(separator: " ")
        case .transport:
            return "transport " + ((underlying as? HTTPClientError).map { $0.code.rawValue } ?? "error")
        case .configuration, .decoding, .deadlineExceeded:
            return code.rawValue
        }
    }
}

import CurlHTTP

/// Every failure of the AWS client: one error type for the module.
///
/// Messages never contain credentials, session tokens, signatures or Authorization headers:
/// only the operation, the HTTP status, the AWS error code and the service's message.
public struct AWSClientError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure.
    public enum Code: String, Sendable {
        /// The environment or an argument is missing or invalid, or libcrypto (which signing needs) cannot be
        /// loaded (`underlying` is then the `SigV4Error`); nothing was sent.
        case configuration
        /// No HTTP response arrived (connect, TLS, timeout, reset); `underlying` is the `HTTPClientError`.
        case transport
        /// The service answered with an error status; see `status`, `awsCode` and `message`.
        case service
        /// A 2xx response whose body could not be decoded.
        case decoding
        /// The caller's deadline passed before the request could succeed.
        case deadlineExceeded
    }

    /// One entry of `CancellationReasons` of a cancelled `TransactWriteItems`, in the order of the actions.
    /// See https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CancellationReason.html
    public struct CancellationReason: Sendable, Equatable, Decodable {
        /// `None` for an action that did not cause the cancellation, else e.g. `ConditionalCheckFailed`,
        /// `TransactionConflict`, `ThrottlingError`, `ValidationError`.
        public var code: String
        /// The service's explanation, when it gave one.
        public var message: String?

        /// Creates a reason.
        public init(code: String, message: String? = nil) {
            self.code = code
            self.message = message
        }

        enum CodingKeys: String, CodingKey {
            case code = "Code"
            case message = "Message"
        }

        /// Decodes `{"Code": .., "Message": ..}`; a missing code reads as `None`.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            code = try container.decodeIfPresent(String.self, forKey: .code) ?? "None"
            message = try container.decodeIfPresent(String.self, forKey: .message)
        }
    }

    /// What kind of failure.
    public var code: Code
    /// HTTP status of the service's answer (`.service`), else nil.
    public var status: Int?
    /// The AWS error code: JSON `__type` after `#`, the XML `<Code>`, `x-amzn-ErrorType`, or a name
    /// derived from the HTTP status when a proxy answered with HTML or plain text.
    public var awsCode: String?
    /// Human-readable detail (the service's message, or ours).
    public var message: String
    /// The operation that failed, e.g. `DynamoDB.GetItem` or `ManagementAPI.PostToConnection`.
    public var operation: String?
    /// Per-action reasons of a `TransactionCanceledException`; empty otherwise.
    package var cancellationReasons: [CancellationReason]
    /// The error that caused this one (an `HTTPClientError` for `.transport`, a decoding error for `.decoding`).
    public var underlying: (any Error)?

    /// Creates an error.
    public init(
        code: Code, status: Int? = nil, awsCode: String? = nil, message: String, operation: String? = nil,
        cancellationReasons: [CancellationReason] = [], underlying: (any Error)? = nil
    ) {
        self.code = code
        self.status = status
        self.awsCode = awsCode
        self.message = message
        self.operation = operation
        self.cancellationReasons = cancellationReasons
        self.underlying = underlying
    }

    /// A short, secret-free description: operation, status, AWS code and message.
    public var description: String {
        var text = operation.map { "\($0) failed: " } ?? ""
        switch code {
        case .configuration: text += "configuration error: "
        case .transport: text += "transport error: "
        case .decoding: text += "cannot decode the response: "
        case .deadlineExceeded: text += "deadline exceeded: "
        case .service:
            if isAuthenticationFailure {
                text += "authentication failed (request signature or credentials rejected; check "
                    + "AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION and the clock): "
            }
            if let status { text += "HTTP \(status) " }
            if let awsCode { text += "\(awsCode): " }
        }
        text += message
        if !cancellationReasons.isEmpty {
            text += " [" + cancellationReasons.map(\.code).joined(separator: ", ") + "]"
        }
        if code == .transport, let underlying { text += " (\(underlying))" }
        return text
    }

    /// True when the service rejected the request's signature or credentials (not a permissions denial).
    package var isAuthenticationFailure: Bool {
        guard code == .service, let awsCode else { return false }
        return Self.authenticationCodes.contains(awsCode)
    }

    /// True for an API Gateway Management API `410 Gone`: the connection no longer exists.
    package var isGone: Bool { code == .service && (status == 410 || awsCode == "GoneException") }

    /// True for a failed condition: `ConditionalCheckFailedException`, or a cancelled transaction whose
    /// only reasons are `ConditionalCheckFailed`.
    package var isConditionalCheckFailure: Bool {
        if awsCode == "ConditionalCheckFailedException" { return true }
        guard awsCode == "TransactionCanceledException", !cancellationReasons.isEmpty else { return false }
        let causes = cancellationReasons.filter { $0.code != "None" }
        return !causes.isEmpty && causes.allSatisfy { $0.code == "ConditionalCheckFailed" }
    }

    static let authenticationCodes: Set<String> = [
        "SignatureDoesNotMatch", "InvalidSignatureException", "IncompleteSignature", "IncompleteSignatureException",
        "MissingAuthenticationToken", "MissingAuthenticationTokenException", "UnrecognizedClientException",
        "InvalidClientTokenId", "ExpiredToken", "ExpiredTokenException", "AuthFailure", "InvalidAccessKeyId",
    ]
}

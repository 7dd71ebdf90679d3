import CurlHTTP

extension LambdaContext {
    /// The context for invocation `requestID` from the other `/next` headers.
    /// - Throws: `.invalidInvocation` naming the header that is missing or invalid.
    init(requestID: String, headers: HTTPHeaders, logger: LambdaLogger) throws(LambdaRuntimeError) {
        guard let deadlineText = headers[RuntimeAPI.Header.deadline] else {
            throw Self.invalid("missing \(RuntimeAPI.Header.deadline)")
        }
        guard let deadline = Int64(deadlineText), deadline > 0 else {
            throw Self.invalid("\(RuntimeAPI.Header.deadline) is not epoch milliseconds: \(JSONText.quoted(String(deadlineText.prefix(64))))")
        }
        guard let arn = headers[RuntimeAPI.Header.invokedFunctionARN], !arn.isEmpty else {
            throw Self.invalid("missing \(RuntimeAPI.Header.invokedFunctionARN)")
        }
        self.init(
            requestID: requestID,
            deadline: deadline,
            invokedFunctionARN: arn,
            traceID: Self.nonEmpty(headers[RuntimeAPI.Header.traceID]),
            clientContext: Self.nonEmpty(headers[RuntimeAPI.Header.clientContext]),
            cognitoIdentity: Self.nonEmpty(headers[RuntimeAPI.Header.cognitoIdentity]),
            logger: logger.with(requestID: requestID)
        )
    }

    private static func nonEmpty(_ value: String?) -> String? {
        value.flatMap { $0.isEmpty ? nil : $0 }
    }

    private static func invalid(_ message: String) -> LambdaRuntimeError {
        LambdaRuntimeError(code: .invalidInvocation, message: message)
    }
}

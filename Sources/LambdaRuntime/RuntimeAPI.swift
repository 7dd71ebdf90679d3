import SystemSupport

/// Wire constants of the Lambda Runtime API, version 2018-06-01.
///
/// See https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html. Kept in one namespace so the
/// loop, the curl client and the tests agree on every path, header and error type.
public enum RuntimeAPI {
    /// The API version prefix every path starts with.
    public static let version = "2018-06-01"

    /// Environment variable holding `host:port` of the Runtime API (set by Lambda or the local gateway).
    package static let addressVariable = "AWS_LAMBDA_RUNTIME_API"

    /// Largest response Lambda accepts for a synchronous invocation: "6 MB" means 6,291,556 bytes.
    /// https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
    package static let maxResponseBytes = 6_291_556

    /// Request paths, relative to `http://{AWS_LAMBDA_RUNTIME_API}`.
    public enum Path {
        /// `GET`: long-polls for the next invocation. Must be called without a timeout.
        public static let next = "/\(version)/runtime/invocation/next"
        /// `POST`: reports a failure during initialisation; Lambda then ends the environment.
        public static let initError = "/\(version)/runtime/init/error"

        // Request ids are UUIDs on AWS; anything else is still put on the wire safely as one path segment.

        /// `POST`: the function's result for one invocation.
        public static func response(_ requestID: String) -> String {
            "/\(version)/runtime/invocation/\(PercentEncoding.encodedSegment(requestID))/response"
        }

        /// `POST`: the function's error for one invocation.
        public static func error(_ requestID: String) -> String {
            "/\(version)/runtime/invocation/\(PercentEncoding.encodedSegment(requestID))/error"
        }
    }

    /// Header names. `/next` answers with the invocation headers; error posts carry the error type.
    public enum Header {
        /// The invocation's request id, e.g. `8476a536-e9f4-11e8-9739-2dfe598c3fcd`.
        public static let requestID = "Lambda-Runtime-Aws-Request-Id"
        /// When the invocation times out, in Unix epoch milliseconds.
        public static let deadline = "Lambda-Runtime-Deadline-Ms"
        /// ARN of the function, version or alias invoked.
        public static let invokedFunctionARN = "Lambda-Runtime-Invoked-Function-Arn"
        /// The X-Ray tracing header, e.g. `Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1`.
        public static let traceID = "Lambda-Runtime-Trace-Id"
        /// Client application data, for invocations from the AWS Mobile SDK.
        package static let clientContext = "Lambda-Runtime-Client-Context"
        /// Amazon Cognito identity data, for invocations from the AWS Mobile SDK.
        package static let cognitoIdentity = "Lambda-Runtime-Cognito-Identity"
        /// On `/error` and `/init/error`: the error type, recommended as `Category.Reason`.
        package static let functionErrorType = "Lambda-Runtime-Function-Error-Type"
    }

    /// The environment variable the X-Ray SDKs read the current trace header from.
    package static let traceIDVariable = "_X_AMZN_TRACE_ID"

    /// Error types the runtime itself reports (handler errors use the thrown type's name).
    public enum ErrorType {
        /// The event could not be decoded into the handler's `Event` type.
        package static let eventDecoding = "Runtime.EventDecodingError"
        /// The handler's output could not be encoded.
        package static let responseEncoding = "Runtime.ResponseEncodingError"
        /// `/next` answered without a required header or with an invalid one.
        package static let invalidInvocation = "Runtime.InvalidInvocation"
        /// The Runtime API refused the response (413 for a response over the size limit); Lambda's own name.
        package static let responseTooLarge = "Function.ResponseSizeTooLarge"
        /// The Runtime API refused the response for another reason.
        package static let responseRejected = "Runtime.ResponseRejected"
        /// Missing or invalid configuration at start.
        public static let configuration = "Runtime.InvalidConfiguration"
    }
}

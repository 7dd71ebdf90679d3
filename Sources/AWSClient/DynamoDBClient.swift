import CurlHTTP
import JSONCoding
import LambdaEvents
import SigV4
import SystemSupport

/// A blocking DynamoDB client over the JSON 1.0 protocol: `POST /` with
/// `Content-Type: application/x-amz-json-1.0` and `X-Amz-Target: DynamoDB_20120810.<Operation>`,
/// signed with SigV4 for the service `dynamodb`.
/// See https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.LowLevelAPI.html
///
/// Keeps one HTTP connection alive across calls (and so across Lambda invocations). Use it from one thread.
public final class DynamoDBClient {
    /// What a call may do when it updates or deletes an item.
    /// See https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html#DDB-UpdateItem-request-ReturnValues
    public enum ReturnValues: String, Sendable, Encodable {
        /// Nothing (the default).
        case none = "NONE"
        /// The item as it was before.
        case allOld = "ALL_OLD"
        /// The updated attributes as they were before.
        case updatedOld = "UPDATED_OLD"
        /// The item as it is after.
        case allNew = "ALL_NEW"
        /// The updated attributes as they are after.
        case updatedNew = "UPDATED_NEW"
    }

    /// Wire constants of the protocol.
    enum Wire {
        static let contentType = "application/x-amz-json-1.0"
        static let dynamoDBTargetPrefix = "DynamoDB_20120810"
        static let streamsTargetPrefix = "DynamoDBStreams_20120810"
        static let signingService = "dynamodb"
    }

    /// The configuration the client was made with.
    public let configuration: AWSConfiguration
    let sender: SignedRequestSender
    let url: String

    /// Creates a client for `configuration.dynamoDBEndpoint`.
    /// - Parameters:
    ///   - retryPolicy: which failures are retried how often (`RetryPolicy.dynamoDBUntilDeadline` for calls
    ///     that must succeed within an invocation, whatever a spike costs).
    ///   - attemptTimeout: the most one attempt may take, so one stalled connection cannot use up the budget.
    /// - Throws: `.configuration` for an invalid endpoint, `.transport` when libcurl is unavailable.
    public convenience init(
        configuration: AWSConfiguration, retryPolicy: RetryPolicy = .default, attemptTimeout: Duration = .seconds(10)
    ) throws(AWSClientError) {
        let client: HTTPClient
        do {
            client = try HTTPClient()
        } catch {
            throw AWSClientError(code: .transport, message: "cannot create the HTTP client", underlying: error)
        }
        try self.init(configuration: configuration, retryPolicy: retryPolicy, transport: client, attemptTimeout: attemptTimeout)
    }

    /// The seam: any transport, sleep, clock and libcrypto check (tests use in-memory fakes).
    init(
        configuration: AWSConfiguration, retryPolicy: RetryPolicy, transport: any HTTPTransport,
        attemptTimeout: Duration = .seconds(10),
        sleep: @escaping (Duration) -> Void = BlockingSleep.sleep, now: @escaping () -> ContinuousClock.Instant = { .now },
        loadCrypto: @escaping () throws(SigV4Error) -> Void = CryptoLibrary.load
    ) throws(AWSClientError) {
        guard let endpoint = EndpointURL(configuration.dynamoDBEndpoint) else {
            throw AWSClientError(code: .configuration, message: "the DynamoDB endpoint is not an http(s) URL with a host")
        }
        self.configuration = configuration
        self.url = endpoint.normalized + "/"
        let signer = SigV4Signer(credentials: configuration.credentials, region: configuration.region, service: Wire.signingService)
        self.sender = SignedRequestSender(
            signer: signer, transport: transport, retryPolicy: retryPolicy, attemptTimeout: attemptTimeout, sleep: sleep, now: now, loadCrypto: loadCrypto)
    }

    /// Retries done by this client since it was made (throttling, 5xx, transient transport failures).
    package var retryCount: Int { sender.retryCount }

    /// Calls DynamoDB's `operation` with `input` and decodes the answer.
    func call<Output: Decodable>(
        _ operation: String, _ input: some Encodable, deadline: ContinuousClock.Instant?,
        targetPrefix: String = Wire.dynamoDBTargetPrefix, as output: Output.Type = Output.self
    ) throws(AWSClientError) -> Output {
        let body = try Self.encode(input, operation: Self.operationName(operation, targetPrefix: targetPrefix))
        return try call(operation, deadline: deadline, targetPrefix: targetPrefix, as: output) { _ in body }
    }

    /// Calls DynamoDB's `operation` with a request body made for each attempt (1-based) and decodes the answer.
    func call<Output: Decodable>(
        _ operation: String, deadline: ContinuousClock.Instant?, targetPrefix: String = Wire.dynamoDBTargetPrefix,
        as output: Output.Type = Output.self, body makeBody: (_ attempt: Int) throws(AWSClientError) -> [UInt8]
    ) throws(AWSClientError) -> Output {
        let name = Self.operationName(operation, targetPrefix: targetPrefix)
        let headers: [(name: String, value: String)] = [
            (name: "Content-Type", value: Wire.contentType),
            (name: "X-Amz-Target", value: "\(targetPrefix).\(operation)"),
        ]
        let response = try sender.send(method: .post, url: url, headers: headers, operation: name, deadline: deadline, body: makeBody)
        do {
            return try response.body.isEmpty
                ? JSONByteDecoder().decode(Output.self, value: .object(JSONObject()))
                : JSONByteDecoder().decode(Output.self, from: response.body)
        } catch {
            throw AWSClientError(
                code: .decoding, status: response.status, message: "unexpected \(operation) response: \(error)",
                operation: name, underlying: error)
        }
    }
}

extension DynamoDBClient {
    /// `DynamoDB.GetItem`, `DynamoDBStreams.GetRecords`: the name errors carry.
    static func operationName(_ operation: String, targetPrefix: String) -> String {
        (targetPrefix == Wire.streamsTargetPrefix ? "DynamoDBStreams." : "DynamoDB.") + operation
    }

    /// The JSON body of a request.
    static func encode(_ input: some Encodable, operation: String, sortedKeys: Bool = false) throws(AWSClientError) -> [UInt8] {
        do {
            return try JSONByteEncoder(sortedKeys: sortedKeys).encode(input)
        } catch {
            throw AWSClientError(code: .configuration, message: "cannot encode the request", operation: operation, underlying: error)
        }
    }
}

/// A response whose content is not needed.
struct EmptyOutput: Decodable {}

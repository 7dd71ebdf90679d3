import CurlHTTP
import JSONCoding
import SigV4
import SystemSupport

/// A blocking client of the API Gateway Management API (`@connections`): sends messages to, describes
/// and closes WebSocket connections. SigV4 service `execute-api`; the endpoint includes the stage, e.g.
/// `https://abc123.execute-api.eu-west-1.amazonaws.com/prod`, and requests go to
/// `{stage path}/@connections/{id}` percent-encoded (`/prod/%40connections/abc%3D`).
/// See https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-how-to-call-websocket-api-connections.html
///
/// Keeps its connections alive across calls and Lambda invocations. Use it from one thread.
package final class ManagementAPIClient {
    /// The endpoint, without a trailing slash.
    public let endpoint: String
    let signer: SigV4Signer
    let retryPolicy: RetryPolicy
    let sender: SignedRequestSender
    /// Upper bound of one fan-out attempt.
    let attemptTimeout: Duration
    var pool: (pool: HTTPClientPool, size: Int)?

    /// Creates a client for `endpoint` with the credentials and region of `configuration`.
    /// - Throws: `.configuration` when the endpoint is not an http(s) URL, `.transport` without libcurl.
    public convenience init(configuration: AWSConfiguration, endpoint: String, retryPolicy: RetryPolicy = .default) throws(AWSClientError) {
        let client: HTTPClient
        do {
            client = try HTTPClient()
        } catch {
            throw AWSClientError(code: .transport, message: "cannot create the HTTP client", underlying: error)
        }
        try self.init(configuration: configuration, endpoint: endpoint, retryPolicy: retryPolicy, transport: client)
    }

    /// The seam: any transport, sleep and clock for single calls (the fan-out always uses the pool), and
    /// the libcrypto check every call makes.
    init(
        configuration: AWSConfiguration, endpoint: String, retryPolicy: RetryPolicy, transport: any HTTPTransport,
        attemptTimeout: Duration = .seconds(5), sleep: @escaping (Duration) -> Void = BlockingSleep.sleep,
        now: @escaping () -> ContinuousClock.Instant = { .now },
        loadCrypto: @escaping () throws(SigV4Error) -> Void = CryptoLibrary.load
    ) throws(AWSClientError) {
        guard let parsed = EndpointURL(endpoint) else {
            throw AWSClientError(
                code: .configuration,
                message: "the Management API endpoint must be an http(s) URL with a host and the stage path, e.g. https://id.execute-api.region.amazonaws.com/prod")
        }
        self.endpoint = parsed.normalized
        self.signer = SigV4Signer(credentials: configuration.credentials, region: configuration.region, service: "execute-api")
        self.retryPolicy = retryPolicy
        self.attemptTimeout = attemptTimeout
        self.sender = SignedRequestSender(
            signer: signer, transport: transport, retryPolicy: retryPolicy, attemptTimeout: attemptTimeout, sleep: sleep, now: now, loadCrypto: loadCrypto)
    }

    /// The URL of one connection, after validating its id.
    func connectionURL(_ connectionId: String, operation: String) throws(AWSClientError) -> String {
        try ConnectionID.validate(connectionId, operation: operation)
        return "\(endpoint)/%40connections/\(PercentEncoding.encodedSegment(connectionId))"
    }

    /// Sends `data` to one connection as one WebSocket frame.
    /// - Throws: `AWSClientError`; `isGone` is true when the connection no longer exists (410).
    package func postToConnection(_ connectionId: String, data: [UInt8], deadline: ContinuousClock.Instant? = nil) throws(AWSClientError) {
        let operation = "ManagementAPI.PostToConnection"
        let url = try connectionURL(connectionId, operation: operation)
        _ = try sender.send(method: .post, url: url, headers: [], body: data, operation: operation, deadline: deadline)
    }

    /// Describes one connection.
    package func getConnection(_ connectionId: String, deadline: ContinuousClock.Instant? = nil) throws(AWSClientError) -> ConnectionInfo {
        let operation = "ManagementAPI.GetConnection"
        let url = try connectionURL(connectionId, operation: operation)
        let response = try sender.send(method: .get, url: url, headers: [], body: [], operation: operation, deadline: deadline)
        do {
            return try JSONByteDecoder().decode(ConnectionInfo.self, from: response.body)
        } catch {
            throw AWSClientError(
                code: .decoding, status: response.status, message: "unexpected GetConnection response: \(error)",
                operation: operation, underlying: error)
        }
    }

    /// Closes one connection.
    package func deleteConnection(_ connectionId: String, deadline: ContinuousClock.Instant? = nil) throws(AWSClientError) {
        let operation = "ManagementAPI.DeleteConnection"
        let url = try connectionURL(connectionId, operation: operation)
        _ = try sender.send(method: .delete, url: url, headers: [], body: [], operation: operation, deadline: deadline)
    }
}

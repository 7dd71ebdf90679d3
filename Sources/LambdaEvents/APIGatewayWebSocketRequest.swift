/// The event API Gateway sends a Lambda proxy integration of a WebSocket API, for `$connect`,
/// `$disconnect` and message routes.
///
/// Shaped after the events API Gateway sends (see
/// https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-mapping-template-reference.html
/// for the context variables). Unknown fields are ignored; the fields API Gateway always sends are required.
/// `headers`, `multiValueHeaders` and the query parameters come only with `$connect` (and a few headers
/// with `$disconnect`); `body` only with messages.
public struct APIGatewayWebSocketRequest: Codable, Sendable, Hashable {
    /// What happened on the connection (`requestContext.eventType`).
    public enum EventType: String, Codable, Sendable, Hashable {
        /// A client is connecting (`$connect`).
        case connect = "CONNECT"
        /// A connection closed (`$disconnect`).
        case disconnect = "DISCONNECT"
        /// A client sent a message (any other route).
        case message = "MESSAGE"
    }

    /// The caller as API Gateway saw it (`requestContext.identity`). The IAM and Cognito members appear
    /// only with those authorizers.
    public struct Identity: Codable, Sendable, Hashable {
        /// The client's IP address.
        public var sourceIp: String
        /// The client's `User-Agent`, when it sent one.
        public var userAgent: String?
        /// The AWS account of an IAM caller.
        package var accountId: String?
        /// The principal of an IAM caller.
        public var caller: String?
        /// The user of an IAM caller.
        public var user: String?
        /// The ARN of an IAM caller.
        package var userArn: String?
        /// The access key of an IAM caller.
        package var accessKey: String?
        /// The API key, with API keys on.
        package var apiKey: String?
        /// The Cognito identity id, with Cognito authorization.
        package var cognitoIdentityId: String?
        /// The Cognito identity pool id, with Cognito authorization.
        package var cognitoIdentityPoolId: String?

        /// Creates an identity.
        public init(sourceIp: String, userAgent: String? = nil) {
            self.sourceIp = sourceIp
            self.userAgent = userAgent
        }
    }

    /// `requestContext`: the connection, route and API.
    public struct RequestContext: Codable, Sendable, Hashable {
        /// The route that was selected: `$connect`, `$disconnect` or a message route such as `sync`.
        public var routeKey: String
        /// What happened on the connection.
        public var eventType: EventType
        /// The connection's id, as used in `@connections/{id}` (for example `LLOXxdOBrPEAbBw=`).
        public var connectionId: String
        /// When the connection was opened, in milliseconds since 1970.
        public var connectedAt: Int64
        /// When this request arrived, in milliseconds since 1970.
        public var requestTimeEpoch: Int64
        /// The API's domain name (`{apiId}.execute-api.{region}.amazonaws.com` or a custom domain).
        public var domainName: String
        /// The stage, for example `prod`.
        public var stage: String
        /// The API's id.
        public var apiId: String
        /// The caller.
        public var identity: Identity
        /// The request's id.
        public var requestId: String
        /// The extended request id (API Gateway sends the same value as `requestId`).
        public var extendedRequestId: String
        /// When this request arrived, as `dd/MMM/yyyy:HH:mm:ss +0000` text.
        public var requestTime: String
        /// `IN` (API Gateway has no other value today).
        public var messageDirection: String
        /// The message's id: only with `MESSAGE` events (`null` or absent otherwise).
        public var messageId: String?
        /// The WebSocket close code (`$disconnect` only), for example 1001 (going away) or 1006.
        public var disconnectStatusCode: Int?
        /// The close reason (`$disconnect` only), often empty.
        public var disconnectReason: String?

        /// Creates a request context (the local gateway builds these).
        public init(
            routeKey: String, eventType: EventType, connectionId: String, connectedAt: Int64, requestTimeEpoch: Int64,
            domainName: String, stage: String, apiId: String, identity: Identity, requestId: String,
            extendedRequestId: String? = nil, requestTime: String, messageDirection: String = "IN",
            messageId: String? = nil, disconnectStatusCode: Int? = nil, disconnectReason: String? = nil
        ) {
            self.routeKey = routeKey
            self.eventType = eventType
            self.connectionId = connectionId
            self.connectedAt = connectedAt
            self.requestTimeEpoch = requestTimeEpoch
            self.domainName = domainName
            self.stage = stage
            self.apiId = apiId
            self.identity = identity
            self.requestId = requestId
            self.extendedRequestId = extendedRequestId ?? requestId
            self.requestTime = requestTime
            self.messageDirection = messageDirection
            self.messageId = messageId
            self.disconnectStatusCode = disconnectStatusCode
            self.disconnectReason = disconnectReason
        }
    }

    /// The connection, route and API.
    public var requestContext: RequestContext
    /// The request headers, one value each (for a repeated header, its last value), as the client spelled them.
    public var headers: [String: String]?
    /// The request headers with every value.
    public var multiValueHeaders: [String: [String]]?
    /// The query parameters of the connect URL, one value each (for a repeated one, its last value).
    public var queryStringParameters: [String: String]?
    /// The query parameters with every value.
    public var multiValueQueryStringParameters: [String: [String]]?
    /// The message text, or its base64 when ``isBase64Encoded`` (binary frames).
    public var body: String?
    /// Whether ``body`` is base64. API Gateway always sends it; when absent (hand-written test events) it is `false`.
    public var isBase64Encoded: Bool

    /// Creates a request (the local gateway builds these).
    public init(
        requestContext: RequestContext, headers: [String: String]? = nil, multiValueHeaders: [String: [String]]? = nil,
        queryStringParameters: [String: String]? = nil, multiValueQueryStringParameters: [String: [String]]? = nil,
        body: String? = nil, isBase64Encoded: Bool = false
    ) {
        self.requestContext = requestContext
        self.headers = headers
        self.multiValueHeaders = multiValueHeaders
        self.queryStringParameters = queryStringParameters
        self.multiValueQueryStringParameters = multiValueQueryStringParameters
        self.body = body
        self.isBase64Encoded = isBase64Encoded
    }

    enum CodingKeys: String, CodingKey {
        case requestContext, headers, multiValueHeaders, queryStringParameters, multiValueQueryStringParameters
        case body, isBase64Encoded
    }

    /// Decodes an event; a missing `isBase64Encoded` means `false`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            requestContext: try container.decode(RequestContext.self, forKey: .requestContext),
            headers: try container.decodeIfPresent([String: String].self, forKey: .headers),
            multiValueHeaders: try container.decodeIfPresent([String: [String]].self, forKey: .multiValueHeaders),
            queryStringParameters: try container.decodeIfPresent([String: String].self, forKey: .queryStringParameters),
            multiValueQueryStringParameters: try container.decodeIfPresent(
                [String: [String]].self, forKey: .multiValueQueryStringParameters
            ),
            body: try container.decodeIfPresent(String.self, forKey: .body),
            isBase64Encoded: try container.decodeIfPresent(Bool.self, forKey: .isBase64Encoded) ?? false
        )
    }
}

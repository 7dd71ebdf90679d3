/// What a WebSocket route's Lambda proxy integration returns to API Gateway.
///
/// For `$connect` the status decides the handshake (2xx accepts, anything else refuses the upgrade); for a
/// route with a route response (here `sync`) the `body` is sent back to the client as one frame. Members
/// that are `nil` are left out of the JSON, so `APIGatewayWebSocketResponse(statusCode: 200)` encodes as
/// `{"statusCode":200}`.
/// See https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-route-response.html
public struct APIGatewayWebSocketResponse: Codable, Sendable, Hashable {
    /// The HTTP-like status: 200 accepts a connection, 403 refuses one, 400 rejects a message.
    public var statusCode: Int
    /// Response headers (only meaningful for `$connect`, e.g. `Sec-WebSocket-Protocol`).
    public var headers: [String: String]?
    /// The frame to send back on routes with a route response.
    public var body: String?
    /// Whether ``body`` is base64 (a binary frame).
    public var isBase64Encoded: Bool?

    /// Creates a response.
    public init(statusCode: Int, headers: [String: String]? = nil, body: String? = nil, isBase64Encoded: Bool? = nil) {
        self.statusCode = statusCode
        self.headers = headers
        self.body = body
        self.isBase64Encoded = isBase64Encoded
    }

    /// `{"statusCode":200}`: accept a connection, or acknowledge a message without a reply.
    public static let ok = APIGatewayWebSocketResponse(statusCode: 200)
    /// `{"statusCode":400}`: a message this API does not handle.
    public static let badRequest = APIGatewayWebSocketResponse(statusCode: 400)
    /// `{"statusCode":403}`: refuse a connection (for example from an origin that is not allowed).
    public static let forbidden = APIGatewayWebSocketResponse(statusCode: 403)
}

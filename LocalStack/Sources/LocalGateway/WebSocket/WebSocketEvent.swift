import Foundation

/// An API Gateway WebSocket event as Lambda receives it (proxy integration), built from what the
/// gateway saw on the wire. Shapes follow the events API Gateway sends, see
/// https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-mapping-template-reference.html
struct WebSocketEvent: Encodable, Sendable {
    /// `requestContext` of the event.
    struct RequestContext: Encodable, Sendable {
        struct Identity: Encodable, Sendable {
            var sourceIp: String
            var userAgent: String?
        }
        var routeKey: String
        var eventType: String
        var messageId: String?
        var extendedRequestId: String
        var requestTime: String
        var messageDirection = "IN"
        var disconnectStatusCode: Int?
        var disconnectReason: String?
        var stage: String
        var connectedAt: Int64
        var requestTimeEpoch: Int64
        var identity: Identity
        var requestId: String
        var domainName: String
        var connectionId: String
        var apiId: String
    }

    var headers: [String: String]?
    var multiValueHeaders: [String: [String]]?
    var queryStringParameters: [String: String]?
    var multiValueQueryStringParameters: [String: [String]]?
    var requestContext: RequestContext
    var body: String?
    var isBase64Encoded: Bool

    /// The JSON bytes handed to the function.
    func encoded() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings, numbers and dictionaries cannot fail.
        return (try? Array(encoder.encode(self))) ?? []
    }
}

extension WebSocketEvent.RequestContext {
    /// A context for `connection` at `now`; the route and event type decide the rest.
    init(routeKey: String, eventType: String, connection: GatewayConnection, stage: String, now: Date) {
        let requestId = ConnectionIDGenerator.makeRequestID()
        self.init(
            routeKey: routeKey, eventType: eventType, messageId: nil, extendedRequestId: requestId,
            requestTime: Self.requestTime(now), disconnectStatusCode: nil, disconnectReason: nil, stage: stage,
            connectedAt: connection.connectedAt, requestTimeEpoch: Int64(now.timeIntervalSince1970 * 1000),
            identity: Identity(sourceIp: connection.sourceIp, userAgent: connection.userAgent),
            requestId: requestId, domainName: connection.domainName, connectionId: connection.id,
            apiId: connection.apiId)
    }

    /// API Gateway's CLF-style `requestTime`, e.g. `29/Nov/2026:06:49:20 +0000`.
    static func requestTime(_ date: Date) -> String {
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ value: Int?) -> String { let v = value ?? 0; return v < 10 ? "0\(v)" : "\(v)" }
        let month = months[max(0, min(11, (c.month ?? 1) - 1))]
        return "\(two(c.day))/\(month)/\(c.year ?? 1970):\(two(c.hour)):\(two(c.minute)):\(two(c.second)) +0000"
    }
}

extension WebSocketEvent {
    /// The `$connect` event: the client's real handshake headers and query parameters.
    static func connect(_ connection: GatewayConnection, stage: String, now: Date) -> WebSocketEvent {
        WebSocketEvent(
            headers: connection.headers.mapValues { $0.joined(separator: ",") },
            multiValueHeaders: connection.headers,
            queryStringParameters: connection.query.isEmpty ? nil : connection.query.mapValues { $0.last ?? "" },
            multiValueQueryStringParameters: connection.query.isEmpty ? nil : connection.query,
            requestContext: RequestContext(
                routeKey: "$connect", eventType: "CONNECT", connection: connection, stage: stage, now: now),
            body: nil, isBase64Encoded: false)
    }

    /// A message event for `routeKey` carrying the frame's text (or base64 of a binary frame).
    static func message(
        _ connection: GatewayConnection, routeKey: String, body: String, isBase64Encoded: Bool, stage: String, now: Date
    ) -> WebSocketEvent {
        var context = RequestContext(
            routeKey: routeKey, eventType: "MESSAGE", connection: connection, stage: stage, now: now)
        context.messageId = ConnectionIDGenerator.makeRequestID()
        return WebSocketEvent(
            headers: nil, multiValueHeaders: nil, queryStringParameters: nil, multiValueQueryStringParameters: nil,
            requestContext: context, body: body, isBase64Encoded: isBase64Encoded)
    }

    /// The `$disconnect` event, with the close code and reason as API Gateway reports them.
    static func disconnect(
        _ connection: GatewayConnection, statusCode: Int, reason: String, stage: String, now: Date
    ) -> WebSocketEvent {
        var context = RequestContext(
            routeKey: "$disconnect", eventType: "DISCONNECT", connection: connection, stage: stage, now: now)
        context.disconnectStatusCode = statusCode
        context.disconnectReason = reason
        // API Gateway sends a few of its own headers on $disconnect, not the client's.
        let headers = ["Host": connection.domainName, "X-Forwarded-For": connection.sourceIp, "x-restapi": connection.apiId]
        return WebSocketEvent(
            headers: headers, multiValueHeaders: headers.mapValues { [$0] }, queryStringParameters: nil,
            multiValueQueryStringParameters: nil, requestContext: context, body: nil, isBase64Encoded: false)
    }
}

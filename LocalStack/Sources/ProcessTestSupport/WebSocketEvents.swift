import Foundation
import LambdaEvents

/// API Gateway-shaped WebSocket events for the process tests.
public enum WebSocketEvents {
    /// A `$connect`, `$disconnect` or message event; `connectedAt` defaults to now (epoch ms).
    public static func event(
        route: String, connectionId: String, visit: String? = nil,
        connectedAt: Int64 = Int64(Date().timeIntervalSince1970 * 1000)
    ) -> APIGatewayWebSocketRequest {
        let type: APIGatewayWebSocketRequest.EventType = route == "$connect" ? .connect : route == "$disconnect" ? .disconnect : .message
        let context = APIGatewayWebSocketRequest.RequestContext(
            routeKey: route, eventType: type, connectionId: connectionId, connectedAt: connectedAt,
            requestTimeEpoch: connectedAt, domainName: "127.0.0.1", stage: "local", apiId: "local",
            identity: .init(sourceIp: "127.0.0.1"), requestId: "r-\(connectionId)", requestTime: "29/Nov/2026:07:00:00 +0000",
            disconnectStatusCode: type == .disconnect ? 1001 : nil, disconnectReason: type == .disconnect ? "Going away" : nil)
        return APIGatewayWebSocketRequest(
            requestContext: context, headers: ["Origin": "http://127.0.0.1:8080"],
            queryStringParameters: visit.map { ["visit": $0] }, body: type == .message ? #"{"action":"\#(route)"}"# : nil)
    }

    /// A connection id shaped like API Gateway's: 16 characters ending in `=`.
    public static func connectionId(_ n: Int, prefix: String = "C") -> String {
        let digits = String(n)
        return prefix + String(repeating: "0", count: max(0, 15 - prefix.count - digits.count)) + digits + "="
    }
}

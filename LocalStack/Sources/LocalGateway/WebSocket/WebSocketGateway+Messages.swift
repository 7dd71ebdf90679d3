import Foundation
import HummingbirdWebSocket
import NIOCore

extension WebSocketGateway {
    /// Routes one message by its `action` (RouteSelectionExpression `$request.body.action`) and
    /// sends the route's response body back when the route has a route response.
    func handle(_ message: WebSocketMessage, from info: GatewayConnection, outbound: WebSocketOutboundWriter) async throws {
        let body: String
        let isBase64Encoded: Bool
        switch message {
        case .text(let text):
            body = text
            isBase64Encoded = false
        case .binary(let buffer):
            body = Data(buffer.readableBytesView).base64EncodedString()
            isBase64Encoded = true
        }
        let requestId = ConnectionIDGenerator.makeRequestID()
        guard let routeKey = Self.routeKey(of: isBase64Encoded ? nil : body),
            !routeKey.hasPrefix("$"), let route = routes.route(routeKey)
        else {
            // No matching route and no $default route: API Gateway answers this and invokes nothing.
            try await send(error: "Forbidden", connectionId: info.id, requestId: requestId, to: outbound)
            return
        }
        if route.isMock {
            try await answerMock(route, from: info, outbound: outbound)
            return
        }
        let event = WebSocketEvent.message(
            info, routeKey: route.routeKey, body: body, isBase64Encoded: isBase64Encoded, stage: stage, now: Date())
        let outcome = await function.invoke(event.encoded(), detail: route.routeKey)
        if outcome.failed {
            try await send(error: "Internal server error", connectionId: info.id, requestId: requestId, to: outbound)
        } else if route.hasResponse, let responseBody = outcome.body {
            try await outbound.write(.text(responseBody))
            registry.touch(info.id)
        }
    }

    /// The value of `action` when `body` is a JSON object that has a string `action`.
    static func routeKey(of body: String?) -> String? {
        guard let body, let object = try? JSONDecoder().decode(JSONValue.self, from: Data(body.utf8)) else { return nil }
        return object["action"]?.stringValue
    }

    /// API Gateway's error frame, e.g. `{"message": "Forbidden", "connectionId": "...", "requestId": "..."}`.
    private func send(
        error message: String, connectionId: String, requestId: String, to outbound: WebSocketOutboundWriter
    ) async throws {
        let frame = JSONValue.object([
            "message": .string(message), "connectionId": .string(connectionId), "requestId": .string(requestId),
        ])
        let text = (try? String(decoding: JSONEncoder().encode(frame), as: UTF8.self)) ?? "{\"message\":\"\(message)\"}"
        try await outbound.write(.text(text))
    }
}

import Foundation
import HummingbirdWebSocket
import NIOWebSocket

/// API Gateway's keep-alive rules, locally: a route with a MOCK integration (the `ping` route) is answered by
/// the gateway itself, invoking no function; and a connection with no message in either direction for the
/// idle timeout (10 minutes on API Gateway), or open for the maximum duration (2 hours), is closed, which
/// sends `$disconnect` as any close does.
/// https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-execution-service-websocket-limits-table.html
extension WebSocketGateway {
    /// API Gateway's idle connection timeout.
    static let defaultIdleTimeout: Duration = .seconds(600)
    /// API Gateway's connection duration limit.
    static let defaultMaxConnectionDuration: Duration = .seconds(7200)

    /// Answers a MOCK route: the integration response's template goes back when the route has a route
    /// response (a two-way route); nothing is invoked either way.
    func answerMock(_ route: TablesConfiguration.Route, from info: GatewayConnection, outbound: WebSocketOutboundWriter)
        async throws
    {
        GatewayLog.line("mock \(route.routeKey) answered by the gateway (no function invoked)")
        if route.hasResponse, let response = route.mockResponse {
            try await outbound.write(.text(response))
            registry.touch(info.id)
        }
    }

    /// Closes every connection idle for `timeout` or open for `maxDuration`, checking a few times per
    /// timeout, until cancelled.
    static func closeIdleConnections(in registry: ConnectionRegistry, timeout: Duration, maxDuration: Duration) async {
        let check = min(max(min(timeout, maxDuration) / 4, .milliseconds(50)), .seconds(5))
        while !Task.isCancelled {
            try? await Task.sleep(for: check)
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            for (id, idle) in registry.expired(idleBefore: now - millis(timeout), openedBefore: now - millis(maxDuration)) {
                guard let outbound = registry.markClosedByServer(id) else { continue }
                let why = idle ? "idle for \(timeout) (API Gateway's idle timeout)" : "open for \(maxDuration) (API Gateway's limit)"
                GatewayLog.line("closing \(id): \(why)")
                try? await outbound.close(.goingAway, reason: "Going away")
            }
        }
    }

    private static func millis(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    }
}

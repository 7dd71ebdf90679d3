import Foundation
import HTTPTypes
import HummingbirdWebSocket
import Logging
import NIOCore
import ServiceLifecycle

/// The WebSocket side of API Gateway: turns a handshake into `$connect`, each frame into a routed
/// message event, and the close into `$disconnect`, and runs them through DBUpdater.
/// See https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-overview.html
struct WebSocketGateway: Sendable {
    /// Path of the stage (`/local`): the WebSocket URL and the Management API's prefix.
    let stagePath: String
    let routes: TablesConfiguration
    let function: HostedFunction
    let registry: ConnectionRegistry
    /// Origins `$connect` refused, for `EndpointDiagnostics`.
    let refusedOrigins: RefusedOrigins
    /// API Gateway's limit for a message (frames of a message together): 128 KB; larger closes with 1009.
    /// https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-execution-service-websocket-limits-table.html
    static let maxMessageSize = 128 * 1024
    /// API Gateway's limit for one frame: 32 KB (a longer message comes in several frames); larger closes with 1009.
    static let maxFrameSize = 32 * 1024
    /// How long a close waits for the client's answering close frame before the socket is dropped, here
    /// and at shutdown. Hummingbird's default is 15 s, and at shutdown it waited without limit: one client
    /// that never answers (a suspended laptop, a script that stopped reading) held up `make dev`'s Ctrl-C.
    static let closeTimeout: Duration = .seconds(2)
    /// Lost `$disconnect`s and the other AWS behaviours `make dev` and the tests can switch on.
    var faults = LocalFaults()

    var stage: String { String(stagePath.dropFirst()) }

    /// Decides the upgrade: only `GET {stage}`; runs `$connect`, and refuses the handshake when it
    /// does not answer 200, with that status (`UpgradeRefusal`). An upgrade to another path is
    /// refused with 404 and a log line naming the stage's URL.
    func shouldUpgrade(
        _ request: HTTPRequest, channel: any Channel, logger: Logger
    ) async -> ShouldUpgradeResult<WebSocketDataHandler<HTTP1WebSocketUpgradeChannel.Context>> {
        let path = request.path ?? "/"
        let pathOnly = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init)
        guard request.method == .get else { return .dontUpgrade }
        guard pathOnly == stagePath || pathOnly == stagePath + "/" else {
            let stageURL = "ws://\(request.authority ?? "127.0.0.1")\(stagePath)"
            await UpgradeRefusal.wrongPath(pathOnly ?? "/", stageURL: stageURL).send(on: channel, path: pathOnly ?? "/")
            return .dontUpgrade
        }
        let sourceIp = channel.remoteAddress?.ipAddress ?? "127.0.0.1"
        let info = GatewayConnection(id: ConnectionIDGenerator.make(), request: request, sourceIp: sourceIp, now: Date())
        if routes.route("$connect") != nil {
            let event = WebSocketEvent.connect(info, stage: stage, now: Date())
            let outcome = await function.invoke(event.encoded(), detail: "$connect")
            guard outcome.statusCode == 200 else {
                let origin = request.headerFields[.origin]
                if outcome.statusCode == 403, let origin { refusedOrigins.add(origin) }
                await UpgradeRefusal.connectRefused(status: outcome.statusCode, origin: origin)
                    .send(on: channel, path: pathOnly ?? stagePath)
                return .dontUpgrade
            }
        }
        let closeObserver = CloseFrameObserver()
        return .upgrade([:]) { inbound, outbound, _ in
            await closeObserver.install(on: channel)
            registry.add(info, outbound: outbound)
            do {
                try await withGracefulShutdownHandler {
                    for try await message in inbound.messages(maxSize: Self.maxMessageSize) {
                        registry.touch(info.id)
                        try await handle(message, from: info, outbound: outbound)
                    }
                } onGracefulShutdown: {
                    // Hummingbird sends the close frame, then waits for the client's answer with no limit
                    // (its closeTimeout starts only once this handler has returned).
                    Task {
                        try? await Task.sleep(for: Self.closeTimeout)
                        try? await channel.close()
                    }
                }
            } catch {
                logger.debug("connection ended with an error", metadata: ["error": "\(error)"])
                // Not awaited: the close handshake should not wait for the function.
                Task { await disconnect(info, observer: closeObserver) }
                throw error
            }
            Task { await disconnect(info, observer: closeObserver) }
        }
    }

    /// Removes the connection and sends `$disconnect` with the close code and reason.
    private func disconnect(_ info: GatewayConnection, observer: CloseFrameObserver) async {
        defer { registry.disconnectFinished() }
        let entry = registry.remove(info.id)
        let (code, reason) = observer.closeStatus(closedByServer: entry?.closedByServer ?? false)
        guard routes.route("$disconnect") != nil else { return }
        if faults.dropsDisconnect() {
            GatewayLog.line("fault: dropped the $disconnect of \(info.id)")
            return
        }
        let event = WebSocketEvent.disconnect(info, statusCode: code, reason: reason, stage: stage, now: Date())
        _ = await function.invoke(event.encoded(), detail: "$disconnect")
    }
}

import NIOCore
import NIOWebSocket
import Synchronization

/// Remembers the close code and reason the client sent. Hummingbird's WebSocket handler consumes the
/// close frame without showing it to the data handler, but `$disconnect` must report it
/// (`disconnectStatusCode`, `disconnectReason`), so this handler sits between the frame decoder and
/// the handler and looks at close frames on their way through.
final class CloseFrameObserver: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    typealias InboundIn = WebSocketFrame
    typealias InboundOut = WebSocketFrame

    private let received = Mutex<(code: Int, reason: String)?>(nil)

    init() {}

    /// Inserts the observer right after the WebSocket protocol handlers of `channel`.
    func install(on channel: any Channel) async {
        try? await channel.eventLoop.submit {
            let pipeline = channel.pipeline.syncOperations
            if let errorHandler = try? pipeline.handler(type: WebSocketProtocolErrorHandler.self) {
                try pipeline.addHandler(self, position: .after(errorHandler))
            } else {
                let decoder = try pipeline.handler(type: ByteToMessageHandler<WebSocketFrameDecoder>.self)
                try pipeline.addHandler(self, position: .after(decoder))
            }
        }.get()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        if frame.opcode == .connectionClose {
            var payload = frame.unmaskedData
            // RFC 6455 §7.1.5: no status code in the frame reads as 1005.
            let code = payload.readInteger(as: UInt16.self).map(Int.init) ?? 1005
            let reason = payload.readString(length: payload.readableBytes) ?? ""
            received.withLock { $0 = (code, reason) }
        }
        context.fireChannelRead(data)
    }

    /// `disconnectStatusCode`/`disconnectReason` for `$disconnect`: the client's close frame, else
    /// 1000 when the server closed it (Management API DELETE), else 1006 (the socket just went away).
    func closeStatus(closedByServer: Bool) -> (Int, String) {
        if let received = received.withLock({ $0 }) { return (received.code, received.reason) }
        if closedByServer { return (1000, "Connection closed by the server") }
        return (1006, "Going away")
    }
}

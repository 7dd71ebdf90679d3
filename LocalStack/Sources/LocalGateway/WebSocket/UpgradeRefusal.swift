import NIOCore
import NIOHTTP1

/// A WebSocket handshake the gateway turns down, answered with a status the browser shows in its
/// console and a one-line reason, and logged.
///
/// Hummingbird answers every refused upgrade with a bare 400, so a refused origin (403 from
/// `$connect`) or a wrong stage looked alike: "Unexpected response code: 400". API Gateway answers
/// them with 403. So the answer is written here, on the channel, before `shouldUpgrade` returns
/// `.dontUpgrade`, and the channel's output is closed: Hummingbird's own 400 then goes nowhere.
struct UpgradeRefusal: Sendable {
    var status: HTTPResponseStatus
    /// Why, in words: the response's body and the log line's tail.
    var reason: String

    /// Logs the refusal and writes the response (`Connection: close`), then closes our side.
    func send(on channel: any Channel, path: String) async {
        GatewayLog.line("refused a WebSocket upgrade to \(path): \(status.code) \(reason)")
        let body = reason + "\n"
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
        headers.add(name: "Content-Length", value: String(body.utf8.count))
        headers.add(name: "Connection", value: "close")
        let head = HTTPResponseHead(version: .http1_1, status: status, headers: headers)
        channel.write(HTTPServerResponsePart.head(head), promise: nil)
        channel.write(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(string: body))), promise: nil)
        try? await channel.writeAndFlush(HTTPServerResponsePart.end(nil))
        try? await channel.close(mode: .output)
    }

    /// An upgrade to a path that is not the stage: names the one that is.
    static func wrongPath(_ path: String, stageURL: String) -> UpgradeRefusal {
        UpgradeRefusal(
            status: .notFound,
            reason: "no WebSocket API at \(path); the local stack's is \(stageURL) (stage \"local\")")
    }

    /// `$connect` answered something other than 200 (403: the origin is not allowed).
    static func connectRefused(status: Int, origin: String?) -> UpgradeRefusal {
        let code = HTTPResponseStatus(statusCode: status)
        guard status == 403 else {
            return UpgradeRefusal(status: code, reason: "$connect answered \(status)")
        }
        let who = origin.map { "origin \($0)" } ?? "a page without an Origin header"
        return UpgradeRefusal(
            status: code,
            reason: "$connect refused \(who): it is not in the allowed origins "
                + "(--allowed-origins, GATEWAY_ARGS for make dev; AllowedOrigins when deployed)")
    }
}

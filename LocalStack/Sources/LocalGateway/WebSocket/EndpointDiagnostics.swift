import HTTPTypes
import Hummingbird

/// Answers the question visitor-counter.js asks after a failed handshake. A page's WebSocket never
/// sees the handshake's status, so the script fetches the endpoint as plain HTTP; these answers carry
/// `Access-Control-Allow-Origin: *` so a page on any origin can read the status:
/// - the stage path: 403 when `$connect` refused the caller's `Origin`, else 426 Upgrade Required;
/// - any other path that is not found: 404, naming the stage's URL.
/// Only statuses and public text are exposed; the Management API is matched before this and keeps its
/// own answers.
struct EndpointDiagnostics<Context: RequestContext>: RouterMiddleware {
    let stagePath: String
    let refusedOrigins: RefusedOrigins

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard request.method == .get || request.method == .head else { return try await next(request, context) }
        let path = request.uri.path
        if path == stagePath || path == stagePath + "/" {
            if let origin = request.headers[.origin], refusedOrigins.contains(origin) {
                return Self.answer(.forbidden, "origin \(origin) is not in the allowed origins")
            }
            return Self.answer(.upgradeRequired, "the WebSocket API of stage \"local\"", upgrade: true)
        }
        let stageURL = "ws://\(request.head.authority ?? "127.0.0.1")\(stagePath)"
        do {
            let response = try await next(request, context)
            guard response.status == .notFound else { return response }
        } catch let error as HTTPError where error.status == .notFound {
            // Falls through to the 404 below.
        }
        return Self.answer(.notFound, "not found; the local stack's WebSocket API is \(stageURL)")
    }

    private static func answer(_ status: HTTPResponse.Status, _ text: String, upgrade: Bool = false) -> Response {
        var headers: HTTPFields = [.contentType: "text/plain; charset=utf-8", .accessControlAllowOrigin: "*"]
        if upgrade { headers[.upgrade] = "websocket" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: .init(string: text + "\n")))
    }
}

import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdWebSocket
import NIOWebSocket

/// API Gateway's Management API for the local stage: `POST`, `GET` and `DELETE`
/// `{stage}/@connections/{connectionId}`, IAM (SigV4) authorised, `410 Gone` for connections that
/// are not open. https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-how-to-call-websocket-api-connections.html
struct ManagementAPI<Context: RequestContext>: RouterMiddleware {
    let stagePath: String
    let registry: ConnectionRegistry
    let verifier: SignatureVerifier
    /// Account-wide throttling switched on at run time (`FaultControl`).
    var faults = LocalFaults()
    /// API Gateway's limit for a message posted to a connection.
    static var maxPayload: Int { 128 * 1024 }

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let rawTarget = request.head.path ?? "/"
        let parts = rawTarget.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let rawPath = String(parts[0])
        // Match decoded segments of the raw path, so an id's %2F or %3D never splits or confuses it.
        let segments = rawPath.split(separator: "/", omittingEmptySubsequences: false).map {
            $0.removingPercentEncoding ?? String($0)
        }
        guard segments.count == 4, segments[0].isEmpty, "/" + segments[1] == stagePath, segments[2] == "@connections"
        else {
            return try await next(request, context)
        }
        let connectionId = segments[3]
        if request.method == .post, faults.throttlesManagementPost() {
            return Self.json(.tooManyRequests, ["message": .string("Too Many Requests")], errorType: "LimitExceededException")
        }
        var request = request
        let body = try await request.collectBody(upTo: Self.maxPayload + 1)
        var headers = request.headers.map { (name: $0.name.rawName, value: $0.value) }
        if let authority = request.head.authority { headers.append((name: "host", value: authority)) }
        do {
            try verifier.verify(
                method: request.method.rawValue, path: rawPath, query: parts.count > 1 ? String(parts[1]) : "",
                headers: headers, body: Array(body.readableBytesView))
        } catch {
            GatewayLog.line("management \(request.method.rawValue) refused: \(error.message)")
            return Self.json(.forbidden, ["message": .string(error.message)], errorType: "ForbiddenException")
        }
        guard !connectionId.isEmpty else {
            return Self.json(.notFound, ["message": .string("Not Found")])
        }
        switch request.method {
        case .post: return await post(body, to: connectionId)
        case .get: return get(connectionId)
        case .delete: return await delete(connectionId)
        default: return Self.json(.methodNotAllowed, ["message": .string("Method Not Allowed")])
        }
    }

    /// Sends the body as one frame (text when it is UTF-8, as API Gateway does for JSON payloads).
    private func post(_ body: ByteBuffer, to id: String) async -> Response {
        guard body.readableBytes <= Self.maxPayload else {
            return Self.json(.contentTooLarge, ["message": .string("Payload too large")], errorType: "PayloadTooLargeException")
        }
        guard let entry = registry.entry(id) else { return Self.gone() }
        do {
            if let text = String(validating: body.readableBytesView, as: UTF8.self) {
                try await entry.outbound.write(.text(text))
            } else {
                try await entry.outbound.write(.binary(body))
            }
        } catch {
            return Self.gone()
        }
        registry.touch(id)
        return Response(status: .ok)
    }

    /// `{"ConnectedAt", "Identity": {"SourceIp", "UserAgent"}, "LastActiveAt"}` (ISO 8601 times).
    private func get(_ id: String) -> Response {
        guard let entry = registry.entry(id) else { return Self.gone() }
        var identity: [String: JSONValue] = ["SourceIp": .string(entry.info.sourceIp)]
        if let agent = entry.info.userAgent { identity["UserAgent"] = .string(agent) }
        return Self.json(.ok, [
            "ConnectedAt": .string(Self.iso8601(entry.info.connectedAt)),
            "Identity": .object(identity),
            "LastActiveAt": .string(Self.iso8601(entry.lastActiveAt)),
        ])
    }

    /// Closes the socket; `$disconnect` follows as for any close.
    private func delete(_ id: String) async -> Response {
        guard let outbound = registry.markClosedByServer(id) else { return Self.gone() }
        try? await outbound.close(.normalClosure, reason: nil)
        return Response(status: .noContent)
    }

    private static func gone() -> Response { json(.gone, ["message": .null], errorType: "GoneException") }

    /// A JSON answer; errors carry `x-amzn-ErrorType`, where the AWS SDKs look for the error code.
    private static func json(
        _ status: HTTPResponse.Status, _ members: [String: JSONValue], errorType: String? = nil
    ) -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let errorType, let name = HTTPField.Name("x-amzn-ErrorType") { headers[name] = errorType }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(JSONValue.object(members))) ?? Data("{}".utf8)
        return Response(
            status: status, headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    private static func iso8601(_ epochMillis: Int64) -> String {
        Date(timeIntervalSince1970: Double(epochMillis) / 1000).formatted(.iso8601)
    }
}

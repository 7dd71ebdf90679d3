import Foundation
import HTTPTypes
import Hummingbird

/// The loopback control endpoint of `LocalFaults` (only with `--fault-control`; never part of API Gateway):
/// - `GET /_local/faults`: what the faults did so far (JSON, see `LocalFaults.report`);
/// - `POST /_local/faults/management-throttle` with `{"seconds": 3}`: every Management API POST answers 429
///   for that long, from now (account-wide throttling arriving while the stack runs).
struct FaultControl<Context: RequestContext>: RouterMiddleware {
    static var path: String { "/_local/faults" }
    let faults: LocalFaults

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let path = (request.head.path ?? "/").split(separator: "?", maxSplits: 1).first.map(String.init) ?? "/"
        switch (request.method, path) {
        case (.get, Self.path):
            return Self.json(.ok, faults.report)
        case (.post, Self.path + "/management-throttle"):
            var request = request
            let body = try await request.collectBody(upTo: 4096)
            let value = try? JSONDecoder().decode(JSONValue.self, from: Data(body.readableBytesView))
            guard case .number(let seconds)? = value?["seconds"], seconds >= 0, seconds <= 3600 else {
                return Self.json(.badRequest, .object(["message": .string("expected {\"seconds\": 0...3600}")]))
            }
            faults.throttleManagementAPI(for: .milliseconds(Int64(seconds * 1000)))
            GatewayLog.line("fault: the Management API answers 429 to every POST for \(seconds) s")
            return Self.json(.ok, faults.report)
        default:
            return try await next(request, context)
        }
    }

    private static func json(_ status: HTTPResponse.Status, _ value: JSONValue) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}

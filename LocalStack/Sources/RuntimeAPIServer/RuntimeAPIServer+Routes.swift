import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension RuntimeAPIServer {
    /// Bodies are read whole up to this size; the response limit is checked against the real size, so
    /// a 413 never leaves an unread body on the keep-alive connection.
    static let maxBodyBytes = 32 * 1024 * 1024

    func addRoutes(to router: Router<BasicRequestContext>) {
        let broker = self.broker
        router.get("/2018-06-01/runtime/invocation/next") { _, _ -> Response in
            let token = UUID()
            let answer = await withTaskCancellationHandler {
                await broker.poll(token: token)
            } onCancel: {
                Task { await broker.cancelPoll(token: token) }
            }
            switch answer {
            case .invocation(let delivery):
                var headers = HTTPFields()
                for field in delivery.headers {
                    if let name = HTTPField.Name(field.name) { headers.append(HTTPField(name: name, value: field.value)) }
                }
                headers[.contentType] = "application/json"
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: delivery.payload)))
            case .status(let status):
                return Self.json(HTTPResponse.Status(code: status), ErrorBody(errorMessage: "injected failure", errorType: "Injected"))
            case .unavailable:
                return Self.json(.serviceUnavailable, ErrorBody(errorMessage: "the Runtime API is stopping", errorType: "ServiceUnavailable"))
            }
        }

        router.post("/2018-06-01/runtime/invocation/:requestID/response") { request, context -> Response in
            let requestID = context.parameters.get("requestID") ?? ""
            let body = try await Self.collect(request)
            guard await broker.isOutstanding(requestID) else { return Self.unknownRequest(requestID) }
            let tooLarge: Bool
            switch await broker.responseLimit {
            case .unlimited: tooLarge = false
            case .bytes(let limit): tooLarge = body.count > limit
            case .refuseAll: tooLarge = true
            }
            if tooLarge {
                return Self.json(.contentTooLarge, ErrorBody(
                    errorMessage: "Response payload size (\(body.count) bytes) exceeded maximum allowed payload size",
                    errorType: "RequestEntityTooLarge"))
            }
            guard await broker.complete(requestID, with: .response(body)) else { return Self.unknownRequest(requestID) }
            return Self.accepted()
        }

        router.post("/2018-06-01/runtime/invocation/:requestID/error") { request, context -> Response in
            let requestID = context.parameters.get("requestID") ?? ""
            let body = try await Self.collect(request)
            let decoded = ErrorBody(decoding: body)
            let type = request.headers[HTTPField.Name("Lambda-Runtime-Function-Error-Type")!] ?? decoded.errorType ?? "Unknown"
            let result = InvocationResult.error(type: type, message: decoded.errorMessage ?? "", body: body)
            guard await broker.complete(requestID, with: result) else { return Self.unknownRequest(requestID) }
            return Self.accepted()
        }

        router.post("/2018-06-01/runtime/init/error") { request, _ -> Response in
            let body = try await Self.collect(request)
            let decoded = ErrorBody(decoding: body)
            let type = request.headers[HTTPField.Name("Lambda-Runtime-Function-Error-Type")!] ?? decoded.errorType ?? "Unknown"
            await broker.recordInitError(InitError(type: type, message: decoded.errorMessage ?? "", body: body))
            return Self.accepted()
        }
    }

    private static func collect(_ request: Request) async throws -> [UInt8] {
        let buffer = try await request.body.collect(upTo: maxBodyBytes)
        return Array(buffer.readableBytesView)
    }

    /// Lambda answers accepted posts with 202 and `{"status":"OK"}`.
    private static func accepted() -> Response {
        Response(status: .accepted, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"status":"OK"}"#)))
    }

    private static func unknownRequest(_ requestID: String) -> Response {
        json(.badRequest, ErrorBody(errorMessage: "Invalid request ID: \(requestID)", errorType: "InvalidRequestID"))
    }

    private static func json(_ status: HTTPResponse.Status, _ body: ErrorBody) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body.json)))
    }
}

/// The `{"errorMessage","errorType"}` JSON Lambda uses for error posts and for its own error answers.
private struct ErrorBody: Codable {
    var errorMessage: String?
    var errorType: String?

    /// Decodes what the function posted; anything undecodable leaves both fields nil.
    init(decoding bytes: [UInt8]) {
        let decoded = try? JSONDecoder().decode(ErrorBody.self, from: Data(bytes))
        errorMessage = decoded?.errorMessage
        errorType = decoded?.errorType
    }

    init(errorMessage: String, errorType: String) {
        self.errorMessage = errorMessage
        self.errorType = errorType
    }

    /// The JSON bytes (for the server's own 4xx answers).
    var json: [UInt8] {
        (try? Array(JSONEncoder().encode(self))) ?? Array("{}".utf8)
    }
}

import Foundation
import CurlHTTP
@testable import LambdaRuntime

/// An in-memory Runtime API: scripted `/next` answers, recorded posts. One thread, like the loop.
final class FakeRuntimeAPIClient: RuntimeAPIClient {
    /// What the next `/next` calls return, in order; when empty, `/next` fails as unreachable.
    var nextAnswers: [Result<Invocation, LambdaRuntimeError>] = []
    /// The status `/response` answers with (202 accepts; anything else is refused).
    var responseStatus = 202
    /// Whether error posts fail as unreachable.
    var errorPostsFail = false

    private(set) var responses: [(requestID: String, body: [UInt8])] = []
    private(set) var errors: [(requestID: String, report: ErrorReport)] = []
    private(set) var initErrors: [ErrorReport] = []
    private(set) var nextCalls = 0

    func nextInvocation() throws(LambdaRuntimeError) -> Invocation {
        nextCalls += 1
        guard !nextAnswers.isEmpty else {
            throw LambdaRuntimeError(code: .runtimeAPIUnavailable, message: "fake: nothing scripted")
        }
        return try nextAnswers.removeFirst().get()
    }

    func postResponse(requestID: String, body: [UInt8]) throws(LambdaRuntimeError) {
        guard (200..<300).contains(responseStatus) else {
            throw LambdaRuntimeError(code: .rejected, message: "fake refused", status: responseStatus)
        }
        responses.append((requestID, body))
    }

    func postError(requestID: String, report: ErrorReport) throws(LambdaRuntimeError) {
        if errorPostsFail { throw LambdaRuntimeError(code: .runtimeAPIUnavailable, message: "fake: error post failed") }
        errors.append((requestID, report))
    }

    func postInitError(_ report: ErrorReport) throws(LambdaRuntimeError) {
        initErrors.append(report)
    }

    /// Scripts an invocation with the standard headers; `overrides` replace them (nil removes one).
    func enqueue(
        _ event: String,
        requestID: String? = "req-1",
        deadline: Int64 = WallClock.epochMilliseconds() + 10_000,
        traceID: String? = "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1",
        overrides: [String: String?] = [:]
    ) {
        var fields: [String: String?] = [
            RuntimeAPI.Header.requestID: requestID,
            RuntimeAPI.Header.deadline: String(deadline),
            RuntimeAPI.Header.invokedFunctionARN: "arn:aws:lambda:eu-west-1:123456789012:function:echo",
            RuntimeAPI.Header.traceID: traceID,
        ]
        for (name, value) in overrides { fields[name] = value }
        let headers = HTTPHeaders(fields.sorted { $0.key < $1.key }.compactMap { field in field.value.map { (field.key, $0) } })
        nextAnswers.append(.success(Invocation(headers: headers, event: Array(event.utf8))))
    }
}

/// Collects log lines written by a `LambdaLogger`, for assertions.
final class LogCapture: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [String] = []

    var lines: [String] { lock.withLock { storage } }

    func logger(level: LambdaLogger.Level = .debug, epochMilliseconds: Int64 = 1_700_000_000_123) -> LambdaLogger {
        LambdaLogger(level: level, requestID: nil, clock: { epochMilliseconds }) { bytes in
            self.lock.withLock { self.storage.append(String(decoding: bytes, as: UTF8.self)) }
        }
    }
}

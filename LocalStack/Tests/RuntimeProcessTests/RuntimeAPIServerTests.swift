import CurlHTTP
import Foundation
import LambdaRuntime
import RuntimeAPIServer
import Testing

/// Runs blocking work on its own thread, so a blocking client never blocks the test's cooperative pool.
func onThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}

/// The loopback server driven by the socket client directly: wire behaviour without a child process.
@Suite(.serialized) struct RuntimeAPIServerTests {
    /// Serves one invocation with the socket client on a thread: `answer` decides what to post.
    func serveOne(_ server: RuntimeAPIServer, answer: @escaping @Sendable (SocketRuntimeAPIClient, Invocation) throws -> Void)
        async throws -> Invocation
    {
        let address = server.address
        return try await onThread {
            let client = try SocketRuntimeAPIClient(address: address)
            let invocation = try client.nextInvocation()
            try answer(client, invocation)
            return invocation
        }
    }

    @Test func nextCarriesRealisticHeadersAndResponseIsCollected() async throws {
        let server = RuntimeAPIServer()
        try await server.start()
        async let served = serveOne(server) { client, invocation in
            let id = invocation.headers[RuntimeAPI.Header.requestID] ?? ""
            try client.postResponse(requestID: id, body: invocation.event.reversed())
        }
        let before = Int64(Date().timeIntervalSince1970 * 1000)
        let result = try await server.invoke(Array("abc".utf8), deadline: .seconds(10))
        let invocation = try await served
        let after = Int64(Date().timeIntervalSince1970 * 1000)
        await server.stop()
        #expect(result == .response(Array("cba".utf8)))
        #expect(UUID(uuidString: invocation.headers[RuntimeAPI.Header.requestID] ?? "") != nil)
        let deadline = try #require(Int64(invocation.headers[RuntimeAPI.Header.deadline] ?? ""))
        // Stamped when the function took the invocation: ten seconds from a moment between before and after.
        #expect(deadline >= before + 10_000 && deadline <= after + 10_000)
        #expect(invocation.headers[RuntimeAPI.Header.invokedFunctionARN] == server.functionARN)
        #expect(invocation.headers[RuntimeAPI.Header.traceID]?.hasPrefix("Root=1-") == true)
    }

    @Test func errorPostCarriesTheTypeHeader() async throws {
        let server = RuntimeAPIServer()
        try await server.start()
        async let served = serveOne(server) { client, invocation in
            let id = invocation.headers[RuntimeAPI.Header.requestID] ?? ""
            try client.postError(requestID: id, report: ErrorReport(errorType: "Custom.Failure", errorMessage: "nope"))
        }
        let result = try await server.invoke(Array("x".utf8))
        _ = try await served
        await server.stop()
        #expect(result.errorType == "Custom.Failure")
        #expect(result.errorMessage == "nope")
    }

    @Test func unknownRequestIDIsRefused() async throws {
        let server = RuntimeAPIServer()
        try await server.start()
        let address = server.address
        let error = try await onThread { () -> LambdaRuntimeError? in
            do {
                try SocketRuntimeAPIClient(address: address).postResponse(requestID: "no-such-id", body: [])
                return nil
            } catch let error as LambdaRuntimeError {
                return error
            } catch {
                return nil
            }
        }
        await server.stop()
        #expect(error?.code == .rejected)
        #expect(error?.status == 400)
    }

    @Test func anInvocationNoFunctionTakesTimesOut() async throws {
        let server = RuntimeAPIServer(queueTimeout: .milliseconds(200))
        try await server.start()
        await #expect(throws: RuntimeAPIServerError.self) {
            _ = try await server.invoke(Array("nobody polls".utf8), deadline: .milliseconds(100))
        }
        await server.stop()
    }

    @Test func startTwiceIsRefusedAndStopIsIdempotent() async throws {
        let server = RuntimeAPIServer()
        try await server.start()
        await #expect(throws: RuntimeAPIServerError.self) { try await server.start() }
        await server.stop()
        await server.stop()
    }
}

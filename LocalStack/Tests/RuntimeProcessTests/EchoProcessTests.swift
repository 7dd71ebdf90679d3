import Foundation
import RuntimeAPIServer
import Testing
import TestSupport

/// Runs `body` with a started server and an EchoFunction process on it; stops both even on failure.
func withEcho(
    environment: [String: String] = [:],
    _ body: (RuntimeAPIServer, EchoProcess) async throws -> Void
) async throws {
    let server = RuntimeAPIServer()
    try await server.start()
    do {
        let echo = try EchoProcess(server: server, environment: environment)
        do {
            try await body(server, echo)
        } catch {
            echo.stop()
            throw error
        }
        echo.stop()
    } catch {
        await server.stop()
        throw error
    }
    await server.stop()
}

/// The real EchoFunction binary against the real loopback Runtime API.
@Suite(.serialized) struct EchoProcessTests {
    @Test func responsePathAndContext() async throws {
        try await withEcho { server, echo in
            #expect(try await server.invoke(Array("hello".utf8)).text == "hello")
            let context = try #require(try await server.invoke(Array("context".utf8)).text)
            #expect(context.hasSuffix(" \(server.functionARN) true"))
            #expect(context.split(separator: " ").first?.count == 36, "a UUID request id")
        }
    }

    @Test func handlerErrorIsReportedWithTypeHeaderAndLogged() async throws {
        try await withEcho { server, echo in
            let result = try await server.invoke(Array("fail:boom".utf8))
            #expect(result.errorType == "Failure")
            #expect(result.errorMessage == "boom")
            #expect(try await server.invoke(Array("after".utf8)).text == "after")
            let errorLines = echo.logObjects().filter { $0["level"] as? String == "ERROR" }
            #expect(errorLines.count == 1)
            #expect(errorLines.first?["errorType"] as? String == "Failure")
            #expect((errorLines.first?["requestId"] as? String)?.count == 36)
        }
    }

    @Test func undecodableEventForATypedHandler() async throws {
        try await withEcho(environment: ["ECHO_MODE": "typed"]) { server, _ in
            let bad = try await server.invoke(Array(#"{"msg":"x"}"#.utf8))
            #expect(bad.errorType == "Runtime.EventDecodingError")
            let good = try await server.invoke(Array(#"{"message":"x"}"#.utf8))
            #expect(good.text == #"{"echo":"x"}"#)
        }
    }

    @Test func missingDeadlineHeaderIsAnInvocationError() async throws {
        try await withEcho { server, _ in
            let result = try await server.invoke(Array("x".utf8), headers: ["Lambda-Runtime-Deadline-Ms": ""])
            #expect(result.errorType == "Runtime.InvalidInvocation")
            #expect(result.errorMessage?.contains("Lambda-Runtime-Deadline-Ms") == true)
            #expect(try await server.invoke(Array("next".utf8)).text == "next")
        }
    }

    @Test func traceIDIsExportedPerInvocation() async throws {
        try await withEcho { server, _ in
            let trace = "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1"
            let first = try await server.invoke(Array("env:trace".utf8), headers: ["Lambda-Runtime-Trace-Id": trace])
            #expect(first.text == trace)
            let second = try await server.invoke(Array("env:trace".utf8), headers: ["Lambda-Runtime-Trace-Id": ""])
            #expect(second.text == "", "no stale trace id from the previous invocation")
        }
    }

    @Test func aFreshTraceIDPerInvocationDoesNotGrowMemory() async throws {
        // glibc's setenv keeps every value it replaced: with a new trace id per invocation, as on Lambda,
        // that was ~170 bytes an invocation (about 850 KB over the 5,000 below) until OwnedEnvironment.
        try await withEcho { server, echo in
            func invoke(_ index: Int) async throws {
                let trace = "Root=1-6929\(String(index, radix: 16))-\(String(repeating: "a", count: 24));Parent=9a9197af755a6419;Sampled=\(index % 2)"
                let answer = try await server.invoke(Array("env:trace".utf8), headers: ["Lambda-Runtime-Trace-Id": trace])
                #expect(answer.text == trace)
            }
            for index in 0..<500 { try await invoke(index) }
            let before = try echo.residentKilobytes()
            for index in 500..<5_500 { try await invoke(index) }
            let growth = try echo.residentKilobytes() - before
            #expect(growth < 256, "resident memory grew \(growth) kB over 5,000 invocations")
        }
    }

    @Test func oversizedResponseIsReportedAndTheNextInvocationServed() async throws {
        try await withEcho { server, echo in
            let big = try await server.invoke(Array("size:6291557".utf8))
            #expect(big.errorType == "Function.ResponseSizeTooLarge")
            #expect(try await server.invoke(Array("size:6291556".utf8)).text?.count == 6_291_556)
            await server.setResponseLimit(.refuseAll)
            #expect(try await server.invoke(Array("tiny".utf8)).errorType == "Function.ResponseSizeTooLarge")
            await server.setResponseLimit(.unlimited)
            #expect(try await server.invoke(Array("ok".utf8)).text == "ok")
            #expect(echo.isRunning)
        }
    }

    @Test func initErrorIsPostedAndTheProcessExitsNonZero() async throws {
        try await withEcho(environment: ["ECHO_INIT_FAIL": "1"]) { server, echo in
            let status = echo.child.waitForExit(timeout: 20)
            #expect(status == 1)
            let initError = try #require(await server.initError)
            #expect(initError.type == "Failure")
            #expect(initError.message == "ECHO_INIT_FAIL is set")
            #expect(echo.child.stderr.contains("ECHO_INIT_FAIL is set"))
        }
    }

    @Test func invalidLogLevelIsAnInitError() async throws {
        try await withEcho(environment: ["LOG_LEVEL": "loud"]) { server, echo in
            #expect(echo.child.waitForExit(timeout: 20) == 1)
            #expect(await server.initError?.type == "Runtime.InvalidConfiguration")
        }
    }

    @Test func missingRuntimeAPIAddressExitsWithAMessage() throws {
        let child = try ChildProcess(EchoProcess.executable, environment: [:])
        #expect(child.waitForExit(timeout: 20) == 1)
        #expect(child.stderr.contains("AWS_LAMBDA_RUNTIME_API"))
    }

    @Test func sigtermStopsTheFunctionEvenWhenSpawnedWithSignalsBlocked() async throws {
        try await withEcho { server, echo in
            let result = try await server.invoke(Array("up".utf8))
            #expect(result.text == "up")
            kill(echo.pid, SIGTERM)
            #expect(echo.child.waitForExit(timeout: 20) != nil)
            #expect(echo.child.process.terminationReason == .uncaughtSignal)
        }
    }

    @Test func failedPollsAreRetried() async throws {
        try await withEcho { server, _ in
            await server.failNextPolls(3, status: 500)
            let result = try await server.invoke(Array("after 500s".utf8))
            #expect(result.text == "after 500s")
        }
    }

    @Test func runtimeAPIDownForAMomentThenServingAgain() async throws {
        try await withEcho { server, echo in
            #expect(try await server.invoke(Array("before".utf8)).text == "before")
            let port = server.port
            await server.stop()
            try await Task.sleep(for: .milliseconds(1500))
            #expect(echo.isRunning, "the function waits for the Runtime API instead of dying")
            try await server.start()
            #expect(server.port == port)
            #expect(try await server.invoke(Array("after".utf8)).text == "after")
        }
    }

    @Test func thousandInvocationsWithStableMemory() async throws {
        try await withEcho { server, echo in
            let payload = Array(String(repeating: "x", count: 2048).utf8)
            for _ in 0..<100 { #expect(try await server.invoke(payload) == .response(payload)) }
            let after100 = try echo.residentKilobytes()
            var failures = 0
            for _ in 100..<1000 where try await server.invoke(payload) != .response(payload) { failures += 1 }
            let after1000 = try echo.residentKilobytes()
            #expect(failures == 0)
            #expect(after1000 - after100 < 5 * 1024, "VmRSS grew from \(after100) kB to \(after1000) kB")
        }
    }
}

import AWSClient
import Foundation
import LambdaEvents
import RuntimeAPIServer
import Testing
import ProcessTestSupport
import TestSupport

/// DBUpdater against a Runtime API that fails: 500 on `/next`, refused connections while it restarts,
/// 413 on `/response`, an invocation whose deadline has already passed. The process must survive all of
/// them, answer every invocation exactly once, and never count a visit it did not record.
@Suite(.serialized) struct RuntimeAPIFaultTests {
    @Test func theLoopSurvivesEveryRuntimeAPIFault() async throws {
        let aws = try FaultyAWS()
        defer { aws.stop() }
        let updater = try await FunctionInstance(binary: "DBUpdater") { aws.environment(runtimeAPI: $0) }
        defer { Task { await updater.stop() } }
        var answered = 0
        func connect(_ n: Int, visit: String, headers: [String: String] = [:]) async throws -> InvocationResult {
            // The server throws when an invocation gets no answer by its deadline.
            let result = try await updater.invoke(
                WebSocketEvents.event(route: "$connect", connectionId: WebSocketEvents.connectionId(n), visit: visit), headers: headers)
            answered += 1
            return result
        }

        // 500 on /next: the loop backs off and polls again.
        await updater.server.failNextPolls(3)
        #expect(try await connect(1, visit: "visit-0001").statusCode == 200)
        #expect(try await connect(2, visit: "visit-0002").statusCode == 200)

        // Connection refused for three seconds while the Runtime API restarts on the same port.
        await updater.server.stop()
        try await Task.sleep(for: .seconds(3))
        try await updater.server.start()
        #expect(try await connect(3, visit: "visit-0003").statusCode == 200)

        // 413 on /response: reported as the invocation's error instead. The visit was recorded before the
        // response was refused, so it counts (API Gateway refuses the connection; the page's reconnect
        // with the same visit id is then a repeat, not counted again).
        await updater.server.setResponseLimit(.refuseAll)
        let refused = try await connect(4, visit: "visit-0004")
        #expect(refused.errorType == "Function.ResponseSizeTooLarge")
        await updater.server.setResponseLimit(.bytes(6_291_556))
        #expect(try await connect(5, visit: "visit-0004").statusCode == 200)
        #expect(try aws.visits() == 4)

        // A deadline already past: the invocation fails at once, and nothing is written.
        let past = String(Int64(Date().timeIntervalSince1970 * 1000) - 1_000)
        let late = try await connect(6, visit: "visit-0006", headers: ["Lambda-Runtime-Deadline-Ms": past])
        #expect(late.errorType != nil)
        #expect(try aws.visits() == 4)
        #expect(try aws.connections()[WebSocketEvents.connectionId(6)] == nil)

        // And the next ordinary invocation is served as if nothing happened.
        #expect(try await connect(7, visit: "visit-0007").statusCode == 200)
        #expect(try aws.visits() == 5)
        #expect(updater.isRunning)
        #expect(await updater.outputContains("Runtime API unavailable"), "the loop saw the faults: \(updater.output.suffix(1000))")
        Artifacts.save("runtime-api-faults", updater.output + aws.log)
        Artifacts.figures("runtime-api-faults", [
            "invocations": 7, "answered": answered, "expectedCount": 5, "observedCount": try aws.visits(),
            "lateError": late.errorType ?? "none", "refusedError": refused.errorType ?? "none",
        ])
    }
}

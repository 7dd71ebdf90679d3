import Foundation
import Testing

@testable import LocalGateway

/// The function processes of the local stack: started, restarted when they die, and stopped, many times
/// in a row, without the crash Foundation's `Process` had on stop, and never outliving the gateway.
@Suite(.timeLimit(.minutes(1)))
struct SupervisedProcessTests {
    private func isAlive(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
        // A zombie has ended; only its parent's wait is missing.
        return !(stat.split(separator: ")").last?.split(separator: " ").first == "Z")
    }

    private func waitForPid(_ process: SupervisedProcess, otherThan old: pid_t? = nil) async throws -> pid_t {
        for _ in 0..<500 {
            if let pid = process.pid, pid != old { return pid }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw CancellationError()
    }

    @Test func stoppingEndsTheChildEveryTime() async throws {
        for _ in 0..<20 {
            let process = SupervisedProcess(label: "sleep", executable: "/bin/sleep", environment: [:], arguments: ["30"])
            try process.start()
            let pid = try #require(process.pid)
            #expect(isAlive(pid))
            await process.stop()
            #expect(!isAlive(pid))
            #expect(process.pid == nil)
        }
    }

    @Test func aChildThatDiesIsRestartedAndAStopEndsTheRestarts() async throws {
        let process = SupervisedProcess(label: "sleep", executable: "/bin/sleep", environment: [:], arguments: ["30"])
        try process.start()
        let first = try #require(process.pid)
        kill(first, SIGKILL)
        let second = try await waitForPid(process, otherThan: first)
        #expect(isAlive(second))
        await process.stop()
        #expect(!isAlive(second))
        try await Task.sleep(for: .milliseconds(300))
        #expect(process.pid == nil)
    }

    @Test func aChildThatIgnoresSIGTERMIsKilled() async throws {
        let process = SupervisedProcess(
            label: "stubborn", executable: "/bin/sh", environment: [:], arguments: ["-c", "trap '' TERM; sleep 30"])
        try process.start()
        let pid = try #require(process.pid)
        await process.stop()
        #expect(!isAlive(pid))
    }

    @Test func anExecutableThatIsNotThereIsAnErrorAtStart() {
        let process = SupervisedProcess(label: "missing", executable: "/nonexistent/DBUpdater", environment: [:])
        #expect(throws: GatewayError.self) { try process.start() }
    }

    @Test func outputIsForwardedLineByLineBehindThePrefix() {
        #expect(OutputForwarder.prefixed(Array("a\nb\n".utf8)[...], prefix: "[f] ") == "[f] a\n[f] b\n")
        #expect(OutputForwarder.prefixed(Array("last".utf8)[...], prefix: "[f] ") == "[f] last\n")
        #expect(OutputForwarder.prefixed(Array("\n".utf8)[...], prefix: "[f] ") == "[f] \n")
    }
}

/// The restart line keeps the words the load tests search for ("exited with status").
@Suite struct ExitDescriptionTests {
    @Test func exitsAndSignalsReadAsAShellShowsThem() {
        #expect(SupervisedProcess.describe(1 << 8) == "status 1")
        #expect(SupervisedProcess.describe(9) == "status 137 (signal 9)")
    }
}

import Foundation
import LambdaEvents
import ProcessTestSupport
import RuntimeAPIServer
import TestSupport

/// One real function binary on its own loopback Runtime API (Lambda's execution environment), with
/// what the robustness tests watch: whether it is alive, its resident memory, everything it printed.
final class FunctionInstance: @unchecked Sendable {
    let server: RuntimeAPIServer
    let child: ChildProcess

    /// Starts the product `binary` (DBUpdater or DBStreamProcessor) with the environment made for its
    /// Runtime API address.
    init(binary: String, environment: (String) -> [String: String]) async throws {
        server = RuntimeAPIServer()
        try await server.start()
        let path = RepoPaths.functionBinary(binary)
        child = try ChildProcess(path, [], environment: environment(server.address))
    }

    /// Invokes with a JSON event.
    func invoke(_ event: some Encodable, deadline: Duration = .seconds(30), headers: [String: String] = [:]) async throws -> InvocationResult {
        try await server.invoke(Array(try JSONEncoder().encode(event)), deadline: deadline, headers: headers)
    }

    /// Invokes with raw bytes.
    func invoke(bytes: [UInt8], deadline: Duration = .seconds(30)) async throws -> InvocationResult {
        try await server.invoke(bytes, deadline: deadline)
    }

    var isRunning: Bool { child.process.isRunning }

    /// VmRSS from /proc, in kB (nil once the process is gone).
    var residentKilobytes: Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(child.process.processIdentifier)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return nil }
        return Int(line.split(separator: " ").dropFirst().first ?? "")
    }

    /// Everything the function wrote, stdout then stderr.
    var output: String { child.stdout + child.stderr }

    /// Whether the output contains `text` within `timeout` (see `eventually`).
    func outputContains(_ text: String, within timeout: Duration = .seconds(5)) async -> Bool {
        await eventually(within: timeout) { output.contains(text) }
    }

    func stop() async {
        child.terminate()
        await server.stop()
    }
}

extension InvocationResult {
    /// The WebSocket response's status code; nil for an invocation error.
    var statusCode: Int? {
        guard case .response(let body) = self else { return nil }
        return (try? JSONDecoder().decode(APIGatewayWebSocketResponse.self, from: Data(body)))?.statusCode
    }

    /// The error type of an invocation error; nil for a response.
    var errorType: String? {
        guard case .error(let type, _, _) = self else { return nil }
        return type
    }
}

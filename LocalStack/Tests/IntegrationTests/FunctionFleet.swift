import Foundation
import LambdaEvents
import ProcessTestSupport
import RuntimeAPIServer
import TestSupport

/// Real function binaries, each on its own loopback Runtime API as Lambda gives every instance its
/// own; invocations are spread round-robin, and each instance serves its queue in order.
final class FunctionFleet: @unchecked Sendable {
    let servers: [RuntimeAPIServer]
    let processes: [ChildProcess]
    private let next = NSLock()
    private var cursor = 0

    /// Starts `count` instances of the product `binary` (DBUpdater or DBStreamProcessor).
    init(binary: String, count: Int = 1, environment: (String) -> [String: String]) async throws {
        var servers: [RuntimeAPIServer] = []
        var processes: [ChildProcess] = []
        let path = RepoPaths.functionBinary(binary)
        for _ in 0..<count {
            let server = RuntimeAPIServer()
            try await server.start()
            servers.append(server)
            processes.append(try ChildProcess(path, [], environment: environment(server.address)))
        }
        self.servers = servers
        self.processes = processes
    }

    /// Invokes one instance with a JSON event.
    func invoke(_ event: some Encodable, deadline: Duration = .seconds(30)) async throws -> InvocationResult {
        try await invoke(bytes: Array(try JSONEncoder().encode(event)), deadline: deadline)
    }

    /// Invokes one instance with raw bytes.
    func invoke(bytes: [UInt8], deadline: Duration = .seconds(30)) async throws -> InvocationResult {
        let index = next.withLock { () -> Int in
            defer { cursor += 1 }
            return cursor % servers.count
        }
        return try await servers[index].invoke(bytes, deadline: deadline)
    }

    /// Everything the instances wrote to stdout.
    var output: String { processes.map(\.stdout).joined() }

    /// Whether the output contains `text` within `timeout` (see `eventually`).
    func outputContains(_ text: String, within timeout: Duration = .seconds(5)) async -> Bool {
        await eventually(within: timeout) { output.contains(text) }
    }

    func stop() async {
        for process in processes { process.terminate() }
        for server in servers { await server.stop() }
    }
}

extension InvocationResult {
    /// The response decoded as API Gateway's WebSocket response, or nil for an error.
    var webSocketResponse: APIGatewayWebSocketResponse? {
        guard case .response(let body) = self else { return nil }
        return try? JSONDecoder().decode(APIGatewayWebSocketResponse.self, from: Data(body))
    }

    /// The status code of a WebSocket response; nil for an invocation error.
    var statusCode: Int? { webSocketResponse?.statusCode }
}

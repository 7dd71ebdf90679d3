import Foundation
import RuntimeAPIServer
import Synchronization

/// One function of the stack as Lambda would run it: `instances` execution environments, each a
/// Runtime API on loopback with the real binary polling it (as on Lambda, an environment handles one
/// invocation at a time, so concurrency means several environments). `invoke` is what API Gateway
/// or an event source mapping does: pick the least busy environment, queue the event there, wait for
/// the answer, and log one line about it.
final class HostedFunction: Sendable {
    /// What an invocation came to, in API Gateway's terms.
    struct Outcome: Sendable {
        /// The response's `statusCode` (200 when the function answered without one; 500 on failure).
        var statusCode: Int
        /// The response's `body`, if any.
        var body: String?
        /// The raw response (for batch responses, e.g. `batchItemFailures`).
        var raw: [UInt8]
        /// The function failed (error, timeout, unreadable answer).
        var failed: Bool
    }

    /// One execution environment: its Runtime API and the process polling it.
    private struct Environment: Sendable {
        let server: RuntimeAPIServer
        let process: SupervisedProcess

        /// Stops the process, then its Runtime API.
        func stop() async {
            await process.stop()
            await server.stop()
        }
    }

    let name: String
    let timeout: Duration
    private let environments: [Environment]
    /// Invocations in flight per environment.
    private let inFlight: Mutex<[Int]>

    /// Starts `instances` environments running `executable`.
    init(
        name: String, executable: String, instances: Int, environment: [String: String], region: String,
        timeout: Duration
    ) async throws(GatewayError) {
        self.name = name
        self.timeout = timeout
        var environments: [Environment] = []
        for instance in 1...instances {
            let server = RuntimeAPIServer(
                host: "127.0.0.1", port: 0, functionARN: "arn:aws:lambda:\(region):000000000000:function:\(name)")
            do {
                try await server.start()
            } catch {
                for started in environments { await started.stop() }
                throw GatewayError(.function, "cannot start the Runtime API for \(name)", underlying: error)
            }
            var env = environment
            env["AWS_LAMBDA_RUNTIME_API"] = server.address
            env["AWS_LAMBDA_FUNCTION_NAME"] = name
            env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = "128"
            env["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST"
            let label = instances == 1 ? name : "\(name)#\(instance)"
            let process = SupervisedProcess(label: label, executable: executable, environment: env)
            do {
                try process.start()
            } catch {
                await server.stop()
                for started in environments { await started.stop() }
                throw error
            }
            environments.append(Environment(server: server, process: process))
        }
        self.environments = environments
        inFlight = Mutex(Array(repeating: 0, count: environments.count))
    }

    /// Invokes the function with `payload`; `detail` (route or batch size) goes into the log line.
    func invoke(_ payload: [UInt8], detail: String) async -> Outcome {
        let clock = ContinuousClock()
        let start = clock.now
        let index = inFlight.withLock { counts -> Int in
            let index = counts.indices.min { counts[$0] < counts[$1] } ?? 0
            counts[index] += 1
            return index
        }
        defer { inFlight.withLock { $0[index] -= 1 } }
        let outcome: Outcome
        var note = ""
        do {
            switch try await environments[index].server.invoke(payload, deadline: timeout) {
            case .response(let bytes):
                outcome = Self.outcome(of: bytes)
                note = outcome.statusCode == 200 ? "" : "status=\(outcome.statusCode)"
            case .error(let type, let message, _):
                outcome = Outcome(statusCode: 500, body: nil, raw: [], failed: true)
                note = "\(type): \(message)"
            }
        } catch {
            outcome = Outcome(statusCode: 500, body: nil, raw: [], failed: true)
            note = "\(error)"
        }
        GatewayLog.invocation(
            function: name, detail: detail, duration: clock.now - start, failed: outcome.failed, note: note)
        return outcome
    }

    /// Reads a proxy-integration answer: `{"statusCode": N, "body": "..."}`; anything else counts as 200.
    static func outcome(of bytes: [UInt8]) -> Outcome {
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes)) else {
            return Outcome(statusCode: 200, body: String(decoding: bytes, as: UTF8.self), raw: bytes, failed: false)
        }
        var status = 200
        if case .number(let number)? = value["statusCode"] { status = Int(number) }
        return Outcome(statusCode: status, body: value["body"]?.stringValue, raw: bytes, failed: false)
    }

    /// Stops the processes and the Runtime APIs (all environments at once), after the invocations in
    /// flight finished or `drainTimeout` passed. The gateway calls it once every `$disconnect` is done.
    func stop(drainTimeout: Duration = .seconds(3)) async {
        let deadline = ContinuousClock.now + drainTimeout
        while inFlight.withLock({ $0.reduce(0, +) }) > 0 && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        await withTaskGroup(of: Void.self) { group in
            for environment in environments { group.addTask { await environment.stop() } }
        }
    }
}

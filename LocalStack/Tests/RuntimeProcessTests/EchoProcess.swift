import Foundation
import RuntimeAPIServer
import TestSupport

/// The real EchoFunction binary as a child process, pointed at a `RuntimeAPIServer`.
final class EchoProcess {
    let child: ChildProcess

    static var executable: String {
        RepoPaths.functionBinary("EchoFunction")
    }

    init(server: RuntimeAPIServer, environment extra: [String: String] = [:]) throws {
        var environment = ["AWS_LAMBDA_RUNTIME_API": server.address, "LOG_LEVEL": "info"]
        if let path = ProcessInfo.processInfo.environment["PATH"] { environment["PATH"] = path }
        environment.merge(extra) { $1 }
        child = try ChildProcess(Self.executable, environment: environment)
    }

    var pid: Int32 { child.process.processIdentifier }
    var isRunning: Bool { child.process.isRunning }

    /// Resident memory in kB, from /proc/<pid>/status.
    func residentKilobytes() throws -> Int {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "")
        else { throw ChildProcessError("no VmRSS in /proc/\(pid)/status") }
        return kilobytes
    }

    /// /proc/<pid>/maps, read to its end (the file reports size 0, and a read sized by that stops early).
    func memoryMaps() throws -> String {
        guard let handle = FileHandle(forReadingAtPath: "/proc/\(pid)/maps") else { throw ChildProcessError("no /proc/\(pid)/maps") }
        defer { try? handle.close() }
        return String(decoding: try handle.readToEnd() ?? Data(), as: UTF8.self)
    }

    /// The JSON objects the function logged on stdout.
    func logObjects() -> [[String: Any]] {
        child.stdout.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    func stop() { child.terminate() }
}

extension InvocationResult {
    /// The response body as text, nil for an error.
    var text: String? {
        if case .response(let body) = self { return String(decoding: body, as: UTF8.self) }
        return nil
    }

    /// The error type, nil for a response.
    var errorType: String? {
        if case .error(let type, _, _) = self { return type }
        return nil
    }

    /// The error message, nil for a response.
    var errorMessage: String? {
        if case .error(_, let message, _) = self { return message }
        return nil
    }
}

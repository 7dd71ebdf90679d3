import Foundation
import Synchronization

/// A function binary run as a child process, restarted when it dies (as Lambda replaces a crashed
/// execution environment), with its output forwarded line by line behind a `[label]` prefix.
final class SupervisedProcess: Sendable {
    let label: String
    let executable: String
    let environment: [String: String]

    private struct State: @unchecked Sendable {
        // Process is not Sendable; it is only touched under the mutex.
        var process: Process?
        var stopping = false
        var restarts = 0
    }

    private let state = Mutex(State())

    init(label: String, executable: String, environment: [String: String]) {
        self.label = label
        self.executable = executable
        self.environment = environment
    }

    /// Starts the process.
    func start() throws(GatewayError) {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw GatewayError(.configuration, "no executable at \(executable) (run `swift build` first)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = forwardingPipe()
        process.standardError = forwardingPipe()
        process.terminationHandler = { [weak self] ended in self?.ended(ended) }
        do {
            try process.run()
        } catch {
            throw GatewayError(.function, "cannot start \(executable)", underlying: error)
        }
        state.withLock { $0.process = process }
    }

    /// Restarts the process after it died, unless we are stopping (after a short pause, so a binary
    /// that fails at start does not spin).
    private func ended(_ process: Process) {
        let (stopping, restarts) = state.withLock { state in
            state.restarts += 1
            return (state.stopping, state.restarts)
        }
        guard !stopping else { return }
        GatewayLog.line("\(label) exited with status \(process.terminationStatus); restarting (\(restarts))")
        Thread.sleep(forTimeInterval: min(5, 0.2 * Double(restarts)))
        guard !state.withLock({ $0.stopping }) else { return }
        do {
            try start()
        } catch {
            GatewayLog.line("\(label) cannot restart: \(error)")
        }
    }

    /// Stops the process (SIGTERM, then SIGKILL) and waits for it.
    func stop() {
        guard let process = state.withLock({ state -> Process? in
            state.stopping = true
            return state.process
        }) else { return }
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(2)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// A pipe whose complete lines go to our stdout behind the label.
    private func forwardingPipe() -> Pipe {
        let pipe = Pipe()
        let prefix = "[\(label)] "
        let pending = Mutex<[UInt8]>([])
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty {
                handle.readabilityHandler = nil
                let rest = pending.withLock { buffer -> [UInt8] in defer { buffer = [] }; return buffer }
                if !rest.isEmpty { GatewayLog.write(prefix + String(decoding: rest, as: UTF8.self) + "\n") }
                return
            }
            let lines = pending.withLock { buffer -> [UInt8] in
                buffer.append(contentsOf: data)
                guard let last = buffer.lastIndex(of: UInt8(ascii: "\n")) else { return [] }
                defer { buffer.removeSubrange(...last) }
                return Array(buffer[...last])
            }
            guard !lines.isEmpty else { return }
            let text = String(decoding: lines, as: UTF8.self)
                .split(separator: "\n", omittingEmptySubsequences: false).dropLast()
                .map { prefix + $0 + "\n" }.joined()
            GatewayLog.write(text)
        }
        return pipe
    }
}

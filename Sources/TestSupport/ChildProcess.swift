import Foundation

/// A child process for loopback tests: started with pipes, killed when released, so no test leaves
/// one behind. Its stdin stays open until `terminate`, so helpers that watch stdin exit with the test.
public final class ChildProcess: @unchecked Sendable {
    public let process = Process()
    private let stdinPipe = Pipe()
    private let stdoutPipe = Pipe()
    private let stderrPipe = Pipe()
    private let lock = NSLock()
    private var stdoutBuffer = Data()
    private var stderrBuffer = Data()

    /// Starts `executable` with `arguments` and `environment` (nil inherits ours).
    public init(_ executable: String, _ arguments: [String] = [], environment: [String: String]? = nil) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.standardInput = stdinPipe
        process.standardOutput = stdoutPipe
        process.standardError = stderrPipe
        stdoutPipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self else { return }
            self.lock.withLock { self.stdoutBuffer.append(data) }
        }
        stderrPipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self else { return }
            self.lock.withLock { self.stderrBuffer.append(data) }
        }
        try process.run()
    }

    deinit { terminate() }

    /// Everything the child wrote to stdout so far.
    public var stdout: String { lock.withLock { String(decoding: stdoutBuffer, as: UTF8.self) } }
    /// Everything the child wrote to stderr so far.
    public var stderr: String { lock.withLock { String(decoding: stderrBuffer, as: UTF8.self) } }

    /// Waits until stdout holds a complete line and returns the first one.
    public func firstLine(timeout: TimeInterval) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let out = stdout
            if let newline = out.firstIndex(of: "\n") { return String(out[..<newline]) }
            if !process.isRunning {
                throw ChildProcessError("exited with \(process.terminationStatus) before printing a line; stderr:\n\(stderr.suffix(2000))")
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        throw ChildProcessError("printed no line within \(timeout) s; stderr:\n\(stderr.suffix(2000))")
    }

    /// Waits for the child to exit by itself; returns its status, or nil on timeout.
    public func waitForExit(timeout: TimeInterval) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        return process.isRunning ? nil : process.terminationStatus
    }

    /// Stops the child (SIGTERM, then SIGKILL after a moment) and closes its stdin.
    public func terminate() {
        try? stdinPipe.fileHandleForWriting.close()
        if process.isRunning {
            process.terminate()
            if waitForExit(timeout: 2) == nil { kill(process.processIdentifier, SIGKILL) }
        }
        process.waitUntilExit()
        stdoutPipe.fileHandleForReading.readabilityHandler = nil
        stderrPipe.fileHandleForReading.readabilityHandler = nil
    }
}

/// A child process did not behave as the test needed.
public struct ChildProcessError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

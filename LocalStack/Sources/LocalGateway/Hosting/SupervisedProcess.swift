import CChildProcess
import Foundation
import Synchronization

/// A function binary run as a child process, restarted when it dies (as Lambda replaces a crashed
/// execution environment), with its output forwarded line by line behind a `[label]` prefix.
///
/// Each child is started, waited for and restarted by a thread of its own, and its output is read with
/// blocking reads on a second one (`OutputForwarder`). This replaced Foundation's `Process`, with which
/// about one stop of `make dev` in four crashed ("Bad pointer dereference" on a libdispatch thread while
/// `stop()` waited for the child). That is the signature of a known race on Linux: the pipes were read
/// through `readabilityHandler`, a libdispatch read source, and a source torn down while its pipe is
/// closed can leave a dangling epoll entry behind (`_dispatch_event_loop_drain`; swift-corelibs-foundation
/// issue 3276). A blocking read registers nothing with libdispatch, so there is nothing to race.
///
/// The child also gets SIGKILL when its supervising thread ends, which happens only after the child
/// ended or when the gateway itself dies (even by SIGKILL): no function process outlives the gateway.
final class SupervisedProcess: Sendable {
    let label: String
    let executable: String
    let environment: [String: String]
    /// Arguments after the program name (the functions take none).
    let arguments: [String]

    private struct State {
        /// The running child, if any.
        var pid: pid_t?
        /// `stop()` was called: no more restarts.
        var stopping = false
        /// The supervising thread has ended (or never started).
        var finished = true
    }

    private let state = Mutex(State())

    /// The running child's pid (nil between restarts and after `stop()`).
    var pid: pid_t? { state.withLock { $0.pid } }

    init(label: String, executable: String, environment: [String: String], arguments: [String] = []) {
        self.label = label
        self.executable = executable
        self.environment = environment
        self.arguments = arguments
    }

    /// Starts the process; returns once it runs, or throws when it cannot be started.
    func start() throws(GatewayError) {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw GatewayError(.configuration, "no executable at \(executable) (run `swift build` first)")
        }
        state.withLock { $0.finished = false }
        let firstStart = FirstStart()
        let thread = Thread { [self] in supervise(firstStart: firstStart) }
        thread.name = "supervise \(label)"
        thread.start()
        if let errno = firstStart.wait() {
            throw GatewayError(.function, "cannot start \(executable): \(String(cString: strerror(errno)))")
        }
    }

    /// Stops the process and anything it started (SIGTERM to its process group, then SIGKILL after 2 s)
    /// and returns once it has ended and its output has been forwarded.
    func stop() async {
        let pid = state.withLock { state -> pid_t? in
            state.stopping = true
            return state.pid
        }
        if let pid { kill(-pid, SIGTERM) }
        if await waitUntilFinished(for: .seconds(2)) { return }
        if let pid = state.withLock({ $0.pid }) { kill(-pid, SIGKILL) }
        _ = await waitUntilFinished(for: .seconds(5))
    }

    private func waitUntilFinished(for timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !state.withLock({ $0.finished }) {
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return true
    }

    /// The supervising thread: start, wait, restart after a pause growing with each restart (so a
    /// binary that fails at start does not spin), until `stop()`.
    private func supervise(firstStart: FirstStart) {
        var restarts = 0
        defer { state.withLock { $0.finished = true } }
        while true {
            let started = spawn()
            if restarts == 0 { firstStart.report(started.error) }
            guard let (pid, forwarder) = started.child else {
                if restarts > 0, started.error != ECANCELED {
                    GatewayLog.line("\(label) cannot restart: \(String(cString: strerror(started.error ?? 0)))")
                }
                return
            }
            let status = Self.waitForExit(pid)
            forwarder.waitUntilDone(timeout: 1)
            let stopping = state.withLock { state -> Bool in
                state.pid = nil
                return state.stopping
            }
            guard !stopping else { return }
            restarts += 1
            GatewayLog.line("\(label) exited with \(Self.describe(status)); restarting (\(restarts))")
            let pauseEnd = Date().addingTimeInterval(min(5, 0.2 * Double(restarts)))
            while Date() < pauseEnd {
                if state.withLock({ $0.stopping }) { return }
                Thread.sleep(forTimeInterval: 0.02)
            }
            if state.withLock({ $0.stopping }) { return }
        }
    }

    /// Forks the child with its output going to a new pipe; on success the child's pid is recorded.
    private func spawn() -> (child: (pid_t, OutputForwarder)?, error: Int32?) {
        var fds: [Int32] = [-1, -1]
        let piped = vc_pipe_cloexec(&fds)
        guard piped == 0 else { return (nil, -piped) }
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        // Under the lock, so `stop()` either sees no child and stops the loop, or sees this one.
        let pid = state.withLock { state -> pid_t in
            guard !state.stopping else { return -ECANCELED }
            let pid = vc_spawn_supervised(executable, argv, envp, fds[1], SIGKILL)
            if pid > 0 { state.pid = pid }
            return pid
        }
        close(fds[1])
        guard pid > 0 else {
            close(fds[0])
            return (nil, -pid)
        }
        return ((pid, OutputForwarder(fd: fds[0], prefix: "[\(label)] ")), nil)
    }

    private static func waitForExit(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return status
    }

    /// "status 1", or "status 137 (signal 9)" as a shell shows a death by signal, from a `waitpid` status.
    static func describe(_ status: Int32) -> String {
        let signal = status & 0x7f
        return signal == 0 ? "status \((status >> 8) & 0xff)" : "status \(128 + signal) (signal \(signal))"
    }

    /// Hands the outcome of the first start from the supervising thread to `start()`.
    private final class FirstStart: Sendable {
        private let error = Mutex<Int32?>(nil)
        private let semaphore = DispatchSemaphore(value: 0)

        /// Records the outcome: nil when the child started, else the errno.
        func report(_ error: Int32?) {
            self.error.withLock { $0 = error }
            semaphore.signal()
        }

        /// Waits for the outcome.
        func wait() -> Int32? {
            semaphore.wait()
            return error.withLock { $0 }
        }
    }
}

import Foundation
import ServiceLifecycle

/// The mutable part of `RuntimeAPIServer` (its port and its running task) behind a lock, so the server
/// itself stays a `Sendable` final class with a synchronous `port`.
final class Lifecycle: @unchecked Sendable {
    private let lock = NSLock()
    private var _port: Int
    private var running: (task: Task<Void, Never>, group: ServiceGroup)?

    init(port: Int) {
        _port = port
    }

    var port: Int {
        get { lock.withLock { _port } }
        set { lock.withLock { _port = newValue } }
    }

    /// Records the running task and its service group; false when one is already running.
    func setTask(_ newTask: Task<Void, Never>, group: ServiceGroup) -> Bool {
        lock.withLock {
            guard running == nil else { return false }
            running = (newTask, group)
            return true
        }
    }

    /// Takes the running task and group out (nil when stopped).
    func takeTask() -> (Task<Void, Never>, ServiceGroup)? {
        lock.withLock {
            defer { running = nil }
            return running
        }
    }

    /// A one-shot signal from the server task to `start()`: the bound port, or why it failed.
    final class ReadySignal: @unchecked Sendable {
        private let lock = NSLock()
        private var result: Result<Int, RuntimeAPIServerError>?
        private var continuation: CheckedContinuation<Int, any Error>?

        /// Delivers the first result; later ones are ignored.
        func signal(_ value: Result<Int, RuntimeAPIServerError>) {
            let waiter: CheckedContinuation<Int, any Error>? = lock.withLock {
                guard result == nil else { return nil }
                result = value
                defer { continuation = nil }
                return continuation
            }
            waiter?.resume(with: value.mapError { $0 as any Error })
        }

        /// Waits for the result.
        func wait() async throws -> Int {
            try await withCheckedThrowingContinuation { continuation in
                let ready: Result<Int, RuntimeAPIServerError>? = lock.withLock {
                    if result == nil { self.continuation = continuation }
                    return result
                }
                if let ready { continuation.resume(with: ready.mapError { $0 as any Error }) }
            }
        }
    }
}

import Foundation
import Synchronization

/// Reads a child's output pipe with blocking reads on a thread of its own and writes each complete
/// line to the gateway's output behind a prefix (a last line without a newline is written at the end).
/// Blocking reads rather than a libdispatch read source: see `SupervisedProcess` for the crash that
/// tearing such a source down caused.
final class OutputForwarder: Sendable {
    private let done = DispatchSemaphore(value: 0)

    /// Starts reading `fd` (which this forwarder owns and closes at the end of the stream).
    init(fd: Int32, prefix: String) {
        let thread = Thread { [done] in
            Self.forward(fd: fd, prefix: prefix)
            close(fd)
            done.signal()
        }
        thread.name = "output \(prefix)"
        thread.start()
    }

    /// Waits until the stream has ended (the child and anything it started closed the pipe) or
    /// `timeout` seconds passed.
    func waitUntilDone(timeout: Double) {
        _ = done.wait(timeout: .now() + timeout)
    }

    private static func forward(fd: Int32, prefix: String) {
        var pending: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            pending.append(contentsOf: buffer[..<count])
            guard let last = pending.lastIndex(of: UInt8(ascii: "\n")) else { continue }
            GatewayLog.write(prefixed(pending[...last], prefix: prefix))
            pending.removeSubrange(...last)
        }
        if !pending.isEmpty { GatewayLog.write(prefixed(pending[...], prefix: prefix)) }
    }

    /// Each line of `bytes` (which ends with a newline, or is a last line without one) behind `prefix`.
    static func prefixed(_ bytes: ArraySlice<UInt8>, prefix: String) -> String {
        var lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        return lines.map { prefix + $0 + "\n" }.joined()
    }
}

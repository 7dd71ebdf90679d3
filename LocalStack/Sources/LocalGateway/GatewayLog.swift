import Foundation

/// The gateway's own output: one line per event, on stdout, flushed at once so `make dev` and the
/// tests see it as it happens (stdout is a pipe there, which C buffers by the block).
enum GatewayLog {
    private static let lock = NSLock()

    /// Prints `message` prefixed with `[gateway]`.
    static func line(_ message: String) {
        write("[gateway] \(message)\n")
    }

    /// The one line per invocation: function, route or batch size, duration, outcome, and why when it
    /// is not plain success, e.g. `invoke DBUpdater $connect 12ms ok status=403`.
    static func invocation(function: String, detail: String, duration: Duration, failed: Bool, note: String) {
        line(invocationLine(function: function, detail: detail, duration: duration, failed: failed, note: note))
    }

    /// The text of `invocation`'s line (separate so it can be checked without capturing stdout).
    static func invocationLine(
        function: String, detail: String, duration: Duration, failed: Bool, note: String
    ) -> String {
        let parts = duration.components
        let milliseconds = parts.seconds * 1000 + parts.attoseconds / 1_000_000_000_000_000
        let outcome = failed ? "error" : "ok"
        return "invoke \(function) \(detail) \(milliseconds)ms \(outcome)" + (note.isEmpty ? "" : " \(note)")
    }

    /// Writes already formatted text (used to forward the functions' output too).
    static func write(_ text: String) {
        lock.withLock {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }
}

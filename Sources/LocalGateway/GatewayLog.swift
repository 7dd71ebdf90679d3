import Foundation

/// The gateway's own output: one line per event, on stdout, flushed at once so `make dev` and the
/// tests see it as it happens (stdout is a pipe there, which C buffers by the block).
enum GatewayLog {
    private static let lock = NSLock()

    /// Prints `message` prefixed with `[gateway]`.
    static func line(_ message: String) {
        write("[gateway] \(message)\n")
    }

    /// Writes already formatted text (used to forward the functions' output too).
    static func write(_ text: String) {
        lock.withLock {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }
}

import CurlHTTP

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The few process-level calls the runtime makes, in one place (libc, no Foundation); the per-invocation
/// environment writes are `OwnedEnvironment`'s, reads and sleeps SystemSupport's (shared with the AWS client).
package enum ProcessGlue {
    /// Writes all bytes to a file descriptor with `write(2)`, unbuffered: Lambda captures stdout through a
    /// pipe, where stdio would hold lines back until its buffer fills.
    static func write(_ bytes: [UInt8], to descriptor: Int32) {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                #if canImport(Darwin)
                let written = Darwin.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                #elseif canImport(Musl)
                let written = Musl.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                #else
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                #endif
                if written > 0 {
                    offset += written
                } else if written < 0 && errno == EINTR {
                    continue
                } else {
                    return  // stdout closed: nothing sensible left to do with a log line
                }
            }
        }
    }

    /// Writes `line` and a newline to stdout in one `write(2)` where it fits, so a metric line is never held
    /// back in the pipe nor interleaved with the logger's lines (the functions' summary and metric lines).
    @Sendable package static func writeLine(_ line: String) {
        var bytes = Array(line.utf8)
        bytes.append(UInt8(ascii: "\n"))
        write(bytes, to: 1)
    }

    /// Writes a line to stderr (messages for whoever started the process).
    static func printError(_ message: String) {
        write(Array((message + "\n").utf8), to: 2)
    }

    /// Unblocks every signal. A process inherits its parent's signal mask across `exec`; a parent that
    /// spawns from a thread with signals blocked (NIO and Dispatch threads do) would leave the function
    /// deaf to SIGTERM. On Lambda the mask is already empty; locally this makes it so.
    static func unblockSignals() {
        var empty = sigset_t()
        sigemptyset(&empty)
        sigprocmask(SIG_SETMASK, &empty, nil)
    }

    /// One malloc arena for the whole process. glibc gives each new thread that allocates an arena of its
    /// own (up to 8 per core), and keeps its pages: libcurl's background load (OpenSSL's tables) and curl's
    /// resolver threads would each leave one resident beside the main heap, in a process whose loop is
    /// single-threaded and never contends for the heap lock.
    static func limitMallocArenas() {
        MallocArenas.limit(to: 1)
    }

    /// Ends the process with `status`.
    static func exit(_ status: Int32) -> Never {
        #if canImport(Darwin)
        Darwin.exit(status)
        #elseif canImport(Musl)
        Musl.exit(status)
        #else
        Glibc.exit(status)
        #endif
    }
}

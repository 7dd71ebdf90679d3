#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One TCP connection to the Runtime API, with plain blocking socket calls.
///
/// The address comes from `AWS_LAMBDA_RUNTIME_API` and is connected to directly: nothing here reads
/// `http_proxy` or any other variable (a proxy meant for a function's outbound calls must never see the
/// Runtime API's traffic). Timeouts are the socket's own (`SO_RCVTIMEO`, `SO_SNDTIMEO`, which also bounds
/// `connect`); a nil receive timeout blocks for as long as the peer takes, which is what `/next` needs.
final class RuntimeAPISocket {
    private let descriptor: Int32

    /// Connects to `host:port`, trying each address the host resolves to (a numeric host needs no lookup).
    /// - Throws: `.runtimeAPIUnavailable` with the last `connect` error.
    init(host: String, port: Int, connectTimeout: Duration) throws(LambdaRuntimeError) {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let resolved = getaddrinfo(host, String(port), &hints, &list)
        guard resolved == 0, let list else {
            throw LambdaRuntimeError(code: .runtimeAPIUnavailable, message: "cannot resolve \(host): \(String(cString: gai_strerror(resolved)))")
        }
        defer { freeaddrinfo(list) }
        var lastError: Int32 = 0
        var candidate: UnsafeMutablePointer<addrinfo>? = list
        while let info = candidate {
            candidate = info.pointee.ai_next
            let fd = socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else {
                lastError = errno
                continue
            }
            Self.setTimeout(fd, SO_SNDTIMEO, connectTimeout)
            if connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 {
                var on: Int32 = 1
                // Requests go out in one write, but a delayed ACK must never hold back the next one.
                setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
                descriptor = fd
                return
            }
            lastError = errno
            close(fd)
        }
        throw LambdaRuntimeError(code: .runtimeAPIUnavailable, message: "cannot connect to \(host):\(port): \(Self.describe(lastError))")
    }

    deinit {
        close(descriptor)
    }

    /// Sets the limits of the calls that follow; nil waits without limit.
    func setTimeouts(send: Duration, receive: Duration?) {
        Self.setTimeout(descriptor, SO_SNDTIMEO, send)
        Self.setTimeout(descriptor, SO_RCVTIMEO, receive ?? .zero)
    }

    /// Writes every byte, or throws.
    func send(_ bytes: [UInt8]) throws(LambdaRuntimeError) {
        var offset = 0
        while offset < bytes.count {
            // MSG_NOSIGNAL: a peer that closed must give EPIPE here, not a SIGPIPE that ends the process.
            let sent = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if sent > 0 {
                offset += sent
            } else if sent < 0 && errno == EINTR {
                continue
            } else {
                throw Self.failure("send", errno)
            }
        }
    }

    /// Reads what is available (at least one byte) into `buffer`, appending; returns 0 at end of stream.
    func receive(into buffer: inout [UInt8], atMost count: Int) throws(LambdaRuntimeError) -> Int {
        let start = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: count))
        while true {
            let received = buffer.withUnsafeMutableBytes { Glibc.recv(descriptor, $0.baseAddress! + start, count, 0) }
            if received >= 0 {
                buffer.removeLast(count - received)
                return received
            }
            if errno == EINTR { continue }
            let error = errno
            buffer.removeLast(count)
            throw Self.failure("receive", error)
        }
    }

    private static func setTimeout(_ fd: Int32, _ option: Int32, _ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        var value = timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
        setsockopt(fd, SOL_SOCKET, option, &value, socklen_t(MemoryLayout<timeval>.size))
    }

    private static func failure(_ operation: String, _ error: Int32) -> LambdaRuntimeError {
        let what = error == EAGAIN || error == EWOULDBLOCK ? "timed out" : describe(error)
        return LambdaRuntimeError(code: .runtimeAPIUnavailable, message: "\(operation) failed: \(what)")
    }

    private static func describe(_ error: Int32) -> String {
        strerror(error).map { String(cString: $0) } ?? "errno \(error)"
    }
}

import CurlHTTP

/// HTTP/1.1 over one kept-alive `RuntimeAPISocket`: writes a request, reads its response with strict
/// limits (head ≤ 64 KiB, body ≤ `bodyLimit`), and reconnects when the connection was closed.
///
/// Our own small reader instead of libcurl: the Runtime API is a loopback peer and four calls, and
/// loading libcurl (about 30 shared libraries and OpenSSL's initialisation) before the first `/next`
/// was most of the cold start. Calls are made from one thread.
final class RuntimeAPIConnection {
    /// The largest response head accepted; Lambda's are a few hundred bytes (a client context adds ~3.5 KB).
    static let maxHeadBytes = 64 * 1024

    let host: String
    let port: Int
    let bodyLimit: Int
    private let connectTimeout: Duration
    private var socket: RuntimeAPISocket?
    /// Bytes received and not yet consumed.
    private var buffer: [UInt8] = []

    init(host: String, port: Int, bodyLimit: Int, connectTimeout: Duration = .seconds(2)) {
        self.host = host
        self.port = port
        self.bodyLimit = bodyLimit
        self.connectTimeout = connectTimeout
    }

    /// Sends `request` (complete bytes) and returns the response; a nil `timeout` waits for ever.
    /// A kept-alive connection found closed before any byte of the response arrived is replaced once:
    /// the server closed it while it was idle, so the request never reached it.
    /// `sent` runs once the request is on the wire, before the wait for the response.
    func exchange(_ request: [UInt8], timeout: Duration?, sent: () -> Void = {}) throws(LambdaRuntimeError) -> HTTPResponse {
        let reused = socket != nil
        do {
            return try attempt(request, timeout: timeout, sent: sent)
        } catch where reused && closedBeforeResponse {
            return try attempt(request, timeout: timeout, sent: sent)
        }
    }

    /// Closes the connection; the next exchange opens a new one.
    func disconnect() {
        socket = nil
        buffer.removeAll()
    }

    /// Set by a failed attempt when the connection was gone before the response began.
    private var closedBeforeResponse = false

    private func attempt(_ request: [UInt8], timeout: Duration?, sent: () -> Void) throws(LambdaRuntimeError) -> HTTPResponse {
        closedBeforeResponse = false
        do throws(LambdaRuntimeError) {
            let socket: RuntimeAPISocket
            if let open = self.socket {
                socket = open
            } else {
                socket = try RuntimeAPISocket(host: host, port: port, connectTimeout: connectTimeout)
                self.socket = socket
            }
            buffer.removeAll(keepingCapacity: true)
            socket.setTimeouts(send: timeout ?? .seconds(30), receive: timeout)
            do throws(LambdaRuntimeError) {
                try socket.send(request)
            } catch {
                closedBeforeResponse = true
                throw error
            }
            sent()
            while true {
                let head = try readHead(socket)
                if head.framing == .none && (100..<200).contains(head.status) { continue }  // an interim response
                let body = try readBody(head.framing, socket)
                if !head.keepAlive { disconnect() }
                return HTTPResponse(status: head.status, headers: head.headers, body: body)
            }
        } catch {
            disconnect()
            throw error
        }
    }

    private func readHead(_ socket: RuntimeAPISocket) throws(LambdaRuntimeError) -> HTTPResponseHead {
        var searched = 0
        let startedEmpty = buffer.isEmpty
        while true {
            if let end = Self.headEnd(buffer, from: max(0, searched - 3)) {
                let head = try HTTPResponseHead.parse(buffer[0..<end], bodyLimit: bodyLimit)
                buffer.removeFirst(end + 4)
                return head
            }
            searched = buffer.count
            guard buffer.count <= Self.maxHeadBytes else { throw HTTPResponseHead.malformed("head longer than \(Self.maxHeadBytes) bytes") }
            let received: Int
            do {
                received = try socket.receive(into: &buffer, atMost: 16 * 1024)
            } catch {
                closedBeforeResponse = startedEmpty && buffer.isEmpty  // reset by the peer
                throw error
            }
            if received == 0 {
                closedBeforeResponse = startedEmpty && buffer.isEmpty
                throw LambdaRuntimeError(code: .runtimeAPIUnavailable, message: "the Runtime API closed the connection")
            }
        }
    }

    private func readBody(_ framing: HTTPResponseHead.Framing, _ socket: RuntimeAPISocket) throws(LambdaRuntimeError) -> [UInt8] {
        switch framing {
        case .none:
            return []
        case .length(let length):
            try fill(upTo: length, socket)
            return take(length)
        case .untilClose:
            repeat {
                // Checked before each read too: the head's read may already hold the whole body.
                guard buffer.count <= bodyLimit else { throw HTTPResponseHead.malformed("body longer than \(bodyLimit) bytes") }
            } while try socket.receive(into: &buffer, atMost: 64 * 1024) > 0
            guard buffer.count <= bodyLimit else { throw HTTPResponseHead.malformed("body longer than \(bodyLimit) bytes") }
            return take(buffer.count)
        case .chunked:
            return try readChunks(socket)
        }
    }

    /// `size[;ext] CRLF data CRLF` … `0 CRLF [trailers] CRLF` (RFC 9112 §7.1); trailers are read and dropped.
    private func readChunks(_ socket: RuntimeAPISocket) throws(LambdaRuntimeError) -> [UInt8] {
        var body: [UInt8] = []
        while true {
            let line = try readLine(socket)
            let digits = line.prefix { $0 != UInt8(ascii: ";") }
            guard !digits.isEmpty, digits.count <= 8, let size = Int(String(decoding: digits, as: UTF8.self), radix: 16) else {
                throw HTTPResponseHead.malformed("chunk size line")
            }
            if size == 0 {
                while try !readLine(socket).isEmpty {}
                return body
            }
            guard body.count + size <= bodyLimit else { throw HTTPResponseHead.malformed("body longer than \(bodyLimit) bytes") }
            try fill(upTo: size + 2, socket)
            guard buffer[size] == 0x0D, buffer[size + 1] == 0x0A else { throw HTTPResponseHead.malformed("chunk without CRLF") }
            body.append(contentsOf: buffer[0..<size])
            buffer.removeFirst(size + 2)
        }
    }

    private func readLine(_ socket: RuntimeAPISocket) throws(LambdaRuntimeError) -> [UInt8] {
        while true {
            if let end = buffer.firstIndex(of: 0x0A) {
                guard end > 0, buffer[end - 1] == 0x0D else { throw HTTPResponseHead.malformed("line without CRLF") }
                let line = Array(buffer[0..<(end - 1)])
                buffer.removeFirst(end + 1)
                return line
            }
            guard buffer.count <= 4096 else { throw HTTPResponseHead.malformed("chunk line longer than 4096 bytes") }
            if try socket.receive(into: &buffer, atMost: 4096) == 0 { throw Self.truncated() }
        }
    }

    private func fill(upTo count: Int, _ socket: RuntimeAPISocket) throws(LambdaRuntimeError) {
        if buffer.count < count { buffer.reserveCapacity(count) }
        while buffer.count < count {
            if try socket.receive(into: &buffer, atMost: min(count - buffer.count, 1 << 20)) == 0 { throw Self.truncated() }
        }
    }

    private func take(_ count: Int) -> [UInt8] {
        if count == buffer.count {
            defer { buffer = [] }
            return buffer
        }
        let bytes = Array(buffer[0..<count])
        buffer.removeFirst(count)
        return bytes
    }

    private static func truncated() -> LambdaRuntimeError {
        LambdaRuntimeError(code: .runtimeAPIUnavailable, message: "the Runtime API closed the connection mid-response")
    }

    /// The offset of the `\r\n\r\n` that ends the head, searching from `start`.
    static func headEnd(_ bytes: [UInt8], from start: Int) -> Int? {
        guard bytes.count >= 4 else { return nil }
        var index = start
        while index + 3 < bytes.count {
            if bytes[index] == 0x0D, bytes[index + 1] == 0x0A, bytes[index + 2] == 0x0D, bytes[index + 3] == 0x0A { return index }
            index += 1
        }
        return nil
    }
}

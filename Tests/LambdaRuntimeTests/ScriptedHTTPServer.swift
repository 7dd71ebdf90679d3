import Foundation

/// A loopback TCP server that answers each request with the next canned response, for the socket
/// client's framing and reconnect paths that the real Runtime API server never takes. Each accepted
/// connection serves `perConnection` responses and is then closed by the server.
final class ScriptedHTTPServer: @unchecked Sendable {
    let port: Int
    private let listener: Int32
    private let responses: [[UInt8]]
    private let perConnection: Int
    private let lock = NSLock()
    private var served = 0
    private var accepted = 0

    init(responses: [String], perConnection: Int = .max) throws {
        self.responses = responses.map { Array($0.utf8) }
        self.perConnection = perConnection
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && listen(fd, 8) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        listener = fd
        guard bound else {
            Glibc.close(fd)
            throw CocoaError(.fileWriteUnknown)
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread { [self] in acceptLoop() }.start()
    }

    /// Connections accepted so far.
    var connections: Int { lock.withLock { accepted } }

    func close() { shutdown(listener, Int32(SHUT_RDWR)); Glibc.close(listener) }

    private func acceptLoop() {
        while true {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }
            lock.withLock { accepted += 1 }
            serve(connection)
        }
    }

    private func serve(_ connection: Int32) {
        defer { Glibc.close(connection) }
        var pending: [UInt8] = []
        for _ in 0..<perConnection {
            // Requests here carry no body: read up to the end of the head.
            while !String(decoding: pending, as: UTF8.self).contains("\r\n\r\n") {
                var chunk = [UInt8](repeating: 0, count: 4096)
                let count = recv(connection, &chunk, chunk.count, 0)
                guard count > 0 else { return }
                pending += chunk[0..<count]
            }
            pending = []
            let next: [UInt8]? = lock.withLock {
                defer { served += 1 }
                return served < responses.count ? responses[served] : nil
            }
            guard let next else { return }
            _ = next.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        }
    }
}

import Foundation

/// Checks up front that a TCP port is free, so "port in use" is one clear line instead of a
/// server that half-starts (functions up, HTTP down).
enum PortCheck {
    /// Throws `.portInUse` when nothing can listen on `host:port` (port 0 always passes).
    static func ensureFree(host: String, port: Int) throws(GatewayError) {
        guard port != 0 else { return }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return }
        defer { close(fd) }
        var reuse: Int32 = 1
        // As the server will: TIME_WAIT leftovers of a previous run must not count as "in use".
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else { return }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if result != 0 {
            let reason = String(cString: strerror(errno))
            throw GatewayError(.portInUse, "cannot listen on \(host):\(port): \(reason) (is another gateway running? choose another port with --port / PORT=)")
        }
    }
}

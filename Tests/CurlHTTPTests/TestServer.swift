import CurlHTTP
import Foundation
import Glibc
import TestSupport

/// vctools/fixtures/http_server.py on a loopback port, for one test; stopped when released.
final class TestServer {
    /// The server's counters (see the script): connections that carried a test request, requests,
    /// requests in progress now and the most in progress at once.
    struct Stats: Decodable {
        let connections: Int
        let requests: Int
        let inFlight: Int
        let maxInFlight: Int
    }

    let port: Int
    private let child: ChildProcess

    /// Starts the server; `arguments` go to the script (e.g. --tls-cert/--tls-key).
    init(_ arguments: [String] = []) throws {
        child = try ChildProcess(RepoPaths.python, [RepoPaths.path("vctools/fixtures/http_server.py")] + arguments)
        let line = try child.firstLine(timeout: 30)
        guard let port = Int(line) else { throw ChildProcessError("test server printed \(line) instead of a port") }
        self.port = port
    }

    deinit { child.terminate() }

    /// `http://127.0.0.1:<port>` followed by `path`.
    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// Reads the counters over a connection of its own (control requests are not counted).
    func stats() throws -> Stats {
        let response = try HTTPClient().execute(HTTPRequest(method: .get, url: url("/_stats")))
        return try JSONDecoder().decode(Stats.self, from: Data(response.body))
    }
}

/// What /echo saw: method, header fields in order and the body.
struct Echo: Decodable {
    let method: String
    let headers: [[String]]
    let body: String

    init(_ response: HTTPResponse) throws {
        self = try JSONDecoder().decode(Echo.self, from: Data(response.body))
    }

    var bodyBytes: [UInt8] { Data(base64Encoded: body).map { [UInt8]($0) } ?? [] }

    /// Every value the server received for `name` (case-insensitive).
    func values(_ name: String) -> [String] {
        headers.filter { $0.first?.lowercased() == name.lowercased() }.compactMap { $0.last }
    }
}

/// A loopback port bound but not listening, so a connect to it is refused for as long as it is held
/// (and no other process can take the port meanwhile).
final class RefusingPort {
    let port: Int
    private let socketDescriptor: Int32

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(descriptor, generic, length) == 0 && getsockname(descriptor, generic, &length) == 0
            }
        }
        guard descriptor >= 0, bound else {
            close(descriptor)
            throw ChildProcessError("cannot bind a loopback socket")
        }
        socketDescriptor = descriptor
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(socketDescriptor) }
}

/// `count` bytes of a fixed pattern that uses every byte value (binary, not text).
func pattern(_ count: Int, seed: Int = 0) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: ($0 &* 31 &+ seed &* 7) ^ ($0 >> 8)) }
}

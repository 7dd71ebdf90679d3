import CurlHTTP
import Testing

@testable import LambdaRuntime

/// The socket client's framing, limits and reconnects against a scripted server.
@Suite(.serialized) struct RuntimeAPIConnectionTests {
    func exchange(_ server: ScriptedHTTPServer, bodyLimit: Int = 1000, times: Int = 1) throws(LambdaRuntimeError) -> [String] {
        let connection = RuntimeAPIConnection(host: "127.0.0.1", port: server.port, bodyLimit: bodyLimit)
        var bodies: [String] = []
        for _ in 0..<times {
            let response = try connection.exchange(Array("GET /x HTTP/1.1\r\nHost: t\r\n\r\n".utf8), timeout: .seconds(5))
            bodies.append("\(response.status) " + String(decoding: response.body, as: UTF8.self))
        }
        return bodies
    }

    @Test func keepAliveServesSeveralRequestsOnOneConnection() throws {
        let server = try ScriptedHTTPServer(responses: Array(repeating: "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", count: 3))
        defer { server.close() }
        #expect(try exchange(server, times: 3) == ["200 ok", "200 ok", "200 ok"])
        #expect(server.connections == 1)
    }

    @Test func aConnectionTheServerClosedWhileIdleIsReplaced() throws {
        let server = try ScriptedHTTPServer(
            responses: ["HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nb"],
            perConnection: 1)
        defer { server.close() }
        #expect(try exchange(server, times: 2) == ["200 a", "200 b"])
        #expect(server.connections == 2)
    }

    @Test func chunkedBodiesAreJoinedAndTrailersDropped() throws {
        let server = try ScriptedHTTPServer(responses: [
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nTrailer: x\r\n\r\n",
            "HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n",
        ])
        defer { server.close() }
        #expect(try exchange(server, times: 2) == ["200 abcde", "202 "])
    }

    /// Responses the client must refuse (the long ones are made in the test, to keep the test names short).
    static let refused: [String: String] = [
        "closed mid-body": "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab",
        "a chunk over the limit": "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n800\r\n",
        "chunk data without CRLF": "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcXY",
        "over the limit by its header": "HTTP/1.1 200 OK\r\nContent-Length: 1001\r\n\r\n",
        "over the limit, framed by close": "HTTP/1.1 200 OK\r\n\r\n" + String(repeating: "x", count: 1001),
        "a head past 64 KiB": "HTTP/1.1 200 OK\r\nX: " + String(repeating: "h", count: 70_000),
    ]

    @Test(arguments: refused.keys.sorted())
    func malformedOrOversizedResponsesFail(_ name: String) throws {
        let server = try ScriptedHTTPServer(responses: [try #require(Self.refused[name])], perConnection: 1)
        defer { server.close() }
        #expect(throws: LambdaRuntimeError.self) { try exchange(server) }
    }
}

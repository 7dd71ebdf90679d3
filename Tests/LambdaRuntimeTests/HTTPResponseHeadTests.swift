import CurlHTTP
import Testing

@testable import LambdaRuntime

/// The socket client's response parser: what it accepts and, above all, what it refuses.
struct HTTPResponseHeadTests {
    func parse(_ text: String, limit: Int = 1000) throws(LambdaRuntimeError) -> HTTPResponseHead {
        try HTTPResponseHead.parse(ArraySlice(text.utf8), bodyLimit: limit)
    }

    @Test func aRuntimeAPIAnswerIsParsed() throws {
        let head = try parse("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nLambda-Runtime-Aws-Request-Id: abc\r\nContent-Length: 12")
        #expect(head.status == 200)
        #expect(head.headers["lambda-runtime-aws-request-id"] == "abc")
        #expect(head.framing == .length(12))
        #expect(head.keepAlive)
    }

    @Test func framingFollowsRFC9112() throws {
        #expect(try parse("HTTP/1.1 202 Accepted\r\nTransfer-Encoding: chunked").framing == .chunked)
        #expect(try parse("HTTP/1.1 204 No Content").framing == .none)
        #expect(try parse("HTTP/1.1 100 Continue").framing == .none)
        let unframed = try parse("HTTP/1.1 200 OK")
        #expect(unframed.framing == .untilClose)
        #expect(!unframed.keepAlive)
        #expect(try !parse("HTTP/1.1 200 OK\r\nConnection: keep-alive, close\r\nContent-Length: 0").keepAlive)
        #expect(try !parse("HTTP/1.0 200 OK\r\nContent-Length: 0").keepAlive)
        #expect(try parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\ncontent-length: 5").framing == .length(5))
        #expect(try parse("HTTP/1.1 200\r\nX:  padded\t ").headers["x"] == "padded")
    }

    @Test(arguments: [
        "",
        "HTTP/2 200 OK",
        "HTTP/1.1 20 OK",
        "HTTP/1.1 2000 OK",
        "HTTP/1.1 099 Low",
        "http/1.1 200 OK",
        "HTTP/1.1 200 OK\r\n folded: line",
        "HTTP/1.1 200 OK\r\nNo colon here",
        "HTTP/1.1 200 OK\r\n: no name",
        "HTTP/1.1 200 OK\r\nBad Name: x",
        "HTTP/1.1 200 OK\r\nX: bare\nLF",
        "HTTP/1.1 200 OK\r\nX: bare\rCR",
        "HTTP/1.1 200 OK\r\nX: nul\u{0}",
        "HTTP/1.1 200 OK\r\nContent-Length: -1",
        "HTTP/1.1 200 OK\r\nContent-Length: 1 2",
        "HTTP/1.1 200 OK\r\nContent-Length: +5",
        "HTTP/1.1 200 OK\r\nContent-Length: 1001",
        "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999",
        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5",
    ])
    func malformedHeadsAreRefused(_ text: String) {
        #expect(throws: LambdaRuntimeError.self) { try parse(text) }
    }

    @Test func hostPortAddresses() {
        #expect(SocketRuntimeAPIClient.hostPort("127.0.0.1:9001")! == ("127.0.0.1", 9001))
        #expect(SocketRuntimeAPIClient.hostPort("localhost:1")! == ("localhost", 1))
        #expect(SocketRuntimeAPIClient.hostPort("[::1]:9001")! == ("::1", 9001))
        for bad in ["127.0.0.1", ":9001", "host:0", "host:65536", "host:+80", "::1:9001", "[::1:9001", "a b:1", "h/x:1"] {
            #expect(SocketRuntimeAPIClient.hostPort(bad) == nil, "\(bad)")
        }
    }
}

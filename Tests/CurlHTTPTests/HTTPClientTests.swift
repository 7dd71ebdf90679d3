import CurlHTTP
import Testing

/// The blocking client against the loopback test server.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct HTTPClientTests {
    let server: TestServer
    let client: HTTPClient

    init() throws {
        server = try TestServer()
        client = try HTTPClient()
    }

    @Test(arguments: [
        (HTTPRequest.Method.get, 0), (.post, 0), (.post, 256), (.post, 1 << 20), (.put, 0), (.put, 4099),
        (.delete, 0), (.delete, 17),
    ])
    func roundTripCarriesMethodHeadersAndBody(method: HTTPRequest.Method, size: Int) throws {
        let body = pattern(size, seed: size)
        let headers = HTTPHeaders([("X-Custom", "Value 1"), ("x-second", "two"), ("X-Empty", "")])
        let response = try client.execute(HTTPRequest(method: method, url: server.url("/echo?a=1&b=%2F"), headers: headers, body: body))
        #expect(response.status == 200)
        let echo = try Echo(response)
        #expect(echo.method == method.rawValue)
        #expect(echo.bodyBytes == body)
        #expect(echo.values("x-custom") == ["Value 1"])
        #expect(echo.values("X-Second") == ["two"])
        #expect(echo.values("x-empty") == [""])
        // curl adds neither a 100-continue round trip nor a form content type on its own.
        #expect(echo.values("expect").isEmpty)
        #expect(echo.values("content-type").isEmpty)
        if method == .post || method == .put || size > 0 {
            #expect(echo.values("content-length") == [String(size)])
        }
    }

    @Test func givenContentTypeIsSentOnce() throws {
        let headers = HTTPHeaders([("Content-Type", "application/x-amz-json-1.0")])
        let response = try client.execute(HTTPRequest(method: .post, url: server.url("/echo"), headers: headers, body: Array("{}".utf8)))
        #expect(try Echo(response).values("content-type") == ["application/x-amz-json-1.0"])
    }

    @Test func headHasHeadersButNoBody() throws {
        let response = try client.execute(HTTPRequest(method: .head, url: server.url("/bytes/10")))
        #expect(response.status == 200)
        #expect(response.body.isEmpty)
        #expect(response.headers["content-length"] == "10")
    }

    @Test func largeBinaryResponseAndCaseInsensitiveHeaders() throws {
        let response = try client.execute(HTTPRequest(method: .get, url: server.url("/bytes/1048576")))
        #expect(response.body == (0..<(1 << 20)).map { UInt8($0 % 251) })
        #expect(response.headers["x-mixed-case"] == "yes")
        #expect(response.headers["X-MIXED-CASE"] == "yes")
        #expect(response.headers.values("Content-Type") == ["application/octet-stream"])
        // Only the final response's fields, no status line or blank line.
        #expect(!response.headers.contains { $0.name.hasPrefix("HTTP/") || $0.name.isEmpty })
    }

    @Test func errorStatusesAreResponsesNotErrors() throws {
        let response = try client.execute(HTTPRequest(method: .get, url: server.url("/status/503")))
        #expect(response.status == 503)
        #expect(response.body == Array("status 503".utf8))
    }

    @Test func sequentialRequestsReuseOneConnection() throws {
        for index in 0..<20 {
            let method: HTTPRequest.Method = index.isMultiple(of: 2) ? .get : .post
            let response = try client.execute(HTTPRequest(method: method, url: server.url("/echo"), body: method == .post ? pattern(100) : []))
            #expect(response.status == 200)
        }
        let stats = try server.stats()
        #expect(stats.requests == 20)
        #expect(stats.connections == 1)
    }

    @Test(arguments: [("X-Bad", "a\r\nX-Injected: 1"), ("X-Bad", "nul\u{0}byte"), ("Bad Name", "v"), ("", "v")])
    func headersThatWouldChangeTheWireAreRejected(name: String, value: String) throws {
        let request = HTTPRequest(method: .get, url: server.url("/echo"), headers: HTTPHeaders([(name, value)]))
        let error = #expect(throws: HTTPClientError.self) { try client.execute(request) }
        #expect(error?.code == .invalidRequest)
        #expect(error?.message.contains("Injected") == false)
        #expect(try server.stats().requests == 0)
    }

    @Test(arguments: ["ftp://127.0.0.1/x", "/relative", "http://127.0.0.1/a b", "http://127.0.0.1/\u{0}x"])
    func unusableURLsAreRejected(url: String) throws {
        let error = #expect(throws: HTTPClientError.self) { try client.execute(HTTPRequest(method: .get, url: url)) }
        #expect(error?.code == .invalidRequest)
    }

    @Test func clientStaysUsableAfterAFailure() throws {
        let refusing = try RefusingPort()
        #expect(throws: HTTPClientError.self) {
            try client.execute(HTTPRequest(method: .post, url: "http://127.0.0.1:\(refusing.port)/", body: [1, 2, 3]))
        }
        let response = try client.execute(HTTPRequest(method: .post, url: server.url("/echo"), body: [4, 5]))
        #expect(try Echo(response).bodyBytes == [4, 5])
    }
}

import CurlHTTP
import Testing

@Test func refusedConnectIsTypedConnectError() throws {
    let client = try HTTPClient(connectTimeout: .seconds(2))
    #expect(throws: HTTPClientError.self) {
        _ = try client.execute(HTTPRequest(method: .get, url: "http://127.0.0.1:9/"))
    }
    do {
        _ = try client.execute(HTTPRequest(method: .get, url: "http://127.0.0.1:9/x?secret=1"))
    } catch {
        #expect(error.code == .connect)
        #expect(error.target == "http://127.0.0.1:9")
    }
}

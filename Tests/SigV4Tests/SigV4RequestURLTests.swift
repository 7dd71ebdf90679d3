import SigV4
import Testing

/// `SigV4Request(method:url:)`: splitting an already-encoded URL and deriving the Host field.
@Suite struct SigV4RequestURLTests {
    struct Split: Sendable, CustomTestStringConvertible {
        var url: String, path: String, query: String, host: String
        var testDescription: String { url }
    }

    @Test(arguments: [
        Split(url: "https://Example.COM/a/b?c=d&e#frag", path: "/a/b", query: "c=d&e", host: "example.com"),
        Split(url: "https://h.example:443/x", path: "/x", query: "", host: "h.example"),
        Split(url: "http://h.example:80", path: "/", query: "", host: "h.example"),
        Split(url: "HTTP://h.example:443/", path: "/", query: "", host: "h.example:443"),
        Split(url: "https://h.example:8443?q", path: "/", query: "q", host: "h.example:8443"),
        Split(url: "http://[::1]:8080/p%40q", path: "/p%40q", query: "", host: "[::1]:8080"),
        Split(url: "https://user:pw@h.example/p", path: "/p", query: "", host: "h.example"),
        Split(url: "wss://h.example:443/", path: "/", query: "", host: "h.example"),
        Split(url: "https://h.example/p?", path: "/p", query: "", host: "h.example"),
        Split(url: "https://h.example/p#x?y", path: "/p", query: "", host: "h.example"),
    ])
    func splitsAndAddsHost(_ split: Split) throws {
        let request = try #require(SigV4Request(method: "GET", url: split.url))
        #expect(request.path == split.path)
        #expect(request.query == split.query)
        #expect(request.headers.count == 1)
        #expect(request.header("host") == split.host)
    }

    @Test func keepsAnExistingHostAndTheOtherHeadersInOrder() throws {
        let request = try #require(SigV4Request(
            method: "POST", url: "https://h.example/",
            headers: [(name: "X-A", value: "1"), (name: "HOST", value: "other.example"), (name: "X-A", value: "2")],
            body: [1, 2, 3]))
        #expect(request.headers.map(\.name) == ["X-A", "HOST", "X-A"])
        #expect(request.header("Host") == "other.example")
        #expect(request.body == [1, 2, 3])
        #expect(request.method == "POST")
    }

    @Test(arguments: [
        "", "h.example/p", "://h.example/", "1http://h.example/", "https://", "https:///p", "https://:443/",
        "https://h.example:99999/", "https://h.example:12a/", "https://h.example:123456/", "https://[::1/",
        "https://[::1]x/", "https://h.example/a b", "https://h.example/é", "https://h.example/\n",
        "https:/h.example/", "ht tp://h.example/",
    ])
    func rejectsWhatIsNotAnEncodedAbsoluteURL(_ url: String) {
        #expect(SigV4Request(method: "GET", url: url) == nil)
    }
}

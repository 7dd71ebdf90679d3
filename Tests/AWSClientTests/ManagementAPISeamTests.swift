@testable import AWSClient
import CurlHTTP
import Testing

@Suite struct ManagementAPISeamTests {
    func client(_ transport: FakeTransport, endpoint: String = "https://abc123.execute-api.eu-west-1.amazonaws.com/prod/") throws
        -> ManagementAPIClient
    {
        try ManagementAPIClient(
            configuration: testConfiguration, endpoint: endpoint,
            retryPolicy: RetryPolicy(maxAttempts: 3, baseDelay: .zero, maxDelay: .zero), transport: transport, sleep: { _ in })
    }

    @Test func pathIsPercentEncodedAndSignedForExecuteAPI() throws {
        let transport = FakeTransport([response(200)])
        try client(transport).postToConnection("L0SM9cOFvHcCIhw=", data: Array(#"{"visits":1}"#.utf8))
        let request = try #require(transport.requests.first)
        #expect(request.url == "https://abc123.execute-api.eu-west-1.amazonaws.com/prod/%40connections/L0SM9cOFvHcCIhw%3D")
        #expect(request.method == .post)
        #expect(request.body == Array(#"{"visits":1}"#.utf8))
        #expect(request.headers["authorization"]?.contains("/eu-west-1/execute-api/aws4_request") == true)
    }

    @Test func slashAndPlusCannotEscapeTheSegment() throws {
        // The encoding itself is SystemSupport's (PercentEncodingTests); here, that the client's URL uses it.
        let client = try client(FakeTransport([]))
        let base = "https://abc123.execute-api.eu-west-1.amazonaws.com/prod/%40connections/"
        #expect(try client.connectionURL("a/b+c=", operation: "PostToConnection") == base + "a%2Fb%2Bc%3D")
        #expect(try client.connectionURL("Ab9-_", operation: "PostToConnection") == base + "Ab9-_")
    }

    @Test(arguments: ["", "../admin", "a b", "a?b", "a%2F", "a#b", "é", String(repeating: "a", count: 129)])
    func invalidIdsSendNothing(_ id: String) throws {
        let transport = FakeTransport([])
        let management = try client(transport)
        let error = #expect(throws: AWSClientError.self) { try management.postToConnection(id, data: []) }
        #expect(error?.code == .configuration)
        #expect(throws: AWSClientError.self) { try management.deleteConnection(id) }
        #expect(throws: AWSClientError.self) { try management.getConnection(id) }
        #expect(transport.requests.isEmpty)
    }

    @Test func goneIsRecognisedAndNotRetried() throws {
        let transport = FakeTransport([response(410, #"{"message":null}"#, headers: [("x-amzn-ErrorType", "GoneException")])])
        let error = #expect(throws: AWSClientError.self) { try client(transport).postToConnection("abc", data: []) }
        #expect(error?.isGone == true)
        #expect(transport.requests.count == 1)
    }

    @Test func throttlingIsRetried() throws {
        let transport = FakeTransport([response(429, #"{"message":"Too Many Requests"}"#), response(200)])
        try client(transport).postToConnection("abc", data: [1])
        #expect(transport.requests.count == 2)
    }

    @Test func getAndDeleteConnection() throws {
        let transport = FakeTransport([
            response(200, #"{"connectedAt":"2026-01-01T00:00:00Z","identity":{"sourceIp":"1.2.3.4","userAgent":"ua"},"lastActiveAt":"2026-01-01T00:01:00Z"}"#),
            response(204, ""),
        ])
        let management = try client(transport)
        let info = try management.getConnection("abc")
        #expect(info == ConnectionInfo(connectedAt: "2026-01-01T00:00:00Z", lastActiveAt: "2026-01-01T00:01:00Z", sourceIp: "1.2.3.4", userAgent: "ua"))
        try management.deleteConnection("abc")
        #expect(transport.requests.map(\.method) == [.get, .delete])
    }

    @Test(arguments: ["abc123.execute-api.eu-west-1.amazonaws.com/prod", "wss://abc/prod", "https://u:p@h/prod"])
    func invalidEndpoints(_ endpoint: String) {
        #expect(throws: AWSClientError.self) { try client(FakeTransport([]), endpoint: endpoint) }
    }
}

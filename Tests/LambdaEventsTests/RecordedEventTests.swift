import LambdaEvents
import Testing

/// The recorded events in `events/` (also used by `sam local invoke -e`) decode, with the values they hold.
@Suite struct RecordedEventTests {
    @Test func folderHoldsExactlyTheExpectedEvents() throws {
        let names = try Fixtures.eventFileNames()
        #expect(Set(names) == Set(Fixtures.expectedFiles.keys))
    }

    @Test func everyFileInTheFolderDecodes() throws {
        let names = try Fixtures.eventFileNames()
        #expect(!names.isEmpty)
        for name in names {
            switch Fixtures.expectedFiles[name] {
            case .webSocket:
                _ = try Fixtures.decode(APIGatewayWebSocketRequest.self, file: name)
            case .stream:
                _ = try Fixtures.decode(DynamoDBStreamEvent.self, file: name)
            case nil:
                Issue.record("events/\(name) has no expected type: add it to Fixtures.expectedFiles")
            }
        }
    }

    @Test func connect() throws {
        let event = try Fixtures.decode(APIGatewayWebSocketRequest.self, file: "connect.json")
        let context = event.requestContext
        #expect(context.routeKey == "$connect")
        #expect(context.eventType == .connect)
        #expect(context.connectionId == "LLOXxdOBrPEAbBw=")
        #expect(context.connectedAt == 1_732_871_415_231)
        #expect(context.requestTimeEpoch == 1_732_871_415_246)
        #expect(context.domainName == "vc4t8zq1mk.execute-api.eu-west-1.amazonaws.com")
        #expect(context.stage == "prod")
        #expect(context.apiId == "vc4t8zq1mk")
        #expect(context.requestId == "LLOXyGc6DoEFcHg=")
        #expect(context.extendedRequestId == "LLOXyGc6DoEFcHg=")
        #expect(context.requestTime == "29/Nov/2024:09:10:15 +0000")
        #expect(context.messageDirection == "IN")
        #expect(context.messageId == nil)
        #expect(context.disconnectStatusCode == nil)
        #expect(context.identity.sourceIp == "203.0.113.42")
        #expect(context.identity.userAgent?.hasPrefix("Mozilla/5.0") == true)
        #expect(event.header("origin") == "https://www.example.com")
        #expect(event.header("Sec-WebSocket-Key") == "Whx+CZOyTW+hjD57INlPYQ==")
        #expect(event.header("sec-websocket-version") == "13")
        #expect(event.header("Sec-WebSocket-Extensions") == "permessage-deflate; client_max_window_bits")
        #expect(event.header("X-Forwarded-For") == "203.0.113.42")
        #expect(event.header("x-forwarded-port") == "443")
        #expect(event.header("X-FORWARDED-PROTO") == "https")
        #expect(event.header("host") == context.domainName)
        #expect(event.multiValueHeaders?["Origin"] == ["https://www.example.com"])
        #expect(event.queryParameter("visit") == "3f6c1a9e-0b7d-4e52-9c84-5a2d7f1e6b30")
        #expect(event.multiValueQueryStringParameters?["visit"] == ["3f6c1a9e-0b7d-4e52-9c84-5a2d7f1e6b30"])
        #expect(event.body == nil)
        #expect(try event.bodyBytes() == nil)
        #expect(event.isBase64Encoded == false)
    }

    @Test func connectWithoutVisit() throws {
        let event = try Fixtures.decode(APIGatewayWebSocketRequest.self, file: "connect-no-visit.json")
        #expect(event.requestContext.eventType == .connect)
        #expect(event.requestContext.connectionId == "LLOhSe4wjoECFwg=")
        #expect(event.queryStringParameters == nil)
        #expect(event.multiValueQueryStringParameters == nil)
        #expect(event.queryParameter("visit") == nil)
        #expect(event.header("Origin") == "https://blog.example.org")
    }

    @Test func disconnect() throws {
        let event = try Fixtures.decode(APIGatewayWebSocketRequest.self, file: "disconnect.json")
        let context = event.requestContext
        #expect(context.routeKey == "$disconnect")
        #expect(context.eventType == .disconnect)
        #expect(context.connectionId == "LLOXxdOBrPEAbBw=")
        #expect(context.disconnectStatusCode == 1001)
        #expect(context.disconnectReason == "Going away")
        #expect(context.connectedAt == 1_732_871_415_231)
        #expect(context.requestTimeEpoch == 1_732_872_601_127)
        #expect(event.header("x-forwarded-for") == "")
        #expect(event.header("Origin") == nil)
        #expect(event.queryParameter("visit") == nil)
    }

    @Test func syncMessage() throws {
        let event = try Fixtures.decode(APIGatewayWebSocketRequest.self, file: "sync.json")
        #expect(event.requestContext.routeKey == "sync")
        #expect(event.requestContext.eventType == .message)
        #expect(event.requestContext.messageId == "LLOX0dWyjoECFwg=")
        #expect(event.requestContext.connectionId == "LLOXxdOBrPEAbBw=")
        #expect(event.headers == nil)
        #expect(event.body == #"{"action":"sync"}"#)
        #expect(try event.bodyText() == #"{"action":"sync"}"#)
        #expect(try event.bodyBytes() == Array(#"{"action":"sync"}"#.utf8))
    }
}

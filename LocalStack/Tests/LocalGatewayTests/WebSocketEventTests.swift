import Foundation
import HTTPTypes
import LambdaEvents
import Testing

@testable import LocalGateway

/// The events the gateway builds decode as the functions' own event type, with the fields API
/// Gateway would fill in (pure tier: no sockets).
struct WebSocketEventTests {
    let info: GatewayConnection = {
        var request = HTTPRequest(method: .get, scheme: nil, authority: "127.0.0.1:8080", path: "/local?visit=a%2Bb&x=1&x=2")
        request.headerFields[.origin] = "http://127.0.0.1:8080"
        request.headerFields[.userAgent] = "test-agent"
        return GatewayConnection(
            id: "L0SM9cOFvHcCIhw=", request: request, sourceIp: "127.0.0.1", now: Date(timeIntervalSince1970: 1_732_871_415.231))
    }()

    func decode(_ event: WebSocketEvent) throws -> APIGatewayWebSocketRequest {
        try JSONDecoder().decode(APIGatewayWebSocketRequest.self, from: Data(event.encoded()))
    }

    @Test func connectCarriesHeadersQueryAndContext() throws {
        let now = Date(timeIntervalSince1970: 1_732_871_415.246)
        let event = try decode(.connect(info, stage: "local", now: now))
        #expect(event.requestContext.eventType == .connect)
        #expect(event.requestContext.routeKey == "$connect")
        #expect(event.requestContext.connectionId == "L0SM9cOFvHcCIhw=")
        #expect(event.requestContext.connectedAt == 1_732_871_415_231)
        #expect(event.requestContext.requestTimeEpoch == 1_732_871_415_246)
        #expect(event.requestContext.identity.sourceIp == "127.0.0.1")
        #expect(event.header("origin") == "http://127.0.0.1:8080")
        #expect(event.header("Host") == "127.0.0.1:8080")
        #expect(event.queryParameter("visit") == "a+b")
        #expect(event.multiValueQueryStringParameters?["x"] == ["1", "2"])
    }

    @Test func messageCarriesTheBodyAndRoute() throws {
        let event = try decode(
            .message(info, routeKey: "sync", body: #"{"action":"sync"}"#, isBase64Encoded: false, stage: "local", now: Date()))
        #expect(event.requestContext.eventType == .message)
        #expect(event.requestContext.routeKey == "sync")
        #expect(event.body == #"{"action":"sync"}"#)
        #expect(event.headers == nil)
    }

    @Test func disconnectCarriesTheCloseCode() throws {
        let event = try decode(.disconnect(info, statusCode: 1001, reason: "Going away", stage: "local", now: Date()))
        #expect(event.requestContext.eventType == .disconnect)
        #expect(event.requestContext.disconnectStatusCode == 1001)
        #expect(event.requestContext.disconnectReason == "Going away")
    }

    @Test func requestTimeIsAPIGatewaysFormat() {
        let text = WebSocketEvent.RequestContext.requestTime(Date(timeIntervalSince1970: 1_732_871_415))
        #expect(text == "29/Nov/2024:09:10:15 +0000")
    }

    @Test func routeKeyComesFromTheActionMember() {
        #expect(WebSocketGateway.routeKey(of: #"{"action":"sync"}"#) == "sync")
        #expect(WebSocketGateway.routeKey(of: #"{"action":5}"#) == nil)
        #expect(WebSocketGateway.routeKey(of: "not json") == nil)
        #expect(WebSocketGateway.routeKey(of: nil) == nil)
    }

    @Test func connectionIDsLookLikeAPIGateways() {
        for _ in 0..<200 {
            let id = ConnectionIDGenerator.make()
            #expect(id.count == 16)
            #expect(id.hasSuffix("="))
            #expect(!id.contains("/") && !id.contains("+"))
        }
        #expect(Set((0..<200).map { _ in ConnectionIDGenerator.make() }).count == 200)
    }
}

import Foundation
import LambdaEvents
import Testing

/// `APIGatewayWebSocketRequest`: header and query lookups, bodies, required and unknown fields.
@Suite struct WebSocketRequestTests {
    /// A minimal message event with `extra` spliced into the top level.
    static func message(_ extra: String = "", context: String = "") -> String {
        """
        {"requestContext":{"routeKey":"sync","eventType":"MESSAGE","connectionId":"LLOXxdOBrPEAbBw=",
          "connectedAt":1732871415231,"requestTimeEpoch":1732871416093,"stage":"prod","apiId":"vc4t8zq1mk",
          "domainName":"vc4t8zq1mk.execute-api.eu-west-1.amazonaws.com","identity":{"sourceIp":"203.0.113.42"},
          "requestId":"LLOX0G1qDoEFbSA=","extendedRequestId":"LLOX0G1qDoEFbSA=",
          "requestTime":"29/Nov/2024:09:10:16 +0000","messageDirection":"IN","messageId":"LLOX0dWyjoECFwg="\(context)}
         \(extra)}
        """
    }

    @Test func headersAreCaseInsensitive() throws {
        let event = try Fixtures.decode(APIGatewayWebSocketRequest.self, json: Self.message(#","headers":{"origin":"https://a.example","X-Forwarded-For":"203.0.113.9"}"#))
        #expect(event.header("Origin") == "https://a.example")
        #expect(event.header("ORIGIN") == "https://a.example")
        #expect(event.header("x-forwarded-for") == "203.0.113.9")
        #expect(event.header("X-Forwarded-Port") == nil)
        #expect(event.headerValues("origin") == ["https://a.example"])
        #expect(event.headerValues("Cookie") == [])
    }

    @Test func headersFallBackToTheLastMultiValue() throws {
        let event = try Fixtures.decode(APIGatewayWebSocketRequest.self, json: Self.message(#","multiValueHeaders":{"x-test":["a","b"]}"#))
        #expect(event.header("X-Test") == "b")
        #expect(event.headerValues("X-TEST") == ["a", "b"])
    }

    @Test func queryParametersAreCaseSensitiveAndFallBack() throws {
        let event = try Fixtures.decode(APIGatewayWebSocketRequest.self, json: Self.message(
            #","queryStringParameters":{"visit":"v1"},"multiValueQueryStringParameters":{"visit":["v1"],"tag":["x","y"]}"#
        ))
        #expect(event.queryParameter("visit") == "v1")
        #expect(event.queryParameter("Visit") == nil)
        #expect(event.queryParameter("tag") == "y")
    }

    @Test func base64BodyIsDecoded() throws {
        let event = try Fixtures.decode(APIGatewayWebSocketRequest.self, json: Self.message(
            #","body":"eyJhY3Rpb24iOiJzeW5jIn0=","isBase64Encoded":true"#
        ))
        #expect(event.isBase64Encoded)
        #expect(try event.bodyText() == #"{"action":"sync"}"#)
        #expect(try event.bodyBytes() == Array(#"{"action":"sync"}"#.utf8))
    }

    @Test func binaryBodyBytesAndItsErrors() throws {
        let binary = try Fixtures.decode(APIGatewayWebSocketRequest.self, json: Self.message(#","body":"/wD+","isBase64Encoded":true"#))
        #expect(try binary.bodyBytes() == [0xFF, 0x00, 0xFE])
        let notText = try #require(throws: LambdaEventsError.self) { try binary.bodyText() }
        #expect(notText.code == .invalidUTF8)
        let broken = try Fixtures.decode(APIGatewayWebSocketRequest.self, json: Self.message(#","body":"{not base64}","isBase64Encoded":true"#))
        let notBase64 = try #require(throws: LambdaEventsError.self) { try broken.bodyBytes() }
        #expect(notBase64.code == .invalidBase64)
    }

    @Test func plainBodyIsTakenAsIs() throws {
        let event = try Fixtures.decode(APIGatewayWebSocketRequest.self, json: Self.message(#","body":"eyJ9","isBase64Encoded":false"#))
        #expect(try event.bodyText() == "eyJ9")
    }

    @Test func missingIsBase64EncodedMeansFalseAndUnknownFieldsAreIgnored() throws {
        let event = try Fixtures.decode(APIGatewayWebSocketRequest.self, json: Self.message(
            #","body":"hi","stageVariables":{"a":"b"},"somethingNew":[1,{"x":null}]"#,
            context: #","authorizer":{"principalId":"me"},"status":"*""#
        ))
        #expect(!event.isBase64Encoded)
        #expect(try event.bodyText() == "hi")
    }

    @Test(arguments: ["connectionId", "routeKey", "eventType", "connectedAt", "requestTimeEpoch", "domainName", "stage", "apiId", "identity", "requestId"])
    func requiredContextFieldsAreRequired(field: String) throws {
        let json = Self.message().replacingOccurrences(of: "\"\(field)\":", with: "\"renamed_\(field)\":")
        #expect(json != Self.message())
        #expect(throws: DecodingError.self) {
            try Fixtures.decode(APIGatewayWebSocketRequest.self, json: json)
        }
    }

    @Test func unknownEventTypeIsRejected() {
        let json = Self.message().replacingOccurrences(of: "\"MESSAGE\"", with: "\"PING\"")
        #expect(throws: DecodingError.self) {
            try Fixtures.decode(APIGatewayWebSocketRequest.self, json: json)
        }
    }

    @Test func requestRoundTrips() throws {
        for name in ["connect.json", "disconnect.json", "sync.json", "connect-no-visit.json"] {
            let event = try Fixtures.decode(APIGatewayWebSocketRequest.self, file: name)
            #expect(try Fixtures.roundTrip(event) == event)
        }
    }

    @Test func builtRequestDefaults() {
        let context = APIGatewayWebSocketRequest.RequestContext(
            routeKey: "$connect", eventType: .connect, connectionId: "c1", connectedAt: 1, requestTimeEpoch: 2,
            domainName: "127.0.0.1:8080", stage: "local", apiId: "local", identity: .init(sourceIp: "127.0.0.1"),
            requestId: "r1", requestTime: "29/Nov/2024:09:10:15 +0000"
        )
        let event = APIGatewayWebSocketRequest(requestContext: context)
        #expect(event.requestContext.extendedRequestId == "r1")
        #expect(event.requestContext.messageDirection == "IN")
        #expect(!event.isBase64Encoded)
        #expect(event.header("Origin") == nil)
    }
}

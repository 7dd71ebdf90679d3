import LambdaEvents
import Testing

/// The two response types encode the JSON API Gateway and Lambda expect, and decode back equal.
@Suite struct ResponseTests {
    @Test func webSocketResponseOmitsNilMembers() throws {
        #expect(try Fixtures.json(APIGatewayWebSocketResponse(statusCode: 200)) == #"{"statusCode":200}"#)
        #expect(try Fixtures.json(APIGatewayWebSocketResponse.forbidden) == #"{"statusCode":403}"#)
        #expect(try Fixtures.json(APIGatewayWebSocketResponse.badRequest) == #"{"statusCode":400}"#)
        #expect(APIGatewayWebSocketResponse.ok == APIGatewayWebSocketResponse(statusCode: 200))
        let sync = APIGatewayWebSocketResponse(statusCode: 200, body: #"{"visits":1234}"#)
        #expect(try Fixtures.json(sync) == #"{"body":"{\"visits\":1234}","statusCode":200}"#)
    }

    @Test(arguments: [
        APIGatewayWebSocketResponse(statusCode: 200),
        APIGatewayWebSocketResponse(statusCode: 200, headers: ["Sec-WebSocket-Protocol": "v1"], body: "x", isBase64Encoded: false),
        APIGatewayWebSocketResponse(statusCode: 400, body: "/wD+", isBase64Encoded: true),
    ])
    func webSocketResponseRoundTrips(response: APIGatewayWebSocketResponse) throws {
        #expect(try Fixtures.roundTrip(response) == response)
    }

    @Test func webSocketResponseDecodesWhatAFunctionReturns() throws {
        let response = try Fixtures.decode(APIGatewayWebSocketResponse.self, json: #"{"statusCode":200,"body":"{\"visits\":3}","extra":1}"#)
        #expect(response == APIGatewayWebSocketResponse(statusCode: 200, body: #"{"visits":3}"#))
        #expect(throws: DecodingError.self) {
            try Fixtures.decode(APIGatewayWebSocketResponse.self, json: #"{"body":"x"}"#)
        }
    }

    @Test func batchResponseWireForm() throws {
        #expect(try Fixtures.json(DynamoDBBatchResponse()) == #"{"batchItemFailures":[]}"#)
        let failed = DynamoDBBatchResponse(failedSequenceNumbers: ["1000200000000012077851302"])
        #expect(try Fixtures.json(failed) == #"{"batchItemFailures":[{"itemIdentifier":"1000200000000012077851302"}]}"#)
        #expect(failed.batchItemFailures == [.init(itemIdentifier: "1000200000000012077851302")])
    }

    @Test func batchResponseRoundTrips() throws {
        for response in [DynamoDBBatchResponse(), DynamoDBBatchResponse(failedSequenceNumbers: ["1", "22", "333"])] {
            #expect(try Fixtures.roundTrip(response) == response)
        }
    }
}

import AWSClient
import CurlHTTP
import Testing

@Suite struct ErrorParsingTests {
    private func parse(_ status: Int, _ body: String, headers: [(String, String)] = []) -> AWSClientError {
        AWSClientError.fromResponse(HTTPResponse(status: status, headers: HTTPHeaders(headers), body: Array(body.utf8)), operation: "Op")
    }

    @Test func dynamoDBJSONError() {
        let error = parse(400, #"{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"Requested resource not found"}"#)
        #expect(error.code == .service)
        #expect(error.status == 400)
        #expect(error.awsCode == "ResourceNotFoundException")
        #expect(error.message == "Requested resource not found")
        #expect(error.description.contains("Op failed"))
        #expect(!error.isRetryable)
    }

    @Test func capitalisedMessageAndCancellationReasons() {
        let error = parse(
            400,
            #"{"__type":"com.amazonaws.dynamodb.v20120810#TransactionCanceledException","Message":"Transaction cancelled [ConditionalCheckFailed, None]","CancellationReasons":[{"Code":"ConditionalCheckFailed","Message":"The conditional request failed"},{"Code":"None"}]}"#)
        #expect(error.awsCode == "TransactionCanceledException")
        #expect(error.message.hasPrefix("Transaction cancelled"))
        #expect(error.cancellationReasons == [.init(code: "ConditionalCheckFailed", message: "The conditional request failed"), .init(code: "None")])
        #expect(error.isConditionalCheckFailure)
        #expect(!error.isRetryable)
    }

    @Test func codeFromTheErrorTypeHeader() {
        let error = parse(410, #"{"message":null}"#, headers: [("x-amzn-ErrorType", "GoneException:http://internal.amazon.com/coral/")])
        #expect(error.awsCode == "GoneException")
        #expect(error.isGone)
    }

    @Test func xmlAuthFailureLikeMoto() {
        let body = """
            <?xml version="1.0" encoding="UTF-8"?>
            <ErrorResponse><Error><Code>SignatureDoesNotMatch</Code>\
            <Message>The request signature we calculated does not match the signature you provided. &amp; more</Message>\
            </Error><RequestId>abc</RequestId></ErrorResponse>
            """
        let error = parse(403, body)
        #expect(error.awsCode == "SignatureDoesNotMatch")
        #expect(error.message == "The request signature we calculated does not match the signature you provided. & more")
        #expect(error.isAuthenticationFailure)
        #expect(error.description.contains("authentication failed"))
        #expect(error.description.contains("HTTP 403"))
        #expect(!error.isRetryable)
    }

    @Test func htmlFromAProxyTakesTheCodeFromTheStatus() {
        let error = parse(502, "<html><head><title>502 Bad Gateway</title></head><body><h1>oops</h1></body></html>")
        #expect(error.awsCode == "BadGateway")
        #expect(error.message == "502 Bad Gateway")
        #expect(error.isRetryable)
    }

    @Test func plainTextAndEmptyBodies() {
        let plain = parse(503, "Service Unavailable\r\nretry later")
        #expect(plain.awsCode == "ServiceUnavailable")
        #expect(plain.message == "Service Unavailable  retry later")
        let empty = parse(418, "")
        #expect(empty.awsCode == "HTTP418")
        #expect(empty.message == "no message")
        let badJSON = parse(400, "{not json")
        #expect(badJSON.awsCode == "BadRequest")
    }

    @Test func longMessagesAreCut() {
        let error = parse(400, #"{"__type":"X#ValidationException","message":""# + String(repeating: "a", count: 5000) + #""}"#)
        #expect(error.message.count <= 401)
    }
}

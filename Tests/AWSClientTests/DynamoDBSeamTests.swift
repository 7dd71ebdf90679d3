@testable import AWSClient
import CurlHTTP
import Foundation
import LambdaEvents
import SigV4
import Testing

@Suite struct DynamoDBSeamTests {
    let clock = FakeClock()
    let policy = RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(10), maxDelay: .milliseconds(40))

    func client(_ transport: FakeTransport, policy: RetryPolicy? = nil) throws -> DynamoDBClient {
        try DynamoDBClient(
            configuration: testConfiguration, retryPolicy: policy ?? self.policy, transport: transport,
            sleep: clock.sleep, now: { [clock] in clock.now })
    }

    @Test func getItemSpeaksJSON10AndSigns() throws {
        let transport = FakeTransport([response(200, #"{"Item":{"id":{"S":"visitors"},"visits":{"N":"41"}}}"#)])
        let item = try client(transport).getItem(
            table: "VisitorCount", key: ["id": .string("visitors")], consistentRead: true, projection: "visits")
        #expect(item == ["id": .string("visitors"), "visits": .number("41")])
        let request = try #require(transport.requests.first)
        #expect(request.method == .post)
        #expect(request.url == "https://dynamodb.eu-west-1.amazonaws.com/")
        #expect(request.headers["content-type"] == "application/x-amz-json-1.0")
        #expect(request.headers["x-amz-target"] == "DynamoDB_20120810.GetItem")
        #expect(request.headers["x-amz-security-token"] == "SESSIONTOKEN123")
        let authorization = try #require(request.headers["authorization"])
        #expect(authorization.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"))
        #expect(authorization.contains("/eu-west-1/dynamodb/aws4_request"))
        let body = try transport.json(0)
        #expect(body["TableName"] as? String == "VisitorCount")
        #expect(body["ConsistentRead"] as? Bool == true)
        #expect(body["ProjectionExpression"] as? String == "visits")
        #expect(body["ExpressionAttributeNames"] == nil)
    }

    @Test func missingItemIsNil() throws {
        #expect(try client(FakeTransport([response(200, "{}")])).getItem(table: "T", key: ["id": .string("x")]) == nil)
    }

    @Test func retriesThrottlingAnd5xxThenSucceeds() throws {
        let transport = FakeTransport([
            response(500, "oops"),
            response(400, #"{"__type":"com.amazonaws.dynamodb.v20120810#ThrottlingException","message":"slow down"}"#),
            response(200, #"{"Attributes":{"visits":{"N":"2"}}}"#),
        ])
        let dynamo = try client(transport)
        let attributes = try dynamo.updateItem(
            table: "T", key: ["id": .string("visitors")], update: "ADD visits :one", values: [":one": .number("1")],
            returnValues: .updatedNew)
        #expect(attributes == ["visits": .number("2")])
        #expect(transport.requests.count == 3)
        #expect(dynamo.retryCount == 2)
        #expect(clock.sleeps.count == 2)
        #expect(clock.sleeps[0] <= .milliseconds(10) && clock.sleeps[1] <= .milliseconds(20))
        // Every attempt carries its own signature.
        #expect(transport.requests.allSatisfy { $0.headers["authorization"] != nil && $0.headers["x-amz-date"] != nil })
        let body = try transport.json(0)
        #expect(body["ReturnValues"] as? String == "UPDATED_NEW")
        #expect(body["ConditionExpression"] == nil)
    }

    @Test func givesUpAfterMaxAttemptsWithTheLastError() throws {
        let transport = FakeTransport([response(503), response(503), response(500, "final"), response(200)])
        let error = #expect(throws: AWSClientError.self) {
            try client(transport).putItem(table: "T", item: ["id": .string("a")])
        }
        #expect(error?.status == 500 && error?.message == "final" && error?.operation == "DynamoDB.PutItem")
        #expect(transport.requests.count == 3)
    }

    @Test func conditionFailureIsNotRetriedAndKeepsSecretsOut() throws {
        let transport = FakeTransport([
            response(400, #"{"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"The conditional request failed"}"#)
        ])
        let dynamo = try client(transport)
        do {
            try dynamo.putItem(table: "T", item: ["id": .string("a")], condition: "attribute_not_exists(id)")
            Issue.record("expected a failure")
        } catch {
            #expect(error.isConditionalCheckFailure)
            #expect(!error.isRetryable)
            let text = "\(error)"
            #expect(!text.contains(testConfiguration.credentials.secretAccessKey))
            #expect(!text.contains("SESSIONTOKEN123"))
            #expect(!text.contains("Signature="))
        }
        #expect(transport.requests.count == 1)
    }

    @Test func transientTransportErrorsAreRetriedButTLSIsNot() throws {
        let reset = HTTPClientError(code: .receive, message: "connection reset", target: "https://dynamodb")
        let tls = HTTPClientError(code: .tls, message: "certificate verify failed", target: "https://dynamodb")
        let retried = FakeTransport([.failure(reset), response(200)])
        try client(retried).deleteItem(table: "T", key: ["id": .string("a")])
        #expect(retried.requests.count == 2)
        let notRetried = FakeTransport([.failure(tls), response(200)])
        #expect(throws: AWSClientError.self) { try client(notRetried).deleteItem(table: "T", key: ["id": .string("a")]) }
        #expect(notRetried.requests.count == 1)
    }

    @Test func deadlineBoundsAttemptsAndWaits() throws {
        // Waits of up to 50 ms against 30 ms left: some retries fit, none may end past the deadline.
        let slow = RetryPolicy(maxAttempts: 10, baseDelay: .milliseconds(50), maxDelay: .milliseconds(50))
        var requests = 0
        for _ in 0..<20 {
            let transport = FakeTransport(Array(repeating: response(500), count: 10))
            let dynamo = try client(transport, policy: slow)
            let deadline = clock.now.advanced(by: .milliseconds(30))
            #expect(throws: AWSClientError.self) { try dynamo.getItem(table: "T", key: ["id": .string("a")], deadline: deadline) }
            #expect(clock.now < deadline)
            // Each attempt's timeout fits in the time left.
            #expect(transport.requests.allSatisfy { ($0.timeout ?? .seconds(99)) <= .milliseconds(30) })
            requests += transport.requests.count
        }
        #expect(requests > 20 && requests < 200)
    }

    @Test func passedDeadlineSendsNothing() throws {
        let transport = FakeTransport([])
        let error = #expect(throws: AWSClientError.self) {
            try client(transport).getItem(table: "T", key: ["id": .string("a")], deadline: clock.now)
        }
        #expect(error?.code == .deadlineExceeded)
        #expect(transport.requests.isEmpty)
    }

    @Test func scanFollowsLastEvaluatedKeyAndStopsOnFailure() throws {
        let transport = FakeTransport([
            response(200, #"{"Items":[{"id":{"S":"a"}},{"id":{"S":"b"}}],"LastEvaluatedKey":{"id":{"S":"b"}}}"#),
            response(200, #"{"Items":[{"id":{"S":"c"}}]}"#),
        ])
        let dynamo = try client(transport)
        let items = try dynamo.scan(table: "T", projection: "#c", names: ["#c": "id"], pageLimit: 2).allItems()
        #expect(items.map { $0["id"] } == [.string("a"), .string("b"), .string("c")])
        #expect(transport.requests.count == 2)
        #expect(try transport.json(0)["ExclusiveStartKey"] == nil)
        #expect(try transport.json(0)["Limit"] as? Int == 2)
        let start = try #require(try transport.json(1)["ExclusiveStartKey"] as? [String: Any])
        #expect((start["id"] as? [String: String])?["S"] == "b")

        let failing = FakeTransport([
            response(200, #"{"Items":[{"id":{"S":"a"}}],"LastEvaluatedKey":{"id":{"S":"a"}}}"#),
            response(400, #"{"__type":"x#ValidationException","message":"bad"}"#),
        ])
        let pages = Array(try client(failing).scan(table: "T"))
        #expect(pages.count == 2)
        #expect((try? pages[0].get().items.count) == 1)
        #expect(throws: AWSClientError.self) { try pages[1].get() }
    }

    @Test func scanDecodesItemsIntoTheCallersTypeAcrossPages() throws {
        struct Row: Decodable, Equatable {
            let id: String
            init(id: String) { self.id = id }
            init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: AnyKey.self)
                guard case .string(let id) = try container.decode(AttributeValue.self, forKey: AnyKey("id")) else {
                    throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "id is not S"))
                }
                self.id = id
            }
        }
        let transport = FakeTransport([
            response(200, #"{"Items":[{"id":{"S":"a"},"n":{"N":"1"}},{"id":{"S":"b"}}],"LastEvaluatedKey":{"id":{"S":"b"}}}"#),
            response(200, #"{"Items":[{"id":{"S":"c"}}],"Count":1}"#),
        ])
        let rows = try client(transport).scan(table: "T", pageLimit: 2, as: Row.self).allItems()
        #expect(rows == [Row(id: "a"), Row(id: "b"), Row(id: "c")])
        let start = try #require(try transport.json(1)["ExclusiveStartKey"] as? [String: Any])
        #expect((start["id"] as? [String: String])?["S"] == "b")

        // An item the type cannot read fails the scan with a decoding error, as a malformed item does.
        let bad = FakeTransport([response(200, #"{"Items":[{"id":{"N":"1"}}]}"#)])
        let error = #expect(throws: AWSClientError.self) { try client(bad).scan(table: "T", as: Row.self).allItems() }
        #expect(error?.code == .decoding)
    }

    @Test func transactionEncodingAndCancellation() throws {
        let transport = FakeTransport([
            response(
                400,
                #"{"__type":"com.amazonaws.dynamodb.v20120810#TransactionCanceledException","Message":"cancelled","CancellationReasons":[{"Code":"None"},{"Code":"ConditionalCheckFailed","Message":"The conditional request failed"}]}"#)
        ])
        let items: [TransactWriteItem] = [
            .put(table: "C", item: ["connectionId": .string("abc=")]),
            .put(table: "V", item: ["id": .string("visit#1")], condition: "attribute_not_exists(id)"),
            .update(table: "V", key: ["id": .string("visitors")], update: "ADD visits :one", values: [":one": .number("1")]),
            .delete(table: "C", key: ["connectionId": .string("x")]),
            .conditionCheck(table: "C", key: ["connectionId": .string("y")], condition: "attribute_exists(#c)", names: ["#c": "connectionId"]),
        ]
        let dynamo = try client(transport)
        do {
            try dynamo.transactWriteItems(items)
            Issue.record("expected a cancellation")
        } catch {
            #expect(error.awsCode == "TransactionCanceledException")
            #expect(error.cancellationReasons.map(\.code) == ["None", "ConditionalCheckFailed"])
        }
        #expect(transport.requests.count == 1)
        #expect(transport.requests[0].headers["x-amz-target"] == "DynamoDB_20120810.TransactWriteItems")
        let body = try transport.json(0)
        #expect((body["ClientRequestToken"] as? String)?.isEmpty == false)
        let actions = try #require(body["TransactItems"] as? [[String: Any]])
        #expect(actions.map { $0.keys.first } == ["Put", "Put", "Update", "Delete", "ConditionCheck"])
        let put = try #require(actions[0]["Put"] as? [String: Any])
        #expect(put["ExpressionAttributeValues"] == nil && put["ConditionExpression"] == nil)
        let update = try #require(actions[2]["Update"] as? [String: Any])
        #expect(update["UpdateExpression"] as? String == "ADD visits :one")
        #expect(update["ExpressionAttributeValues"] != nil)
        #expect((actions[4]["ConditionCheck"] as? [String: Any])?["ExpressionAttributeNames"] != nil)
    }

    @Test func transactionSizeIsChecked() throws {
        let transport = FakeTransport([])
        #expect(throws: AWSClientError.self) { try client(transport).transactWriteItems([]) }
        #expect(transport.requests.isEmpty)
    }

    @Test func streamsUseTheirOwnTarget() throws {
        let transport = FakeTransport([
            response(200, #"{"Records":[{"eventID":"1","eventName":"MODIFY","eventVersion":"1.1","eventSource":"aws:dynamodb","awsRegion":"us-east-1","dynamodb":{"Keys":{"id":{"S":"visitors"}},"NewImage":{"visits":{"N":"3"}},"SequenceNumber":"100","SizeBytes":26,"StreamViewType":"NEW_IMAGE","ApproximateCreationDateTime":1700000000.5}}],"NextShardIterator":"it2"}"#)
        ])
        let page = try client(transport).getRecords(shardIterator: "it1", limit: 5000)
        #expect(transport.requests[0].headers["x-amz-target"] == "DynamoDBStreams_20120810.GetRecords")
        #expect(try transport.json(0)["Limit"] as? Int == 1000)
        #expect(page.nextShardIterator == "it2")
        #expect(page.records.first?.dynamodb.newImage?["visits"] == .number("3"))
        #expect(page.records.first?.dynamodb.approximateCreationDateTime == 1_700_000_000.5)
    }

    @Test func undecodableSuccessIsADecodingError() throws {
        let error = #expect(throws: AWSClientError.self) {
            try client(FakeTransport([response(200, #"{"Item":{"id":{"S":"a","N":"1"}}}"#)])).getItem(table: "T", key: ["id": .string("a")])
        }
        #expect(error?.code == .decoding)
    }

    @Test func invalidEndpointIsAConfigurationError() {
        var configuration = testConfiguration
        configuration.dynamoDBEndpoint = "dynamodb.local"
        #expect(throws: AWSClientError.self) {
            try DynamoDBClient(configuration: configuration, retryPolicy: .none, transport: FakeTransport([]))
        }
    }
}

/// A coding key for any attribute name.
struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

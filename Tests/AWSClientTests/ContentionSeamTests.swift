@testable import AWSClient
import CurlHTTP
import Foundation
import LambdaEvents
import Testing
import TestSupport

/// What a spike needs from the client: retries until the deadline, a transaction whose actions change
/// between attempts, the total read in one call, and failures grouped by kind.
@Suite struct ContentionSeamTests {
    let clock = FakeClock()
    static let conflict = response(400, #"{"__type":"com.amazonaws.dynamodb.v20120810#TransactionCanceledException","Message":"Transaction cancelled [None, TransactionConflict]","CancellationReasons":[{"Code":"None"},{"Code":"TransactionConflict","Message":"Transaction is ongoing for the item"}]}"#)

    func client(_ transport: FakeTransport, policy: RetryPolicy = .dynamoDBUntilDeadline) throws -> DynamoDBClient {
        try DynamoDBClient(
            configuration: testConfiguration, retryPolicy: policy, transport: transport, sleep: clock.sleep, now: { [clock] in clock.now })
    }

    func update(_ shard: String) -> TransactWriteItem {
        .update(table: "VisitorCount", key: ["id": .string(shard)], update: "ADD visits :one", values: [":one": .number("1")])
    }

    @Test func conflictsAreRetriedWithNewActionsAndOneTokenPerDistinctTransaction() throws {
        let transport = FakeTransport([Self.conflict, Self.conflict, Self.conflict, response(200)])
        let shards = ["visitors#1", "visitors#2", "visitors#1", "visitors#5"]
        try client(transport).transactWriteItems(deadline: clock.now.advanced(by: .seconds(9))) { attempt in [update(shards[attempt - 1])] }
        #expect(transport.requests.count == 4)
        let bodies = try (0..<4).map { try transport.json($0) }
        let keys = bodies.map { body in
            ((((body["TransactItems"] as? [[String: Any]])?.first?["Update"] as? [String: Any])?["Key"] as? [String: Any])?["id"] as? [String: String])?["S"]
        }
        #expect(keys == shards)
        let tokens = bodies.map { $0["ClientRequestToken"] as? String }
        // The same actions again carry the same token (DynamoDB's idempotency); other actions a new one.
        #expect(tokens[0] == tokens[2])
        #expect(Set(tokens.compactMap { $0 }).count == 3)
    }

    @Test func untilTheDeadlineMeansManyAttemptsAndTheLastStartsBeforeIt() throws {
        let transport = FakeTransport(Array(repeating: Self.conflict, count: 10_000))
        let start = clock.now
        let deadline = start.advanced(by: .seconds(5))
        #expect(throws: AWSClientError.self) {
            try client(transport).transactWriteItems(deadline: deadline) { _ in [update("visitors")] }
        }
        // Far more than the default four attempts, and none later than the reserve allows.
        #expect(transport.requests.count > 10)
        #expect(clock.now <= deadline.advanced(by: .milliseconds(-100)))
        #expect(clock.sleeps.allSatisfy { $0 <= .milliseconds(500) })
    }

    @Test func aReservedPolicyDrawsItsWaitFromTheTimeLeft() {
        var generator = SplitMix64(seed: 3)
        let policy = RetryPolicy.untilDeadline(baseDelay: .seconds(1), maxDelay: .seconds(4), attemptReserve: .milliseconds(300))
        let now = ContinuousClock.now
        let deadline = now.advanced(by: .seconds(1))
        for _ in 0..<200 {
            let wait = policy.delayBeforeRetry(after: 5, now: now, deadline: deadline, using: &generator)
            #expect(wait.map { $0 <= .milliseconds(700) } == true)
        }
        #expect(policy.delayBeforeRetry(after: 5, now: now, deadline: now.advanced(by: .milliseconds(300)), using: &generator) == nil)
        // Without a deadline it still ends, after the default's attempts.
        #expect(policy.delayBeforeRetry(after: 4, now: now, deadline: nil, using: &generator) == nil)
    }

    @Test func batchGetReadsEveryShardConsistentlyAndFollowsUnprocessedKeys() throws {
        let transport = FakeTransport([
            response(200, #"{"Responses":{"VisitorCount":[{"id":{"S":"visitors"},"visits":{"N":"3"}}]},"UnprocessedKeys":{"VisitorCount":{"Keys":[{"id":{"S":"visitors#1"}}],"ConsistentRead":true}}}"#),
            response(200, #"{"Responses":{"VisitorCount":[{"id":{"S":"visitors#1"},"visits":{"N":"4"}}]},"UnprocessedKeys":{}}"#),
        ])
        let items = try client(transport).batchGetItems(
            table: "VisitorCount", keys: [["id": .string("visitors")], ["id": .string("visitors#1")], ["id": .string("visitors#2")]],
            consistentRead: true, projection: "visits, live", deadline: clock.now.advanced(by: .seconds(5)))
        #expect(items.compactMap { $0["visits"]?.numberValue }.sorted() == ["3", "4"])
        #expect(transport.requests.map { $0.headers["x-amz-target"] } == ["DynamoDB_20120810.BatchGetItem", "DynamoDB_20120810.BatchGetItem"])
        let first = try #require((try transport.json(0)["RequestItems"] as? [String: Any])?["VisitorCount"] as? [String: Any])
        #expect(first["ConsistentRead"] as? Bool == true)
        #expect((first["Keys"] as? [Any])?.count == 3)
        let second = try #require((try transport.json(1)["RequestItems"] as? [String: Any])?["VisitorCount"] as? [String: Any])
        #expect((second["Keys"] as? [Any])?.count == 1)
    }

    @Test func failuresAreGroupedByKindWithOneSampleEach() {
        let denied = AWSClientError(code: .service, status: 403, awsCode: "AccessDeniedException", message: "not authorized to perform: execute-api:ManageConnections")
        let throttled = AWSClientError(code: .service, status: 429, awsCode: "LimitExceededException", message: "slow down")
        let timeout = AWSClientError(code: .transport, message: "t", underlying: HTTPClientError(code: .timeout, message: "t", target: "x"))
        let report = BroadcastReport(deliveries: [denied, throttled, denied, timeout].enumerated().map {
            BroadcastReport.Delivery(connectionId: "c\($0.offset)", outcome: .failed($0.element), attempts: 1)
        } + [BroadcastReport.Delivery(connectionId: "ok", outcome: .sent, attempts: 1)])
        #expect(report.failureSamples.map(\.kind) == ["403 AccessDeniedException", "429 LimitExceededException", "transport timeout"])
        #expect(report.failureSamples[0].error.description.contains("execute-api:ManageConnections"))
    }
}

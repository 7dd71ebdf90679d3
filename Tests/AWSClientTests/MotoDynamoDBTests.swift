import AWSClient
import LambdaEvents
import SigV4
import Testing
import TestSupport

/// One moto server (signature checking on) for the whole suite; it exits when the test process does.
enum SharedMoto {
    private static let started: (server: MotoServer?, error: String?) = {
        do { return (try MotoServer(), nil) } catch { return (nil, "\(error)") }
    }()

    static func server() throws -> MotoServer {
        if let server = started.server { return server }
        throw ChildProcessError("moto did not start: \(started.error ?? "?")")
    }

    static func client(session: Bool = false, secret: String? = nil) throws -> DynamoDBClient {
        let moto = try server()
        var env = moto.environment(session ? moto.sessionCredentials : nil)
        if let secret { env["AWS_SECRET_ACCESS_KEY"] = secret }
        return try DynamoDBClient(configuration: AWSConfiguration.fromEnvironment(env), retryPolicy: .none)
    }
}

@Suite(.serialized) struct MotoDynamoDBTests {
    @Test func motoStartsWithAuth() throws {
        let moto = try SharedMoto.server()
        #expect(moto.endpoint.hasPrefix("http://127.0.0.1:"))
        #expect(moto.sessionCredentials?.sessionToken?.isEmpty == false)
    }

    @Test func itemLifecycleWithConditions() throws {
        let dynamo = try SharedMoto.client()
        let table = try dynamo.createTable(TableDefinition(name: "Items", partitionKey: ("id", .string)))
        #expect(table.tableName == "Items")
        #expect(try dynamo.describeTable("Items").tableName == "Items")
        try dynamo.updateTimeToLive(table: "Items", attribute: "expiresAt")

        let key: DynamoDBItem = ["id": .string("visitors")]
        #expect(try dynamo.getItem(table: "Items", key: key) == nil)
        try dynamo.putItem(table: "Items", item: ["id": .string("visitors"), "visits": .number("1"), "note": .string("x")])
        #expect(try dynamo.getItem(table: "Items", key: key, consistentRead: true)?["visits"] == .number("1"))

        let updated = try dynamo.updateItem(
            table: "Items", key: key, update: "ADD visits :n", values: [":n": .number("41")], returnValues: .updatedNew)
        #expect(updated == ["visits": .number("42")])
        let projected = try dynamo.getItem(table: "Items", key: key, projection: "#v", names: ["#v": "visits"])
        #expect(projected == ["visits": .number("42")])

        // A failed condition changes nothing and is reported as such.
        let conflict = #expect(throws: AWSClientError.self) {
            try dynamo.putItem(
                table: "Items", item: ["id": .string("visitors"), "visits": .number("0")], condition: "attribute_not_exists(id)")
        }
        #expect(conflict?.awsCode == "ConditionalCheckFailedException")
        #expect(conflict?.isConditionalCheckFailure == true)
        #expect(try dynamo.getItem(table: "Items", key: key)?["visits"] == .number("42"))

        let old = try dynamo.deleteItem(
            table: "Items", key: key, condition: "visits = :v", values: [":v": .number("42")], returnValues: .allOld)
        #expect(old?["note"] == .string("x"))
        #expect(try dynamo.getItem(table: "Items", key: key) == nil)

        let missing = #expect(throws: AWSClientError.self) { try dynamo.describeTable("NoSuchTable") }
        #expect(missing?.awsCode == "ResourceNotFoundException")
    }

    @Test func scanFollowsPagesOverMoreThanOneMegabyte() throws {
        let dynamo = try SharedMoto.client()
        try dynamo.createTable(TableDefinition(name: "Big", partitionKey: ("connectionId", .string)))
        let padding = String(repeating: "p", count: 1000)
        let ids = (0..<1200).map { "conn-\($0)" }
        for batch in stride(from: 0, to: ids.count, by: 100) {
            try dynamo.transactWriteItems(
                ids[batch..<min(batch + 100, ids.count)].map {
                    .put(table: "Big", item: ["connectionId": .string($0), "connectedAt": .number("1"), "padding": .string(padding)])
                })
        }
        var pages = 0
        var seen: [String: Int] = [:]
        for page in dynamo.scan(table: "Big") {
            let page = try page.get()
            pages += 1
            for item in page.items {
                guard case .string(let id) = item["connectionId"] else {
                    Issue.record("item without connectionId")
                    continue
                }
                seen[id, default: 0] += 1
            }
        }
        #expect(pages > 1)
        #expect(seen.count == ids.count)
        #expect(seen.values.allSatisfy { $0 == 1 })
        #expect(Set(seen.keys) == Set(ids))

        // A projection with a page limit walks the same items in many small pages.
        let projected = try dynamo.scan(table: "Big", projection: "connectionId, connectedAt", pageLimit: 500).allItems()
        #expect(projected.count == ids.count)
        #expect(projected.allSatisfy { $0["padding"] == nil && $0["connectedAt"] == .number("1") })
    }

    @Test func cancelledTransactionAppliesNothing() throws {
        let dynamo = try SharedMoto.client()
        try dynamo.createTable(TableDefinition(name: "Tx", partitionKey: ("id", .string)))
        try dynamo.putItem(table: "Tx", item: ["id": .string("visit#1")])
        let error = #expect(throws: AWSClientError.self) {
            try dynamo.transactWriteItems(
                [
                    .put(table: "Tx", item: ["id": .string("conn-1")]),
                    .put(table: "Tx", item: ["id": .string("visit#1")], condition: "attribute_not_exists(id)"),
                    .update(table: "Tx", key: ["id": .string("visitors")], update: "ADD visits :one", values: [":one": .number("1")]),
                ], clientRequestToken: "token-1")
        }
        #expect(error?.awsCode == "TransactionCanceledException")
        #expect(error?.cancellationReasons.map(\.code) == ["None", "ConditionalCheckFailed", "None"])
        #expect(error?.isRetryable == false)
        #expect(try dynamo.getItem(table: "Tx", key: ["id": .string("conn-1")]) == nil)
        #expect(try dynamo.getItem(table: "Tx", key: ["id": .string("visitors")]) == nil)

        // The same transaction without the conflicting condition goes through, all of it.
        try dynamo.transactWriteItems([
            .put(table: "Tx", item: ["id": .string("conn-1")]),
            .conditionCheck(table: "Tx", key: ["id": .string("visit#1")], condition: "attribute_exists(id)"),
            .update(table: "Tx", key: ["id": .string("visitors")], update: "ADD visits :one", values: [":one": .number("1")]),
        ])
        #expect(try dynamo.getItem(table: "Tx", key: ["id": .string("conn-1")]) != nil)
        #expect(try dynamo.getItem(table: "Tx", key: ["id": .string("visitors")])?["visits"] == .number("1"))
    }

    @Test func wrongSecretKeyIsASignatureFailure() throws {
        let dynamo = try SharedMoto.client(secret: "not-the-secret-key")
        let error = #expect(throws: AWSClientError.self) { try dynamo.describeTable("Items") }
        #expect(error?.status == 403)
        #expect(error?.isAuthenticationFailure == true)
        #expect(error?.awsCode == "SignatureDoesNotMatch")
        let text = error.map { "\($0)" } ?? ""
        #expect(text.contains("authentication failed"))
        #expect(text.lowercased().contains("signature"))
        #expect(!text.contains("not-the-secret-key"))
    }

    @Test func sessionCredentialsWork() throws {
        let dynamo = try SharedMoto.client(session: true)
        try dynamo.createTable(TableDefinition(name: "Session", partitionKey: ("id", .string)))
        try dynamo.putItem(table: "Session", item: ["id": .string("a")])
        #expect(try dynamo.getItem(table: "Session", key: ["id": .string("a")]) == ["id": .string("a")])
    }

    @Test func streamsCarryTheUpdate() throws {
        let dynamo = try SharedMoto.client()
        let table = try dynamo.createTable(TableDefinition(name: "Counted", partitionKey: ("id", .string), stream: .newImage))
        try dynamo.updateItem(table: "Counted", key: ["id": .string("visitors")], update: "ADD visits :n", values: [":n": .number("5")])
        try dynamo.updateItem(table: "Counted", key: ["id": .string("visitors")], update: "ADD visits :n", values: [":n": .number("1")])

        let streams = try dynamo.listStreams(table: "Counted")
        let arn = try #require(streams.first?.streamArn)
        #expect(table.latestStreamArn == nil || table.latestStreamArn == arn)
        let description = try dynamo.describeStream(arn: arn)
        #expect(description.streamViewType == .newImage)
        let shard = try #require(description.shards.first)
        let iterator = try dynamo.getShardIterator(streamArn: arn, shardId: shard.shardId, type: .trimHorizon)
        let page = try dynamo.getRecords(shardIterator: iterator, limit: 100)
        let images = page.records.compactMap { $0.dynamodb.newImage?["visits"] }
        #expect(images.last == .number("6"))
        #expect(page.records.last?.eventName == .modify)
        #expect(page.records.allSatisfy { $0.dynamodb.keys["id"] == .string("visitors") && !$0.dynamodb.sequenceNumber.isEmpty })
        // GetRecords' records are the Lambda event's records without the ARN Lambda adds.
        #expect(page.records.allSatisfy { $0.eventSourceARN == nil && $0.dynamodb.streamViewType == .newImage })
    }
}

import AWSClient
import Foundation
import LambdaEvents
import RuntimeAPIServer
import Testing
import ProcessTestSupport
import TestSupport

/// Unique visitors and the daily history with the real binaries on moto (signature checking on):
/// a visitor counted once per day whatever the tabs, reloads and concurrent connects; one salt shared by
/// every instance; nothing stored that names a visitor; history from the processor's records answered to
/// the `history` route; and with the parameter off, exactly the items of before.
@Suite(.serialized) struct UniqueVisitorsProcessTests {
    static let agent = "Mozilla/5.0 (X11; Linux x86_64) UniqueVisitorsProcessTests"

    /// A `$connect` from visitor `visitor` (its IP address) in page view `visit`.
    static func connect(_ n: Int, visitor: Int, visit: String, prefix: String = "U") -> APIGatewayWebSocketRequest {
        var event = WebSocketEvents.event(route: "$connect", connectionId: WebSocketEvents.connectionId(n, prefix: prefix), visit: visit)
        event.requestContext.identity = .init(sourceIp: "198.51.100.\(visitor)", userAgent: agent)
        return event
    }

    static func items(_ aws: LocalAWS) throws -> [DynamoDBItem] {
        try aws.client.scan(table: aws.counterTable, consistentRead: true).allItems()
    }

    static func ids(_ aws: LocalAWS, prefix: String) throws -> [String] {
        try items(aws).compactMap { $0["id"]?.stringValue }.filter { $0.hasPrefix(prefix) }
    }

    /// Sums `attribute` over the counter shards.
    static func shardSum(_ aws: LocalAWS, _ attribute: String) throws -> Int {
        try items(aws).filter { ($0["id"]?.stringValue).map { CounterShardId.isShard($0) } ?? false }
            .reduce(0) { $0 + ($1[attribute]?.intValue ?? 0) }
    }

    @Test func aVisitorCountsOncePerDayAcrossTabsReloadsAndConcurrentConnects() async throws {
        let aws = try LocalAWS()
        let fleet = try await FunctionFleet(binary: "DBUpdater", count: 4) {
            aws.environment(runtimeAPI: $0, extra: ["UNIQUE_VISITORS": "true", "COUNTER_SHARDS": "4"])
        }
        defer { Task { await fleet.stop() } }

        // 5 visitors × 12 page views each (tabs), all connecting at once over four instances, then every
        // page view reconnects once (a reload of the socket, not of the page).
        let views = (0..<60).map { (n: $0, visitor: $0 % 5, visit: "view-\($0)-of-\($0 % 5)") }
        let statuses = try await withThrowingTaskGroup(of: Int?.self) { group in
            for view in views {
                group.addTask { try await fleet.invoke(Self.connect(view.n, visitor: view.visitor, visit: view.visit)).statusCode }
            }
            return try await group.reduce(into: [Int?]()) { $0.append($1) }
        }
        #expect(statuses.allSatisfy { $0 == 200 }, "\(fleet.output.suffix(2000))")
        for view in views {
            _ = try await fleet.invoke(Self.connect(view.n, visitor: view.visitor, visit: view.visit, prefix: "R"))
        }
        #expect(try Self.shardSum(aws, "visits") == 60)
        #expect(try Self.shardSum(aws, "visitors") == 5)
        #expect(try Self.ids(aws, prefix: "visitor#").count == 5)
        #expect(try aws.connectionIds().count == 120)

        // One salt for the day, made by whichever instance came first and used by all.
        let salts = try Self.ids(aws, prefix: "salt#")
        let today = String(ISO8601DateFormatter().string(from: Date()).prefix(10))
        #expect(salts == ["salt#\(today)"])
        let saltItem = try #require(try aws.client.getItem(table: aws.counterTable, key: ["id": .string("salt#\(today)")], consistentRead: true))
        #expect(saltItem["salt"]?.stringValue?.count == 64)
        let endOfDay = (Int(Date().timeIntervalSince1970) / 86_400 + 1) * 86_400
        #expect(saltItem["expiresAt"]?.intValue == endOfDay)

        // Nothing stored names a visitor: no IP address, no user agent, in either table.
        let everything = try Self.items(aws) + aws.client.scan(table: aws.connectionsTable).allItems()
        let text = everything.map { "\($0)" }.joined()
        #expect(!text.contains("198.51.100") && !text.contains("UniqueVisitorsProcessTests"))
        #expect(try Self.ids(aws, prefix: "visitor#").allSatisfy { $0.hasPrefix("visitor#\(today)#") && $0.count == "visitor#YYYY-MM-DD#".count + 64 })

        let sync = try await fleet.invoke(WebSocketEvents.event(route: "sync", connectionId: WebSocketEvents.connectionId(0, prefix: "U")))
        #expect(sync.webSocketResponse?.body == #"{"visits":60,"visitors":5}"#)
    }

    @Test func offWritesExactlyTheItemsOfBeforeAndSendsNoVisitors() async throws {
        let aws = try LocalAWS()
        let fleet = try await FunctionFleet(binary: "DBUpdater") { aws.environment(runtimeAPI: $0, extra: ["COUNTER_SHARDS": "1"]) }
        defer { Task { await fleet.stop() } }
        for n in 0..<3 {
            #expect(try await fleet.invoke(Self.connect(n, visitor: 1, visit: "plain-view-\(n)")).statusCode == 200)
        }
        let ids = try Set(Self.items(aws).compactMap { $0["id"]?.stringValue })
        #expect(ids == ["visitors", "visit#plain-view-0", "visit#plain-view-1", "visit#plain-view-2"])
        let counter = try #require(try aws.client.getItem(table: aws.counterTable, key: ["id": .string("visitors")], consistentRead: true))
        #expect(Set(counter.keys) == ["id", "visits"])
        let sync = try await fleet.invoke(WebSocketEvents.event(route: "sync", connectionId: WebSocketEvents.connectionId(0, prefix: "U")))
        #expect(sync.webSocketResponse?.body == #"{"visits":3}"#)
    }

    @Test func historyRecordedByTheProcessorIsAnsweredToTheHistoryRouteAndReplaysChangeNothing() async throws {
        let aws = try LocalAWS()
        let api = try aws.managementAPI()
        let env = { (runtimeAPI: String) in
            aws.environment(runtimeAPI: runtimeAPI, extra: [
                "UNIQUE_VISITORS": "true", "COUNTER_SHARDS": "2", "WEBSOCKET_API_ENDPOINT": api.endpoint + "/local",
            ])
        }
        let updater = try await FunctionFleet(binary: "DBUpdater", environment: env)
        let processor = try await FunctionFleet(binary: "DBStreamProcessor", environment: env)
        defer { Task { for fleet in [updater, processor] { await fleet.stop() } } }
        let history = WebSocketEvents.event(route: "history", connectionId: WebSocketEvents.connectionId(0, prefix: "U"))

        let before = try await updater.invoke(history)
        #expect(before.webSocketResponse?.body == #"{"visits":0,"visitors":0,"history":[]}"#)

        // Two visits, then the processor's first record: history begins at that total.
        for n in 0..<2 { _ = try await updater.invoke(Self.connect(n, visitor: n, visit: "first-\(n)-view")) }
        if case .error(let type, let message, _) = try await processor.invoke(bytes: Self.shardChanged(sequence: 1)) {
            Issue.record("the processor failed: \(type) \(message)")
        }
        // Five more visits by two of the same visitors and one new one; the batch is delivered three times.
        for n in 2..<7 { _ = try await updater.invoke(Self.connect(n, visitor: n % 3, visit: "later-\(n)-view")) }
        for _ in 0..<3 { _ = try await processor.invoke(bytes: Self.shardChanged(sequence: 2)) }
        let afterReplays = try Self.items(aws).filter { ($0["id"]?.stringValue).map { $0 == "history" || $0.hasPrefix("day#") } ?? false }

        let today = String(ISO8601DateFormatter().string(from: Date()).prefix(10))
        let answer = try await updater.invoke(history)
        #expect(answer.statusCode == 200)
        #expect(answer.webSocketResponse?.body
            == #"{"visits":7,"visitors":3,"historySince":"\#(today)","history":[{"day":"\#(today)","visits":5,"visitors":1}]}"#,
            "\(processor.output.suffix(2000))")
        let pointer = try #require(afterReplays.first { $0["id"]?.stringValue == "history" })
        #expect(pointer["version"]?.intValue == 2, "the replays wrote nothing")
        #expect(pointer["openVisits"]?.intValue == 2 && pointer["visits"]?.intValue == 7)
        let day = try #require(afterReplays.first { $0["id"]?.stringValue == "day#\(today)" })
        #expect(day["visits"] == pointer["visits"] && day["openVisits"] == pointer["openVisits"])
    }

    /// A batch in which counter shard 1 changed: the processor reads the total.
    static func shardChanged(sequence: Int) -> [UInt8] {
        let record: [String: Any] = [
            "eventID": "\(sequence)", "eventName": "MODIFY", "eventVersion": "1.1", "eventSource": "aws:dynamodb", "awsRegion": "us-east-1",
            "dynamodb": ["Keys": ["id": ["S": "visitors#1"]], "NewImage": ["id": ["S": "visitors#1"], "visits": ["N": "1"]],
                         "SequenceNumber": String(sequence), "SizeBytes": 30, "StreamViewType": "NEW_IMAGE"],
        ]
        return Array((try? JSONSerialization.data(withJSONObject: ["Records": [record]])) ?? Data())
    }
}

/// Counter shard ids (`visitors`, `visitors#k`), as the tests tell them from markers.
enum CounterShardId {
    static func isShard(_ id: String) -> Bool { id == "visitors" || id.hasPrefix("visitors#") }
}

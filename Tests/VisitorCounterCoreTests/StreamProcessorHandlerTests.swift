import AWSClient
import Foundation
import LambdaEvents
import Synchronization
import Testing
import VisitorCounterCore

@Suite struct StreamProcessorHandlerTests {
    let store = InMemoryCounterStore()
    let channel = RecordingPushChannel()
    let emitted = LogLines()
    let now: Int64 = 1_800_000_000_000

    func handler(concurrency: Int = 64, liveViewers: Bool = false, shards: Int = 1) -> StreamProcessorHandler {
        let emitted = emitted
        store.state.withLock { $0.liveViewers = liveViewers }
        return StreamProcessorHandler(
            configuration: FunctionConfiguration(
                liveViewers: liveViewers, websocketAPIEndpoint: "https://x/prod", fanoutConcurrency: concurrency, counterShards: shards),
            store: store, channel: channel, functionName: "DBStreamProcessor", now: { [now] in now },
            emit: { emitted.append(Array($0.utf8)) })
    }

    func connect(_ ids: [String], connectedAt: Int64 = 1_700_000_000_000, expiresAt: Int64? = nil) {
        store.state.withLock { s in
            for id in ids {
                s.connections[id] = connectedAt
                s.expiresAt[id] = expiresAt
            }
        }
    }

    /// The summary lines emitted so far, decoded.
    func summaries() throws -> [[String: Any]] {
        try emitted.all.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
    }

    @Test func fiveChangesMakeOneBroadcastOfTheNewest() throws {
        connect(["AAAAAAAAAAAAAAA=", "BBBBBBBBBBBBBBB="])
        let records = (1...5).map { Fixtures.counterRecord(visits: String(100 + $0), sequence: String(1000 + $0)) }
        _ = try handler().handle(DynamoDBStreamEvent(records: records.shuffled()), context: Fixtures.context())
        channel.state.withLock { s in
            #expect(s.broadcasts == 1)
            #expect(s.received["AAAAAAAAAAAAAAA="] == [#"{"visits":105}"#])
            #expect(s.received["BBBBBBBBBBBBBBB="] == [#"{"visits":105}"#])
        }
    }

    @Test func sequenceNumbersCompareAsNumbersWhateverTheirLength() throws {
        connect(["AAAAAAAAAAAAAAA="])
        let records = [
            Fixtures.counterRecord(visits: "7", sequence: "999999999999999999999"),
            Fixtures.counterRecord(visits: "9", sequence: "1000000000000000000000"),
            Fixtures.counterRecord(visits: "8", sequence: "99999999999999999999"),
        ]
        _ = try handler().handle(DynamoDBStreamEvent(records: records), context: Fixtures.context())
        #expect(channel.state.withLock { $0.received["AAAAAAAAAAAAAAA="] } == [#"{"visits":9}"#])
    }

    @Test func theRecordedOutOfOrderBatchBroadcastsItsNewestCount() throws {
        connect(["AAAAAAAAAAAAAAA="])
        let event = try Fixtures.recorded("stream-batch.json", as: DynamoDBStreamEvent.self)
        _ = try handler().handle(event, context: Fixtures.context())
        #expect(channel.state.withLock { $0.received["AAAAAAAAAAAAAAA="] } == [#"{"visits":1042}"#])
    }

    @Test func liveIsTheNumberOfConnectionsFoundOpenNotTheStoredValue() throws {
        connect(["AAAAAAAAAAAAAAA=", "BBBBBBBBBBBBBBB="])
        let event = try Fixtures.recorded("stream-modify.json", as: DynamoDBStreamEvent.self)  // its image says live 7
        _ = try handler(liveViewers: true).handle(event, context: Fixtures.context())
        #expect(channel.state.withLock { $0.received["AAAAAAAAAAAAAAA="] } == [#"{"visits":1234,"live":2}"#])
        // Without live viewers no live count is sent, whatever the image holds.
        _ = try handler().handle(event, context: Fixtures.context())
        #expect(channel.state.withLock { $0.received["AAAAAAAAAAAAAAA="] }?.last == #"{"visits":1234}"#)
    }

    @Test func markersRemovesAndImagesWithoutVisitsAreIgnored() throws {
        connect(["AAAAAAAAAAAAAAA="])
        let records = [
            Fixtures.counterRecord(.insert, visits: nil, sequence: "5"),
            Fixtures.counterRecord(.insert, visits: "1", sequence: "6", id: "visit#abcdefgh"),
            Fixtures.counterRecord(.remove, visits: nil, sequence: "7"),
        ]
        _ = try handler().handle(DynamoDBStreamEvent(records: records), context: Fixtures.context())
        let first = try Fixtures.recorded("stream-first-insert.json", as: DynamoDBStreamEvent.self)
        _ = try handler().handle(first, context: Fixtures.context())
        #expect(channel.state.withLock { $0.broadcasts } == 0)
        // Still one summary line each: nothing sent, and why.
        let lines = try summaries()
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { $0["sent"] as? Int == 0 && ($0["reason"] as? String)?.hasPrefix("no counter change") == true })
    }

    @Test func goneConnectionsAreDeletedUnlessTheyAreYoung() throws {
        connect(["OLDOLDOLDOLDOLD=", "FINEFINEFINEFIN="], connectedAt: now - 60_000)
        connect(["YOUNGYOUNGYOUNG="], connectedAt: now - 2_000)
        channel.state.withLock { $0.gone = ["OLDOLDOLDOLDOLD=", "YOUNGYOUNGYOUNG="] }
        _ = try handler().handle(DynamoDBStreamEvent(records: [Fixtures.counterRecord(visits: "3", sequence: "1")]), context: Fixtures.context())
        store.state.withLock { s in
            #expect(s.removed == ["OLDOLDOLDOLDOLD="])
            #expect(s.connections.keys.sorted() == ["FINEFINEFINEFIN=", "YOUNGYOUNGYOUNG="])
        }
    }

    @Test func oneFailingConnectionDoesNotStopTheOthersAndTheSummaryCountsIt() throws {
        let ids = (0..<20).map { String(format: "CONN%011d=", $0) }
        connect(ids)
        channel.state.withLock { s in
            s.failing = [ids[3]: AWSClientError(code: .service, status: 500, awsCode: "InternalServerError", message: "boom")]
            s.gone = [ids[7], ids[8]]
        }
        _ = try handler(concurrency: 8).handle(
            DynamoDBStreamEvent(records: [Fixtures.counterRecord(visits: "12", sequence: "1")]), context: Fixtures.context())
        #expect(channel.state.withLock { $0.received.count } == 17)
        #expect(channel.state.withLock { $0.concurrency } == [8])

        let summary = try #require(try summaries().first)
        // Lambda's log-level filter reads `level` and an RFC 3339 `timestamp`: LogLevel=warn keeps this line.
        #expect(summary["level"] as? String == "WARN")
        #expect(summary["timestamp"] as? String == "2027-01-15T08:00:00.000Z")
        #expect(summary["reason"] as? String == "counter changed")
        #expect(summary["connections"] as? Int == 20)
        #expect(summary["sent"] as? Int == 17)
        #expect(summary["gone"] as? Int == 2)
        #expect(summary["failed"] as? Int == 1)
        #expect(summary["retries"] as? Int == 0)
        #expect(summary["durationMs"] is Int)
        let aws = try #require(summary["_aws"] as? [String: Any])
        #expect(aws["Timestamp"] as? Int == Int(now))
        let metrics = try #require((aws["CloudWatchMetrics"] as? [[String: Any]])?.first)
        #expect(metrics["Namespace"] as? String == "VisitorCounter")
        #expect(metrics["Dimensions"] as? [[String]] == [["FunctionName"]])
        let names = (metrics["Metrics"] as? [[String: String]])?.compactMap { $0["Name"] }
        #expect(names == ["connections", "sent", "gone", "failed", "retries", "durationMs"])
        #expect(summary["FunctionName"] as? String == "DBStreamProcessor")
    }

    @Test func aFailedScanFailsTheInvocationSoLambdaRetriesTheBatch() throws {
        store.state.withLock { $0.failNextConnections = true }
        #expect(throws: VisitorCounterError.self) {
            try handler().handle(DynamoDBStreamEvent(records: [Fixtures.counterRecord(visits: "1", sequence: "1")]), context: Fixtures.context())
        }
        #expect(channel.state.withLock { $0.broadcasts } == 0)
        #expect(try summaries().first?["reason"] as? String == "could not scan the connections: scan failed")
    }

    @Test func oneSampleReasonPerFailureKindIsLogged() throws {
        let ids = ["AAAAAAAAAAAAAAA=", "BBBBBBBBBBBBBBB=", "CCCCCCCCCCCCCCC=", "DDDDDDDDDDDDDDD="]
        connect(ids)
        let signing = AWSClientError(
            code: .service, status: 403, awsCode: "InvalidSignatureException", message: "authentication failed",
            operation: "ManagementAPI.PostToConnection")
        let throttled = AWSClientError(code: .service, status: 429, awsCode: "LimitExceededException", message: "Too Many Requests")
        // Two of each kind: one sample per kind.
        channel.state.withLock { $0.failing = [ids[0]: signing, ids[1]: throttled, ids[2]: signing, ids[3]: throttled] }
        _ = try handler().handle(DynamoDBStreamEvent(records: [Fixtures.counterRecord(visits: "1", sequence: "1")]), context: Fixtures.context())
        let errors = try #require(try summaries().first?["errors"] as? [String: String])
        #expect(errors == ["403 InvalidSignatureException": signing.description, "429 LimitExceededException": throttled.description])
        #expect(try summaries().first?["failed"] as? Int == 4)
    }

    @Test func withShardsAnyShardsChangeBroadcastsTheTotal() throws {
        connect(["AAAAAAAAAAAAAAA="])
        store.state.withLock { $0.visits = 4242 }
        // A record of shard 3 whose own image says 17: only a part of the total.
        let records = [Fixtures.counterRecord(visits: "17", sequence: "9", id: "visitors#3")]
        _ = try handler(shards: 8).handle(DynamoDBStreamEvent(records: records), context: Fixtures.context())
        #expect(channel.state.withLock { $0.received["AAAAAAAAAAAAAAA="] } == [#"{"visits":4242}"#])
    }

    @Test func rowsPastTheirExpiryAreNeitherPostedToNorCounted() throws {
        // A lost $disconnect: the row stays until DynamoDB's TTL deletes it, up to days late.
        connect(["OPENOPENOPENOPE="], expiresAt: now / 1000 + 600)
        connect(["LOSTLOSTLOSTLOS="], expiresAt: now / 1000 - 1)
        store.state.withLock { $0.live = 2 }
        _ = try handler(liveViewers: true).handle(
            DynamoDBStreamEvent(records: [Fixtures.counterRecord(visits: "5", sequence: "1")]), context: Fixtures.context())
        channel.state.withLock { s in
            #expect(s.received.keys.sorted() == ["OPENOPENOPENOPE="])
            #expect(s.received["OPENOPENOPENOPE="] == [#"{"visits":5,"live":1}"#])
        }
        #expect(store.state.withLock { $0.live } == 1)
        let summary = try #require(try summaries().first)
        #expect(summary["expired"] as? Int == 1 && summary["connections"] as? Int == 1 && summary["liveCorrection"] as? Int == -1)
    }

    @Test func aStoredLiveCountAboveTheOpenConnectionsConvergesToThem() throws {
        let ids = (0..<50).map { "OPEN\(String(100_000_000_000 + $0))=" }
        connect(ids)
        store.state.withLock { $0.live = 80 }
        _ = try handler(liveViewers: true).handle(
            DynamoDBStreamEvent(records: [Fixtures.counterRecord(visits: "900", sequence: "1")]), context: Fixtures.context())
        #expect(channel.state.withLock { s in ids.allSatisfy { s.received[$0] == [#"{"visits":900,"live":50}"#] } })
        store.state.withLock { s in
            #expect(s.live == 50)
            #expect(s.corrections == [-30])
        }
    }

    @Test func liveViewersTurnedOnWithConnectionsOpenStopsBelowZero() throws {
        // Three connections made before LIVE_VIEWERS was on left: their $disconnects took live to -3.
        connect(["AAAAAAAAAAAAAAA=", "BBBBBBBBBBBBBBB="])
        store.state.withLock { $0.live = -3 }
        _ = try handler(liveViewers: true).handle(
            DynamoDBStreamEvent(records: [Fixtures.counterRecord(visits: "7", sequence: "1")]), context: Fixtures.context())
        #expect(channel.state.withLock { $0.received["AAAAAAAAAAAAAAA="] } == [#"{"visits":7,"live":2}"#])
        #expect(store.state.withLock { $0.live } == 2)
    }

    @Test func aConnectThatCommittedAndThenFailedIsDeletedOnceAndNotCountedTwice() throws {
        // Its transaction counted it (row and live), then API Gateway refused the connection: no $disconnect
        // ever comes, and a post to it answers 410.
        connect(["FAILEDCONNECTIO="], connectedAt: now - 60_000)
        connect(["AAAAAAAAAAAAAAA="])
        store.state.withLock { $0.live = 2 }
        channel.state.withLock { $0.gone = ["FAILEDCONNECTIO="] }
        _ = try handler(liveViewers: true).handle(
            DynamoDBStreamEvent(records: [Fixtures.counterRecord(visits: "3", sequence: "1")]), context: Fixtures.context())
        store.state.withLock { s in
            #expect(s.connections.keys.sorted() == ["AAAAAAAAAAAAAAA="])
            // The delete took one off; the stored value agreed with the rest, so no correction.
            #expect(s.live == 1)
            #expect(s.corrections.isEmpty)
        }
    }

    @Test func aBatchOfOnlyCorrectionsIsNotBroadcastSoCorrectionsCannotLoop() throws {
        connect(["AAAAAAAAAAAAAAA="])
        var correction = Fixtures.counterRecord(visits: "10", live: "1", sequence: "5")
        correction.dynamodb.newImage?[CounterChange.correctionAttribute] = .bool(true)
        _ = try handler(liveViewers: true).handle(DynamoDBStreamEvent(records: [correction]), context: Fixtures.context())
        #expect(channel.state.withLock { $0.broadcasts } == 0)
        #expect(try summaries().first?["reason"] as? String == "only live corrections in the batch: already broadcast")
        // With an ordinary change beside it, the batch is broadcast.
        let visit = Fixtures.counterRecord(visits: "11", sequence: "6")
        _ = try handler(liveViewers: true).handle(DynamoDBStreamEvent(records: [correction, visit]), context: Fixtures.context())
        #expect(channel.state.withLock { $0.received["AAAAAAAAAAAAAAA="] } == [#"{"visits":11,"live":1}"#])
    }
}

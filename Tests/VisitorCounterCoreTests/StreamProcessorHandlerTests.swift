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

    func handler(concurrency: Int = 64) -> StreamProcessorHandler {
        let emitted = emitted
        return StreamProcessorHandler(
            configuration: FunctionConfiguration(websocketAPIEndpoint: "https://x/prod", fanoutConcurrency: concurrency),
            store: store, channel: channel, functionName: "DBStreamProcessor", now: { [now] in now },
            emit: { emitted.append(Array($0.utf8)) })
    }

    func connect(_ ids: [String], connectedAt: Int64 = 1_700_000_000_000) {
        store.state.withLock { s in for id in ids { s.connections[id] = connectedAt } }
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

    @Test func liveIsSentWhenTheImageHasIt() throws {
        connect(["AAAAAAAAAAAAAAA="])
        let event = try Fixtures.recorded("stream-modify.json", as: DynamoDBStreamEvent.self)
        _ = try handler().handle(event, context: Fixtures.context())
        #expect(channel.state.withLock { $0.received["AAAAAAAAAAAAAAA="] } == [#"{"visits":1234,"live":7}"#])
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
        #expect(emitted.all.isEmpty)
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
            s.failing = [ids[3]]
            s.gone = [ids[7], ids[8]]
        }
        _ = try handler(concurrency: 8).handle(
            DynamoDBStreamEvent(records: [Fixtures.counterRecord(visits: "12", sequence: "1")]), context: Fixtures.context())
        #expect(channel.state.withLock { $0.received.count } == 17)
        #expect(channel.state.withLock { $0.concurrency } == [8])

        let line = try #require(emitted.all.first)
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
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

    @Test func aFailedScanFailsTheInvocationSoLambdaRetriesTheBatch() {
        store.state.withLock { $0.failNextConnections = true }
        #expect(throws: VisitorCounterError.self) {
            try handler().handle(DynamoDBStreamEvent(records: [Fixtures.counterRecord(visits: "1", sequence: "1")]), context: Fixtures.context())
        }
        #expect(channel.state.withLock { $0.broadcasts } == 0)
    }
}

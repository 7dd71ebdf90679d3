import Foundation
import LambdaEvents
import Synchronization
import Testing
import VisitorCounterCore

/// DBStreamProcessor's history under delivery as the event source mapping does it: batches delivered
/// again, and a failed history write retried through the batch (docs/design.md §3, "History").
@Suite struct HistoryRetryTests {
    let store = InMemoryCounterStore()
    let channel = RecordingPushChannel()
    let emitted = LogLines()
    let clock = TestClock(1_764_633_600_000 + 3_600_000)  // 2025-12-02T01:00:00Z

    func processor() -> StreamProcessorHandler {
        let emitted = emitted
        let clock = clock
        return StreamProcessorHandler(
            configuration: FunctionConfiguration(websocketAPIEndpoint: "https://x/prod"), store: store, channel: channel,
            functionName: "DBStreamProcessor", now: { clock.read() }, emit: { emitted.append(Array($0.utf8)) })
    }

    func batch(visits: Int, sequence: Int) -> DynamoDBStreamEvent {
        DynamoDBStreamEvent(records: [Fixtures.counterRecord(visits: String(visits), sequence: String(sequence))])
    }

    /// The stored days, by day, as (opening, latest) visits.
    var days: [String: HistoryDay] { store.state.withLock { $0.days } }

    /// The sum of every recorded day's figure.
    var sumOfDays: Int64 { days.values.reduce(0) { $0 + $1.figures.visits } }

    var pointer: HistoryPointer? { store.state.withLock { $0.history } }

    @Test func aBatchDeliveredTwiceChangesNothing() throws {
        store.state.withLock { $0.connections["AAAAAAAAAAAAAAA="] = 1_764_633_000_000 }
        let h = processor()
        _ = try h.handle(batch(visits: 10, sequence: 1), context: Fixtures.context())
        _ = try h.handle(batch(visits: 15, sequence: 2), context: Fixtures.context())
        let recorded = (days, pointer)
        // Both batches again, in order and out of order, later the same day and on the next day.
        _ = try h.handle(batch(visits: 15, sequence: 2), context: Fixtures.context())
        _ = try h.handle(batch(visits: 10, sequence: 1), context: Fixtures.context())
        clock.advance(by: 86_400_000)
        _ = try h.handle(batch(visits: 10, sequence: 1), context: Fixtures.context())
        _ = try h.handle(batch(visits: 15, sequence: 2), context: Fixtures.context())
        #expect(days == recorded.0)
        #expect(pointer == recorded.1)
        #expect(days["2025-12-02"]?.figures.visits == 5)
        #expect(pointer?.version == 2)
    }

    @Test func aFailedHistoryWriteFailsTheBatchAndItsRetryRecordsExactlyWhatWouldHaveBeenRecorded() throws {
        store.state.withLock { $0.connections["AAAAAAAAAAAAAAA="] = 1_764_633_000_000 }
        let h = processor()
        _ = try h.handle(batch(visits: 10, sequence: 1), context: Fixtures.context())  // history begins at 10
        store.state.withLock { $0.failingHistoryWrites = 1 }
        #expect(throws: VisitorCounterError.self) { _ = try h.handle(batch(visits: 17, sequence: 2), context: Fixtures.context()) }
        // The pages got the count; the history has not got it yet, and the summary line says why.
        #expect(channel.state.withLock { $0.received["AAAAAAAAAAAAAAA="] } == [#"{"visits":10}"#, #"{"visits":17}"#])
        #expect(days["2025-12-02"]?.latest.visits == 10)
        let failed = try #require(emitted.all.last)
        #expect(failed.contains("could not record the history"))

        // The mapping delivers the same batch again: recorded now, the broadcast repeated with the same message.
        _ = try h.handle(batch(visits: 17, sequence: 2), context: Fixtures.context())
        #expect(days["2025-12-02"]?.latest.visits == 17)
        #expect(days["2025-12-02"]?.figures.visits == 7)
        #expect(channel.state.withLock { $0.received["AAAAAAAAAAAAAAA="] }?.suffix(2) == [#"{"visits":17}"#, #"{"visits":17}"#])
        #expect(pointer?.version == 2)
        #expect(sumOfDays == 17 - 10)
    }

    @Test func aFailedWriteJustBeforeMidnightKeepsItsVisitsOnTheirDayWhenRetriedBeforeIt() throws {
        clock.advance(by: 22 * 3_600_000 + 59 * 60_000)  // 23:59
        let h = processor()
        _ = try h.handle(batch(visits: 100, sequence: 1), context: Fixtures.context())
        store.state.withLock { $0.failingHistoryWrites = 1 }
        #expect(throws: VisitorCounterError.self) { _ = try h.handle(batch(visits: 130, sequence: 2), context: Fixtures.context()) }
        clock.advance(by: 1_000)  // the retry, a second later
        _ = try h.handle(batch(visits: 130, sequence: 2), context: Fixtures.context())
        clock.advance(by: 60_000)  // 00:00:01 the next day
        _ = try h.handle(batch(visits: 131, sequence: 3), context: Fixtures.context())
        #expect(days["2025-12-02"]?.figures.visits == 30)
        #expect(days["2025-12-03"]?.figures.visits == 1)
        #expect(sumOfDays == 131 - 100)
    }

    @Test func aBatchGivenUpOnLosesNoVisitFromTheSumTheNextRecordIncludesIt() throws {
        let h = processor()
        _ = try h.handle(batch(visits: 50, sequence: 1), context: Fixtures.context())
        // Every delivery of the batch (the first and MaximumRetryAttempts = 2 retries) fails to record:
        // the mapping sends its description to the failed-batch queue.
        store.state.withLock { $0.failingHistoryWrites = 3 }
        for _ in 0..<3 {
            #expect(throws: VisitorCounterError.self) { _ = try h.handle(batch(visits: 60, sequence: 2), context: Fixtures.context()) }
        }
        #expect(days["2025-12-02"]?.latest.visits == 50)
        _ = try h.handle(batch(visits: 61, sequence: 3), context: Fixtures.context())
        #expect(days["2025-12-02"]?.figures.visits == 11)
        #expect(sumOfDays == 61 - 50)
    }

    @Test func aFailedHistoryWriteStillLetsTheCleanUpRunBeforeTheBatchFails() throws {
        store.state.withLock { s in
            // Connected over an hour before: old enough to be deleted when the post answers 410.
            s.connections["AAAAAAAAAAAAAAA="] = 1_764_633_000_000
            s.connections["BBBBBBBBBBBBBBB="] = 1_764_633_000_000
            s.failingHistoryWrites = 1
        }
        channel.state.withLock { $0.gone = ["BBBBBBBBBBBBBBB="] }
        #expect(throws: VisitorCounterError.self) { _ = try processor().handle(batch(visits: 17, sequence: 1), context: Fixtures.context()) }
        store.state.withLock { s in
            #expect(s.removed == ["BBBBBBBBBBBBBBB="])
            #expect(s.connections["BBBBBBBBBBBBBBB="] == nil)
            #expect(s.recordedTotals.map(\.0) == [HistoryTotals(visits: 17)])
        }
    }
}

import Foundation
import Synchronization
import Testing

@testable import LocalGateway

/// The stream poller's start: the gateway says "ready" only after it, so a record written once `start`
/// has returned must be delivered, however slow the stream is to answer at first.
@Suite(.timeLimit(.minutes(1)))
struct StreamPollerTests {
    /// One open shard whose records the test appends; the first call is slow, as moto can be under load.
    final class SlowStream: StreamSource, Sendable {
        let records = Mutex<[JSONValue]>([])
        let firstCallDelay: Double

        init(firstCallDelay: Double) { self.firstCallDelay = firstCallDelay }

        func append(sequence: Int) {
            let record: JSONValue = .object([
                "eventName": .string("MODIFY"),
                "dynamodb": .object([
                    "Keys": .object(["id": .object(["S": .string("visitors")])]),
                    "SequenceNumber": .string(String(sequence)),
                ]),
            ])
            records.withLock { $0.append(record) }
        }

        func ensureTable(_ table: TablesConfiguration.Table) throws -> Bool { false }

        func latestStreamArn(table: String) throws -> String? {
            Thread.sleep(forTimeInterval: firstCallDelay)
            return "arn:aws:dynamodb:us-east-1:000000000000:table/\(table)/stream/test"
        }

        func shards(streamArn: String) throws -> [(id: String, isOpen: Bool)] { [(id: "shard-1", isOpen: true)] }

        /// The iterator is the index of the first record to return.
        func shardIterator(streamArn: String, shardId: String, after: String?) throws -> String {
            guard let after, let last = Int(after) else { return "0" }
            return String(records.withLock { $0.firstIndex { Int($0["dynamodb"]?["SequenceNumber"]?.stringValue ?? "") ?? 0 > last } ?? $0.count })
        }

        func records(iterator: String) throws -> (records: [JSONValue], next: String?) {
            let start = Int(iterator) ?? 0
            let page = records.withLock { Array($0[min(start, $0.count)...]) }
            return (page, String(start + page.count))
        }
    }

    /// Records every batch it is handed.
    final class Recorder: StreamBatchTarget {
        let batches = Mutex<[String]>([])

        func invoke(_ payload: [UInt8], detail: String) async -> HostedFunction.Outcome {
            batches.withLock { $0.append(String(decoding: payload, as: UTF8.self)) }
            return HostedFunction.Outcome(statusCode: 200, body: nil, raw: Array(#"{"batchItemFailures":[]}"#.utf8), failed: false)
        }
    }

    @Test func aRecordWrittenOnceStartReturnedIsDeliveredAndOlderOnesAreNot() async throws {
        let stream = SlowStream(firstCallDelay: 0.5)
        stream.append(sequence: 100)  // there before the mapping: skipped, as with StartingPosition LATEST
        let recorder = Recorder()
        let mapping = TablesConfiguration.StreamMapping(
            table: "VisitorCount", batchSize: 100, maximumBatchingWindowInSeconds: 0, maximumRetryAttempts: 0, filters: [])
        let poller = StreamPoller(mapping: mapping, function: recorder)
        let started = ContinuousClock.now
        await poller.start { stream }
        defer { poller.stop() }
        // `start` waited for the reader to take its position, slow first answer included.
        #expect(ContinuousClock.now - started >= .milliseconds(450))
        stream.append(sequence: 101)

        let deadline = ContinuousClock.now + .seconds(10)
        while recorder.batches.withLock({ $0.isEmpty }), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        let batches = recorder.batches.withLock { $0 }
        #expect(batches.count == 1)
        #expect(batches.first?.contains(#""SequenceNumber":"101""#) == true)
        #expect(batches.first?.contains(#""SequenceNumber":"100""#) == false)
    }
}

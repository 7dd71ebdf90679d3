import AWSClient
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LambdaEvents
import LambdaRuntime

/// DBStreamProcessor: pushes the newest count of a stream batch to every open connection and records it
/// in the daily history (docs/design.md §5).
package struct StreamProcessorHandler: LambdaHandler {
    public typealias Event = DynamoDBStreamEvent
    public typealias Output = DynamoDBBatchResponse

    /// A connection that answers 410 this soon after connecting may still be inside its `$connect`
    /// (API Gateway only accepts posts once `$connect` returned); TTL removes it if it really is gone.
    package static let youngConnectionMilliseconds: Int64 = 10_000

    public let configuration: FunctionConfiguration
    public let store: any CounterStore
    public let channel: any PushChannel
    /// Wall-clock epoch milliseconds (injectable for tests).
    public let now: @Sendable () -> Int64
    /// `AWS_LAMBDA_FUNCTION_NAME`, the metric dimension.
    public let functionName: String?
    /// Where the summary line goes (stdout in Lambda).
    package let emit: @Sendable (String) -> Void

    public init(
        configuration: FunctionConfiguration, store: any CounterStore, channel: any PushChannel,
        functionName: String? = nil, now: @escaping @Sendable () -> Int64 = WallClock.epochMilliseconds,
        emit: @escaping @Sendable (String) -> Void = ProcessGlue.writeLine
    ) {
        self.configuration = configuration
        self.store = store
        self.channel = channel
        self.functionName = functionName
        self.now = now
        self.emit = emit
    }

    public func handle(_ event: DynamoDBStreamEvent, context: LambdaContext) throws -> DynamoDBBatchResponse {
        let started = ContinuousClock.now
        var summary = BroadcastSummary()
        // One summary line for every invocation, whatever happens below (a thrown error included).
        defer {
            let elapsed = (ContinuousClock.now - started).components
            summary.durationMs = elapsed.seconds * 1000 + elapsed.attoseconds / 1_000_000_000_000_000
            emit(summary.logLine(timestamp: now(), functionName: functionName))
        }
        // Keep a margin to delete gone connections, correct the live count and report before Lambda's own timeout.
        let deadline = context.deadlineInstant - .milliseconds(500)
        let counter: CounterSnapshot
        switch CounterChange.of(event.records, shards: configuration.counterShards.count) {
        case .none:
            summary.reason = "no counter change in the batch (\(event.records.count) records)"
            return DynamoDBBatchResponse(batchItemFailures: [])
        case .correctionsOnly:
            summary.reason = "only live corrections in the batch: already broadcast"
            return DynamoDBBatchResponse(batchItemFailures: [])
        case .newest(let visits, let visitors):
            counter = CounterSnapshot(visits: visits, visitors: visitors)
        case .readTotal:
            do {
                counter = try store.readCounter(deadline: deadline)
            } catch {
                summary.reason = "could not read the counter: \(error)"
                throw error
            }
        }
        // The day the total belongs to is the day it was read (after the read: never a later visit on an earlier day).
        let observedDay = UTCDay(epochMilliseconds: now())
        let visits = counter.visits
        let visitors = configuration.uniqueVisitors ? counter.visitors ?? "0" : nil
        // "Young" is judged against when the posts went out, not when the deletes run after them.
        let postedAt = now()
        let rows: [StoredConnection]
        do {
            rows = try store.connections(deadline: deadline)
        } catch {
            summary.reason = "could not scan the connections: \(error)"
            throw error
        }
        let open = rows.filter { !$0.isExpired(atEpochSeconds: postedAt / 1000) }
        summary.expired = rows.count - open.count
        summary.connections = open.count
        let live = configuration.liveViewers ? open.count : nil
        summary.live = live
        guard let message = CounterMessage(visits: visits, live: live.map(String.init), visitors: visitors) else {
            summary.reason = "the counter holds a value that is not a count"
            throw VisitorCounterError(.storage, "the counter holds a value that is not a count: \(visits.prefix(40))")
        }
        if open.isEmpty { summary.reason = "no open connections" }
        // Posts are retried until shortly before their own deadline; a fifth of the time left (at most 3 s)
        // stays for deleting gone connections and correcting the live count afterwards.
        let broadcastDeadline = deadline - min(.seconds(3), ContinuousClock.now.duration(to: deadline) / 5)
        let report = channel.broadcast(
            message.bytes, to: open.map(\.connectionId), concurrency: configuration.fanoutConcurrency, deadline: broadcastDeadline)
        summary.broadcast = report
        // The history first: deleting many gone connections one by one may use up the time left, and a
        // history write that ran out of it would fail the batch. A failure is thrown after the clean-up.
        var historyFailure: VisitorCounterError?
        do {
            try recordHistory(visits: visits, visitors: visitors, day: observedDay, deadline: deadline, summary: &summary)
        } catch {
            historyFailure = error
        }
        let deleted = removeGone(report.goneConnectionIds, connections: open, postedAt: postedAt, deadline: deadline, context: context)
        if let live {
            summary.liveCorrection = convergeLive(to: live - deleted, deadline: deadline, context: context)
        }
        if let historyFailure { throw historyFailure }
        return DynamoDBBatchResponse(batchItemFailures: [])
    }

    /// Records the total broadcast as the day's latest (docs/design.md, "History"), after the broadcast so
    /// the pages do not wait for it.
    ///
    /// A failure fails the invocation, so that the event source mapping delivers the batch again and the
    /// total is recorded then: a lost record would not change the sum of the days (figures are differences
    /// of totals, and the next record includes this one's), but it could move this batch's visits to a later
    /// day, the one of the next change. Recording is idempotent (a total that raises nothing writes
    /// nothing), so the batch delivered again changes nothing but the missing record; its broadcast repeats
    /// the same message to the pages.
    private func recordHistory(
        visits: String, visitors: String?, day: UTCDay, deadline: ContinuousClock.Instant, summary: inout BroadcastSummary
    ) throws(VisitorCounterError) {
        guard let visits = Int64(visits) else { return }
        do {
            try store.recordHistory(HistoryTotals(visits: visits, visitors: visitors.flatMap { Int64($0) }), today: day, deadline: deadline)
        } catch {
            summary.reason = "broadcast, but could not record the history (the batch is retried): \(error)"
            throw error
        }
    }

    /// Brings the stored live count to `target` (the connections found open, less those this invocation
    /// deleted, whose deletes already took one off each). Returns the correction written; nil when the
    /// stored value could not be read or written (logged; the next broadcast corrects it).
    private func convergeLive(to target: Int, deadline: ContinuousClock.Instant, context: LambdaContext) -> Int64? {
        do {
            let stored = try store.readCounter(deadline: deadline).live ?? 0
            let delta = Int64(target) - stored
            if delta != 0 { try store.correctLive(by: delta, deadline: deadline) }
            return delta
        } catch {
            context.logger.warn("could not correct the live count", ["error": .string(error.description)])
            return nil
        }
    }

    /// Deletes gone connections, except young ones; a failed delete is logged, never fatal (TTL cleans up).
    /// Returns how many this invocation deleted.
    private func removeGone(
        _ gone: [String], connections: [StoredConnection], postedAt: Int64, deadline: ContinuousClock.Instant,
        context: LambdaContext
    ) -> Int {
        guard !gone.isEmpty else { return 0 }
        let connectedAt = Dictionary(connections.map { ($0.connectionId, $0.connectedAt) }, uniquingKeysWith: { a, _ in a })
        let cutoff = postedAt - Self.youngConnectionMilliseconds
        var deleted = 0
        for id in gone {
            if let at = connectedAt[id] ?? nil, at > cutoff { continue }
            do {
                if try store.removeGoneConnection(id, deadline: deadline) { deleted += 1 }
            } catch {
                context.logger.warn("could not delete gone connection", ["error": .string(error.description)])
            }
        }
        return deleted
    }
}

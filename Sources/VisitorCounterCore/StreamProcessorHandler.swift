#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LambdaEvents
import LambdaRuntime

/// DBStreamProcessor: pushes the newest count of a stream batch to every open connection (DESIGN §5).
public struct StreamProcessorHandler: LambdaHandler {
    public typealias Event = DynamoDBStreamEvent
    public typealias Output = DynamoDBBatchResponse

    /// A connection that answers 410 this soon after connecting may still be inside its `$connect`
    /// (API Gateway only accepts posts once `$connect` returned); TTL removes it if it really is gone.
    public static let youngConnectionMilliseconds: Int64 = 10_000

    public let configuration: FunctionConfiguration
    public let store: any CounterStore
    public let channel: any PushChannel
    /// Wall-clock epoch milliseconds (injectable for tests).
    public let now: @Sendable () -> Int64
    /// `AWS_LAMBDA_FUNCTION_NAME`, the metric dimension.
    public let functionName: String?
    /// Where the summary line goes (stdout in Lambda).
    public let emit: @Sendable (String) -> Void

    public init(
        configuration: FunctionConfiguration, store: any CounterStore, channel: any PushChannel,
        functionName: String? = nil, now: @escaping @Sendable () -> Int64 = WallClock.epochMilliseconds,
        emit: @escaping @Sendable (String) -> Void = StreamProcessorHandler.writeLine
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
        // "Young" is judged against when the posts went out, not when the deletes run after them.
        let postedAt = now()
        guard let message = NewestCount.message(in: event.records) else {
            context.logger.debug("no counter change in batch", ["records": .int(event.records.count)])
            return DynamoDBBatchResponse(batchItemFailures: [])
        }
        // Keep a margin to delete gone connections and report before Lambda's own timeout.
        let deadline = context.deadlineInstant - .milliseconds(500)
        let connections = try store.connections(deadline: deadline)
        let report = channel.broadcast(
            message.bytes, to: connections.map(\.connectionId),
            concurrency: configuration.fanoutConcurrency, deadline: deadline)

        var summary = BroadcastSummary()
        summary.connections = connections.count
        summary.sent = report.sent
        summary.gone = report.gone.count
        summary.failed = report.failed
        summary.retries = report.retries
        removeGone(report.gone, connections: connections, postedAt: postedAt, deadline: deadline, context: context)
        summary.durationMs = Int64((ContinuousClock.now - started).components.seconds * 1000)
            + Int64((ContinuousClock.now - started).components.attoseconds / 1_000_000_000_000_000)
        emit(summary.logLine(timestamp: now(), functionName: functionName))
        return DynamoDBBatchResponse(batchItemFailures: [])
    }

    /// Writes one line to stdout unbuffered, in one `write(2)`, so it is never held back in a pipe nor
    /// interleaved with the logger's lines.
    @Sendable public static func writeLine(_ line: String) {
        var bytes = Array(line.utf8)
        bytes.append(UInt8(ascii: "\n"))
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
            if written <= 0 { return }
            offset += written
        }
    }

    /// Deletes gone connections, except young ones; a failed delete is logged, never fatal (TTL cleans up).
    private func removeGone(
        _ gone: [String], connections: [StoredConnection], postedAt: Int64, deadline: ContinuousClock.Instant,
        context: LambdaContext
    ) {
        guard !gone.isEmpty else { return }
        let connectedAt = Dictionary(connections.map { ($0.connectionId, $0.connectedAt) }, uniquingKeysWith: { a, _ in a })
        let cutoff = postedAt - Self.youngConnectionMilliseconds
        for id in gone {
            if let at = connectedAt[id] ?? nil, at > cutoff { continue }
            do {
                try store.removeGoneConnection(id, deadline: deadline)
            } catch {
                context.logger.warn("could not delete gone connection", ["error": .string(error.description)])
            }
        }
    }
}

import Foundation
import Synchronization

/// Polls a table's stream the way a Lambda event source mapping does: every shard from LATEST,
/// records filtered by the mapping's FilterCriteria, batched up to BatchSize or until the batching
/// window has passed since the batch's first record, `eventSourceARN` added, and the batch handed to
/// the function as `{"Records": [...]}`; a failed batch is retried up to MaximumRetryAttempts.
/// Runs on its own thread: the AWS client is blocking by design.
final class StreamPoller: Sendable {
    let mapping: TablesConfiguration.StreamMapping
    let function: HostedFunction
    private let filter: EventFilter
    private let stopped = Mutex(false)
    /// The pause between polls of a quiet stream (Lambda polls DynamoDB streams 4 times a second).
    static let pollInterval = 0.25

    init(mapping: TablesConfiguration.StreamMapping, function: HostedFunction) {
        self.mapping = mapping
        self.function = function
        filter = EventFilter(patterns: mapping.filters)
    }

    /// Starts polling on a new thread with a source made there (a source belongs to one thread).
    func start(makeSource: @escaping @Sendable () throws -> any StreamSource) {
        let thread = Thread { [self] in
            do {
                try run(makeSource())
            } catch {
                GatewayLog.line("stream poller stopped: \(error)")
            }
        }
        thread.name = "stream-poller"
        thread.start()
    }

    /// Asks the poller to stop after the current poll.
    func stop() { stopped.withLock { $0 = true } }

    private var isStopped: Bool { stopped.withLock { $0 } }

    private func run(_ source: any StreamSource) throws {
        var streamArn: String?
        var iterators: [String: String] = [:]   // open shard id → iterator
        var knownShards: Set<String> = []
        var pending: [JSONValue] = []
        var batchStarted: Date?
        var starting = true
        while !isStopped {
            do {
                if streamArn == nil { streamArn = try source.latestStreamArn(table: mapping.table) }
                guard let arn = streamArn else { throw GatewayError(.stream, "table \(mapping.table) has no stream") }
                if iterators.isEmpty {
                    // At start every shard begins at LATEST; shards that appear later are read from their start.
                    for shard in try source.shards(streamArn: arn) where shard.isOpen && !knownShards.contains(shard.id) {
                        iterators[shard.id] = try source.shardIterator(streamArn: arn, shardId: shard.id, latest: starting)
                        knownShards.insert(shard.id)
                    }
                    starting = false
                }
                for (shard, iterator) in iterators {
                    let page = try source.records(iterator: iterator)
                    iterators[shard] = page.next
                    for record in page.records where filter.allows(record) {
                        pending.append(Self.withSource(record, arn: arn))
                    }
                }
            } catch {
                GatewayLog.line("stream poll failed: \(error)")
                iterators = [:]
                Thread.sleep(forTimeInterval: 1)
            }
            if !pending.isEmpty, batchStarted == nil { batchStarted = Date() }
            if let started = batchStarted,
                pending.count >= mapping.batchSize
                    || Date().timeIntervalSince(started) >= mapping.maximumBatchingWindowInSeconds
            {
                let batch = Array(pending.prefix(mapping.batchSize))
                pending.removeFirst(batch.count)
                batchStarted = pending.isEmpty ? nil : Date()
                deliver(batch)
            } else {
                Thread.sleep(forTimeInterval: Self.pollInterval)
            }
        }
    }

    /// Lambda adds the stream's ARN to every record it hands a function.
    static func withSource(_ record: JSONValue, arn: String) -> JSONValue {
        guard case .object(var members) = record else { return record }
        members["eventSourceARN"] = .string(arn)
        return .object(members)
    }

    /// Invokes the function with the batch, retrying a failed invocation up to MaximumRetryAttempts.
    private func deliver(_ batch: [JSONValue]) {
        let payload = (try? Array(JSONEncoder().encode(JSONValue.object(["Records": .array(batch)])))) ?? []
        for attempt in 0...max(0, mapping.maximumRetryAttempts) where !isStopped {
            let outcome = Self.wait { await self.function.invoke(payload, detail: "batch=\(batch.count)") }
            if !outcome.failed { return }
            GatewayLog.line("batch of \(batch.count) failed (attempt \(attempt + 1))")
            Thread.sleep(forTimeInterval: 0.5)
        }
        GatewayLog.line("batch of \(batch.count) dropped after \(mapping.maximumRetryAttempts) retries")
    }

    /// Runs async work from this (non-async) thread and waits for it.
    private static func wait(_ work: @escaping @Sendable () async -> HostedFunction.Outcome) -> HostedFunction.Outcome {
        let result = Mutex<HostedFunction.Outcome?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task {
            let outcome = await work()
            result.withLock { $0 = outcome }
            done.signal()
        }
        done.wait()
        return result.withLock { $0 } ?? HostedFunction.Outcome(statusCode: 500, body: nil, raw: [], failed: true)
    }
}

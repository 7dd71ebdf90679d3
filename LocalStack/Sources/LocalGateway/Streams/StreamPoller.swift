import Foundation
import Synchronization

/// Polls a table's stream the way a Lambda event source mapping does: every shard from LATEST,
/// records filtered by the mapping's FilterCriteria, batched up to BatchSize or until the batching
/// window has passed since the batch's first record, `eventSourceARN` added, and the batch handed to
/// the function as `{"Records": [...]}`; a failed batch is retried up to MaximumRetryAttempts.
/// Runs on its own thread: the AWS client is blocking by design.
///
/// Each poll asks for a fresh iterator just after the last sequence number read, instead of following
/// `NextShardIterator`: moto's iterators hold on to a shard object that a cancelled transaction
/// replaces (it restores a copy of the table), so a followed iterator would go blind after the first
/// repeated visit — and would even deliver the cancelled transaction's update.
final class StreamPoller: Sendable {
    let mapping: TablesConfiguration.StreamMapping
    let function: any StreamBatchTarget
    private let filter: EventFilter
    private let stopped = Mutex(false)
    /// The polling thread is running.
    private let running = Mutex(false)
    /// The pause between polls of a quiet stream (Lambda polls DynamoDB streams 4 times a second).
    static let pollInterval = 0.25
    /// How often the stream is described again to find new shards.
    static let shardRefreshInterval = 10.0

    init(mapping: TablesConfiguration.StreamMapping, function: any StreamBatchTarget) {
        self.mapping = mapping
        self.function = function
        filter = EventFilter(patterns: mapping.filters)
    }

    /// Starts polling on a new thread with a source made there (a source belongs to one thread), and
    /// returns once the poller has taken its starting position in the stream (LATEST, as a mapping does when
    /// it is created) or failed its first try, which it then keeps retrying. So everything written after
    /// `start` returns is delivered: the gateway only says it is ready after this, and a visit in the moment
    /// before the poller had read the stream's end would otherwise never be broadcast.
    func start(makeSource: @escaping @Sendable () throws -> any StreamSource) async {
        let positioned = Signal()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            positioned.arm(continuation)
            running.withLock { $0 = true }
            let thread = Thread { [self] in
                defer { running.withLock { $0 = false } }
                do {
                    try run(makeSource(), positioned: positioned.fire)
                } catch {
                    GatewayLog.line("stream poller stopped: \(error)")
                }
                positioned.fire()
            }
            thread.name = "stream-poller"
            thread.start()
        }
    }

    /// Resumes a waiting `start` once, from whichever thread fires first.
    private final class Signal: Sendable {
        private let continuation = Mutex<CheckedContinuation<Void, Never>?>(nil)

        func arm(_ waiting: CheckedContinuation<Void, Never>) {
            continuation.withLock { $0 = waiting }
        }

        func fire() {
            continuation.withLock { $0.take() }?.resume()
        }
    }

    /// Asks the poller to stop after the current poll.
    func stop() { stopped.withLock { $0 = true } }

    /// Stops the poller and waits until its thread has finished the poll or delivery under way, or
    /// `timeout` passed.
    func stopAndWait(timeout: Duration) async {
        stop()
        let deadline = ContinuousClock.now + timeout
        while running.withLock({ $0 }) && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    private var isStopped: Bool { stopped.withLock { $0 } }

    /// Polls until stopped; calls `positioned` after the first attempt to take the starting position.
    private func run(_ source: any StreamSource, positioned: () -> Void) throws {
        var reader: ShardReader?
        var pending: [JSONValue] = []
        var batchStarted: Date?
        while !isStopped {
            do {
                if reader == nil {
                    defer { positioned() }
                    reader = try ShardReader(source: source, table: mapping.table)
                }
                for record in try reader?.poll() ?? [] where filter.allows(record) { pending.append(record) }
            } catch {
                GatewayLog.line("stream poll failed: \(error)")
                reader = nil
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

import AWSClient
import Foundation
import LambdaEvents
import Synchronization

/// DynamoDB's TTL, locally and with a chosen lag. moto never deletes expired items, and DynamoDB deletes
/// them late (typically within a few days), so code must not assume either: with `--ttl-lag SECONDS` the
/// gateway deletes rows whose TTL attribute (`expiresAt`, epoch seconds) is more than that lag in the
/// past, from every table with TTL on (ConnectionIDs rows and visit markers); without it, never.
/// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/howitworks-ttl.html
///
/// Each deletion is conditioned on the row still being expired, so a row refreshed in between survives,
/// as with DynamoDB. Runs on its own thread: the AWS client is blocking by design.
final class TTLSweeper: Sendable {
    let tables: [TablesConfiguration.Table]
    let lag: Duration
    let faults: LocalFaults
    private let stopped = Mutex(false)

    init(tables: [TablesConfiguration.Table], lag: Duration, faults: LocalFaults) {
        self.tables = tables.filter { $0.ttlAttribute != nil }
        self.lag = lag
        self.faults = faults
    }

    /// How often the tables are swept: a few times per lag, between 0.25 s and 10 s.
    var interval: Duration { min(max(lag / 4, .milliseconds(250)), .seconds(10)) }

    /// Starts sweeping on a new thread with a client made there.
    func start(makeClient: @escaping @Sendable () throws -> DynamoDBClient) {
        let thread = Thread { [self] in
            do {
                let client = try makeClient()
                while !isStopped {
                    Thread.sleep(forTimeInterval: Self.seconds(interval))
                    if isStopped { break }
                    sweep(client)
                }
            } catch {
                GatewayLog.line("ttl: cannot make a DynamoDB client: \(error)")
            }
        }
        thread.name = "ttl-sweeper"
        thread.start()
    }

    /// Asks the sweeper to stop after the current sweep.
    func stop() { stopped.withLock { $0 = true } }

    private var isStopped: Bool { stopped.withLock { $0 } }

    /// One pass over every table with TTL on.
    func sweep(_ client: DynamoDBClient) {
        let cutoff = Self.cutoff(now: Date(), lag: lag)
        for table in tables {
            guard let attribute = table.ttlAttribute else { continue }
            let keys = table.keySchema.compactMap { $0["AttributeName"] }
            var names = ["#ttl": attribute]
            for (index, key) in keys.enumerated() { names["#k\(index)"] = key }
            let projection = (keys.indices.map { "#k\($0)" } + ["#ttl"]).joined(separator: ", ")
            let deadline = ContinuousClock.now + .seconds(30)
            do {
                let items = try client.scan(table: table.name, projection: projection, names: names, deadline: deadline)
                    .allItems()
                var deleted = 0
                for item in items where Self.isExpired(item[attribute], cutoff: cutoff) {
                    let key = item.filter { keys.contains($0.key) }
                    do {
                        try client.deleteItem(
                            table: table.name, key: key, condition: "#ttl < :cutoff", names: ["#ttl": attribute],
                            values: [":cutoff": .number(String(cutoff))], deadline: deadline)
                        deleted += 1
                    } catch where error.awsCode == "ConditionalCheckFailedException" {
                        continue  // refreshed since the scan
                    }
                }
                if deleted > 0 {
                    faults.recordExpiredRowsDeleted(deleted)
                    GatewayLog.line("ttl: deleted \(deleted) expired row(s) from \(table.name)")
                }
            } catch {
                GatewayLog.line("ttl: sweeping \(table.name) failed: \(error)")
            }
        }
    }

    /// Rows whose TTL (epoch seconds) is below this are deleted: now minus the lag.
    static func cutoff(now: Date, lag: Duration) -> Int64 {
        Int64(now.timeIntervalSince1970) - lag.components.seconds
    }

    /// DynamoDB's rule: only a Number attribute holds a TTL; anything else (or none) never expires.
    static func isExpired(_ value: AttributeValue?, cutoff: Int64) -> Bool {
        guard case .number(let text)? = value, let seconds = Double(text) else { return false }
        return seconds < Double(cutoff)
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

import AWSClient
import LambdaEvents
import LambdaRuntime

/// `CounterStore` on DynamoDB (docs/design.md): one `TransactWriteItems` puts the connection, the visit
/// marker and `ADD visits :1` on one counter shard together, so a count is never lost, doubled or half-written.
///
/// Conditions do the deduplication: the connection is put only if absent (a retried `$connect` changes
/// nothing), the marker `visit#<id>` only if absent (a reconnect of the same page view is recorded
/// but not counted) and, with unique visitors, the marker `visitor#<day>#<hash>` only if absent (a
/// visitor's further page views that day count as visits only). With live viewers, `live` goes up with every new connection and down with every
/// deleted one, conditioned on the connection existing, so a repeated `$disconnect` never drives it down.
///
/// Spikes: every attempt picks its counter shard at random (`CounterShards`), and the client retries
/// conflicts and throttling until the deadline. A retry after an unknown outcome (the transaction applied,
/// its answer lost) can never count twice, whichever shard it picks: the connection exists by then, so the
/// retry is cancelled on its condition and answers `alreadyConnected` (the same shard's identical request
/// also carries the same `ClientRequestToken`, which DynamoDB itself makes idempotent).
public final class DynamoDBCounterStore: CounterStore {
    let client: DynamoDBClient
    let counterTable: String
    let connectionsTable: String
    let liveViewers: Bool
    let shards: CounterShards
    let now: @Sendable () -> Int64
    /// This process's salt of the day (unique visitors); a Lambda process serves one invocation at a time.
    var saltCache: (day: UTCDay, salt: [UInt8])?
    /// The day whose previous day's salt this process deleted.
    var previousSaltDeleted: UTCDay?
    /// Attempts of counting transactions made again (`StoreActivity.conflicts`).
    var transactionReattempts = 0

    static let one: DynamoDBItem = [":one": .number("1")]
    /// Visit markers live one day (TTL), long enough for any reconnect of one page view.
    static let markerLifetimeSeconds: Int64 = 86_400
    /// Set by a live correction and removed by every other write of a shard: a stream record whose new
    /// image has it was a correction (see `StreamProcessorHandler`).
    static let correctionAttribute = "correction"

    public init(
        client: DynamoDBClient, configuration: FunctionConfiguration,
        now: @escaping @Sendable () -> Int64 = WallClock.epochMilliseconds
    ) {
        self.client = client
        self.counterTable = configuration.visitorCountTable
        self.connectionsTable = configuration.connectionsTable
        self.liveViewers = configuration.liveViewers
        self.shards = configuration.counterShards
        self.now = now
    }

    static func shardKey(_ index: Int) -> DynamoDBItem { ["id": .string(CounterShards.id(index))] }

    /// The client's retries and this store's re-attempted counting transactions, since it was made.
    public var activity: StoreActivity { StoreActivity(retries: client.retryCount, conflicts: transactionReattempts) }

    /// A transaction that writes a counter shard: each attempt picks its shard anew, and every attempt after
    /// the first is counted (the previous one was cancelled on a conflict, throttled, or failed in transit:
    /// the client retries all of these and does not say which it was).
    func countingTransaction(deadline: ContinuousClock.Instant, _ makeItems: () -> [TransactWriteItem]) throws(AWSClientError) {
        try client.transactWriteItems(deadline: deadline) { attempt in
            if attempt > 1 { transactionReattempts += 1 }
            return makeItems()
        }
    }

    /// An update of a random shard; `REMOVE correction` marks it as an ordinary change in the stream.
    func shardUpdate(_ adds: String, values: DynamoDBItem) -> TransactWriteItem {
        .update(table: counterTable, key: Self.shardKey(shards.random()), update: "ADD \(adds) REMOVE \(Self.correctionAttribute)", values: values)
    }

    public func connect(_ connection: NewConnection, deadline: ContinuousClock.Instant) throws(VisitorCounterError) -> ConnectOutcome {
        var item: DynamoDBItem = [
            "connectionId": .string(connection.connectionId),
            "connectedAt": .number(String(connection.connectedAt)),
            "expiresAt": .number(String(connection.expiresAt)),
        ]
        if let visit = connection.visitId { item["visitId"] = .string(visit) }
        let putConnection = TransactWriteItem.put(
            table: connectionsTable, item: item, condition: "attribute_not_exists(connectionId)")

        var fixed = [putConnection]
        var visitIndex: Int?
        var visitorIndex: Int?
        if let visit = connection.visitId {
            let marker: DynamoDBItem = [
                "id": .string("visit#\(visit)"),
                "expiresAt": .number(String(now() / 1000 + Self.markerLifetimeSeconds)),
            ]
            visitIndex = fixed.count
            fixed.append(.put(table: counterTable, item: marker, condition: "attribute_not_exists(id)"))
        }
        var adds = ["visits :one"]
        if let visitor = connection.visitor {
            // One marker per visitor and day, on its own item (no hot item): the visitor counts once that day.
            let marker: DynamoDBItem = [
                "id": .string(visitor.markerId), "expiresAt": .number(String(visitor.day.endEpochSeconds)),
            ]
            visitorIndex = fixed.count
            fixed.append(.put(table: counterTable, item: marker, condition: "attribute_not_exists(id)"))
            adds.append("visitors :one")
        }
        if connection.liveViewers { adds.append("live :one") }

        do {
            try countingTransaction(deadline: deadline) {
                fixed + [shardUpdate(adds.joined(separator: ", "), values: Self.one)]
            }
            return connection.visitor == nil ? .counted : .countedNewVisitor
        } catch where error.awsCode == "TransactionCanceledException" {
            let reasons = error.cancellationReasons.map(\.code)
            func failed(_ index: Int?) -> Bool {
                guard let index, reasons.count == fixed.count + 1 else { return false }
                return reasons[index] == "ConditionalCheckFailed"
            }
            if reasons.first == "ConditionalCheckFailed" { return .alreadyConnected }
            if failed(visitIndex) {
                // A reconnect of the same page view: neither a visit nor a visitor.
            } else if failed(visitorIndex) {
                // A new page view of a visitor already counted today: a visit only.
                var visitOnly = connection
                visitOnly.visitor = nil
                return try connect(visitOnly, deadline: deadline)
            } else {
                throw Self.storageError("count the visit", error)
            }
        } catch {
            throw Self.storageError("count the visit", error)
        }
        return try recordRepeatVisit(putConnection, item: item, live: connection.liveViewers, deadline: deadline)
    }

    /// The visit was counted before: write the connection only (and count it as a live viewer).
    private func recordRepeatVisit(
        _ putConnection: TransactWriteItem, item: DynamoDBItem, live: Bool, deadline: ContinuousClock.Instant
    ) throws(VisitorCounterError) -> ConnectOutcome {
        do {
            if live {
                try countingTransaction(deadline: deadline) { [putConnection, shardUpdate("live :one", values: Self.one)] }
            } else {
                try client.putItem(table: connectionsTable, item: item, condition: "attribute_not_exists(connectionId)", deadline: deadline)
            }
            return .repeatVisit
        } catch where error.isConditionalCheckFailure {
            return .alreadyConnected
        } catch {
            throw Self.storageError("record the connection", error)
        }
    }

    @discardableResult
    public func disconnect(connectionId: String, liveViewers: Bool, deadline: ContinuousClock.Instant) throws(VisitorCounterError) -> Bool {
        let key: DynamoDBItem = ["connectionId": .string(connectionId)]
        do {
            if liveViewers {
                let delete = TransactWriteItem.delete(table: connectionsTable, key: key, condition: "attribute_exists(connectionId)")
                try countingTransaction(deadline: deadline) {
                    [delete, shardUpdate("live :minusOne", values: [":minusOne": .number("-1")])]
                }
                return true
            } else {
                let old = try client.deleteItem(table: connectionsTable, key: key, returnValues: .allOld, deadline: deadline)
                return old != nil
            }
        } catch where error.isConditionalCheckFailure {
            return false  // already gone: a repeated $disconnect changes nothing
        } catch {
            throw Self.storageError("delete the connection", error)
        }
    }

    public func connections(deadline: ContinuousClock.Instant) throws(VisitorCounterError) -> [StoredConnection] {
        do {
            // Consistent with live viewers: the broadcast's `live` is what this scan finds, and the stored
            // count is corrected to it, so it must see every connection recorded before it started.
            return try client.scan(
                table: connectionsTable, projection: "connectionId, connectedAt, expiresAt", consistentRead: liveViewers,
                deadline: deadline, as: ConnectionRow.self
            )
            .allItems()
            .compactMap(\.stored)
        } catch {
            throw Self.storageError("scan the connections", error)
        }
    }

    package func removeGoneConnection(_ connectionId: String, deadline: ContinuousClock.Instant) throws(VisitorCounterError) -> Bool {
        // Same path as $disconnect, so `live` also drops for a connection whose $disconnect never came
        // (and does not drop twice when it comes later: the delete is conditioned on the item).
        try disconnect(connectionId: connectionId, liveViewers: liveViewers, deadline: deadline)
    }

    public func readCounter(deadline: ContinuousClock.Instant) throws(VisitorCounterError) -> CounterSnapshot {
        let items: [DynamoDBItem]
        do {
            if shards.count == 1 {
                let item = try client.getItem(
                    table: counterTable, key: Self.shardKey(0), consistentRead: true, projection: "visits, live, visitors", deadline: deadline)
                items = item.map { [$0] } ?? []
            } else {
                items = try client.batchGetItems(
                    table: counterTable, keys: (0..<shards.count).map(Self.shardKey), consistentRead: true,
                    projection: "visits, live, visitors", deadline: deadline)
            }
        } catch {
            throw Self.storageError("read the counter", error)
        }
        return try Self.total(of: items)
    }

    /// The sum of the shards' `visits` and `live`. A shard without `visits` adds nothing (it was created by
    /// a `live` change); a `visits` that is not a whole number is an error, a `live` that is not one is left out.
    static func total(of items: [DynamoDBItem]) throws(VisitorCounterError) -> CounterSnapshot {
        var visits: Int64 = 0
        var live: Int64?
        var visitors: Int64?
        for item in items {
            if let text = item["visits"]?.numberValue {
                guard let value = Int64(text), value >= 0 else {
                    throw VisitorCounterError(.storage, "a counter shard holds a visit count that is not a count: \(text.prefix(40))")
                }
                let (sum, overflow) = visits.addingReportingOverflow(value)
                guard !overflow else { throw VisitorCounterError(.storage, "the visit count overflows") }
                visits = sum
            }
            if let text = item["visitors"]?.numberValue {
                guard let value = Int64(text), value >= 0 else {
                    throw VisitorCounterError(.storage, "a counter shard holds a visitor count that is not a count: \(text.prefix(40))")
                }
                visitors = (visitors ?? 0).addingReportingOverflow(value).partialValue
            }
            if let text = item["live"]?.numberValue, let value = Int64(text) {
                live = (live ?? 0).addingReportingOverflow(value).partialValue
            }
        }
        return CounterSnapshot(visits: String(visits), live: live, visitors: visitors.map(String.init))
    }

    package func correctLive(by delta: Int64, deadline: ContinuousClock.Instant) throws(VisitorCounterError) {
        guard delta != 0 else { return }
        do {
            // On shard 0, marked: the stream record this write makes is recognised and not broadcast again.
            try client.updateItem(
                table: counterTable, key: Self.shardKey(0), update: "ADD live :delta SET \(Self.correctionAttribute) = :yes",
                values: [":delta": .number(String(delta)), ":yes": .bool(true)], deadline: deadline)
        } catch {
            throw Self.storageError("correct the live count", error)
        }
    }

    static func storageError(_ what: String, _ error: AWSClientError) -> VisitorCounterError {
        VisitorCounterError(.storage, "could not \(what)", underlying: error)
    }
}

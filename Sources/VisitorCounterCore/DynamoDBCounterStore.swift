import AWSClient
import LambdaEvents
import LambdaRuntime

/// `CounterStore` on DynamoDB (DESIGN §3, §5): one `TransactWriteItems` puts the connection, the visit
/// marker and `ADD visits :1` together, so a count is never lost, doubled or half-written.
///
/// Conditions do the deduplication: the connection is put only if absent (a retried `$connect` changes
/// nothing) and the marker `visit#<id>` only if absent (a reconnect of the same page view is recorded
/// but not counted). With live viewers, `live` goes up with every new connection and down with every
/// deleted one, conditioned on the connection existing, so a repeated `$disconnect` never drives it down.
public final class DynamoDBCounterStore: CounterStore {
    let client: DynamoDBClient
    let counterTable: String
    let connectionsTable: String
    let liveViewers: Bool
    let now: @Sendable () -> Int64

    static let counterKey: DynamoDBItem = ["id": .string(NewestCount.counterId)]
    static let one: DynamoDBItem = [":one": .number("1")]
    /// Visit markers live one day (TTL), long enough for any reconnect of one page view.
    static let markerLifetimeSeconds: Int64 = 86_400

    public init(
        client: DynamoDBClient, configuration: FunctionConfiguration,
        now: @escaping @Sendable () -> Int64 = WallClock.epochMilliseconds
    ) {
        self.client = client
        self.counterTable = configuration.visitorCountTable
        self.connectionsTable = configuration.connectionsTable
        self.liveViewers = configuration.liveViewers
        self.now = now
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

        var actions = [putConnection]
        if let visit = connection.visitId {
            let marker: DynamoDBItem = [
                "id": .string("visit#\(visit)"),
                "expiresAt": .number(String(now() / 1000 + Self.markerLifetimeSeconds)),
            ]
            actions.append(.put(table: counterTable, item: marker, condition: "attribute_not_exists(id)"))
        }
        actions.append(.update(
            table: counterTable, key: Self.counterKey,
            update: connection.liveViewers ? "ADD visits :one, live :one" : "ADD visits :one", values: Self.one))

        do {
            try client.transactWriteItems(actions, deadline: deadline)
            return .counted
        } catch where error.awsCode == "TransactionCanceledException" {
            let reasons = error.cancellationReasons.map(\.code)
            if reasons.first == "ConditionalCheckFailed" { return .alreadyConnected }
            guard connection.visitId != nil, reasons.count == 3, reasons[1] == "ConditionalCheckFailed" else {
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
                try client.transactWriteItems(
                    [putConnection, .update(table: counterTable, key: Self.counterKey, update: "ADD live :one", values: Self.one)],
                    deadline: deadline)
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

    public func disconnect(connectionId: String, liveViewers: Bool, deadline: ContinuousClock.Instant) throws(VisitorCounterError) {
        let key: DynamoDBItem = ["connectionId": .string(connectionId)]
        do {
            if liveViewers {
                try client.transactWriteItems([
                    .delete(table: connectionsTable, key: key, condition: "attribute_exists(connectionId)"),
                    .update(table: counterTable, key: Self.counterKey, update: "ADD live :minusOne", values: [":minusOne": .number("-1")]),
                ], deadline: deadline)
            } else {
                try client.deleteItem(table: connectionsTable, key: key, deadline: deadline)
            }
        } catch where error.isConditionalCheckFailure {
            return  // already gone: a repeated $disconnect changes nothing
        } catch {
            throw Self.storageError("delete the connection", error)
        }
    }

    public func readCounter(deadline: ContinuousClock.Instant) throws(VisitorCounterError) -> CounterSnapshot {
        do {
            let item = try client.getItem(
                table: counterTable, key: Self.counterKey, consistentRead: true, projection: "visits, live", deadline: deadline)
            return CounterSnapshot(visits: item?["visits"]?.numberValue ?? "0", live: item?["live"]?.numberValue)
        } catch {
            throw Self.storageError("read the counter", error)
        }
    }

    public func connections(deadline: ContinuousClock.Instant) throws(VisitorCounterError) -> [StoredConnection] {
        do {
            return try client.scan(table: connectionsTable, projection: "connectionId, connectedAt", deadline: deadline, as: ConnectionRow.self)
                .allItems()
                .compactMap(\.stored)
        } catch {
            throw Self.storageError("scan the connections", error)
        }
    }

    public func removeGoneConnection(_ connectionId: String, deadline: ContinuousClock.Instant) throws(VisitorCounterError) {
        // Same path as $disconnect, so `live` also drops for a connection whose $disconnect never came
        // (and does not drop twice when it comes later: the delete is conditioned on the item).
        try disconnect(connectionId: connectionId, liveViewers: liveViewers, deadline: deadline)
    }

    static func storageError(_ what: String, _ error: AWSClientError) -> VisitorCounterError {
        VisitorCounterError(.storage, "could not \(what)", underlying: error)
    }
}

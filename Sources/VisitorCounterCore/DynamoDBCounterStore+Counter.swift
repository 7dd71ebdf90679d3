import AWSClient
import LambdaEvents

/// Reading the counter's total and correcting its live count.
extension DynamoDBCounterStore {
    public func readCounter(deadline: ContinuousClock.Instant) throws(VisitorCounterError) -> CounterSnapshot {
        let items: [DynamoDBItem]
        do {
            if shards.count == 1 {
                let item = try client.getItem(
                    table: counterTable, key: Self.shardKey(0), consistentRead: true, projection: "visits, live", deadline: deadline)
                items = item.map { [$0] } ?? []
            } else {
                items = try client.batchGetItems(
                    table: counterTable, keys: (0..<shards.count).map(Self.shardKey), consistentRead: true,
                    projection: "visits, live", deadline: deadline)
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
        for item in items {
            if let text = item["visits"]?.numberValue {
                guard let value = Int64(text), value >= 0 else {
                    throw VisitorCounterError(.storage, "a counter shard holds a visit count that is not a count: \(text.prefix(40))")
                }
                let (sum, overflow) = visits.addingReportingOverflow(value)
                guard !overflow else { throw VisitorCounterError(.storage, "the visit count overflows") }
                visits = sum
            }
            if let text = item["live"]?.numberValue, let value = Int64(text) {
                live = (live ?? 0).addingReportingOverflow(value).partialValue
            }
        }
        return CounterSnapshot(visits: String(visits), live: live)
    }

    public func correctLive(by delta: Int64, deadline: ContinuousClock.Instant) throws(VisitorCounterError) {
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
}

import AWSClient
import LambdaEvents

/// The history items (docs/design.md, "History"): `history` (the latest day and the version every write
/// conditions on) and `day#YYYY-MM-DD` (one per recorded day). Neither id starts with `visitors`, so their
/// writes never wake DBStreamProcessor.
extension DynamoDBCounterStore {
    static let historyKey: DynamoDBItem = ["id": .string("history")]
    /// Attempts at one record when other processors write the `history` item at the same time.
    static let historyAttempts = 5

    static func dayKey(_ day: String) -> DynamoDBItem { ["id": .string("day#\(day)")] }

    public func recordHistory(_ observed: HistoryTotals, today: UTCDay, deadline: ContinuousClock.Instant) throws(VisitorCounterError) {
        for _ in 0..<Self.historyAttempts {
            let stored: HistoryPointer?
            do {
                stored = try client.getItem(table: counterTable, key: Self.historyKey, consistentRead: true, deadline: deadline)
                    .flatMap(Self.pointer(from:))
            } catch {
                throw Self.storageError("read the history", error)
            }
            guard let next = HistoryPointer.next(after: stored, observed: observed, today: today) else { return }
            // The pointer and the day's item change together, or neither does: a day's item always holds
            // what the pointer held for that day, so the days add up.
            let condition = stored == nil ? "attribute_not_exists(id)" : "#version = :read"
            var values = Self.values(of: next.current)
            values[":since"] = .string(next.since)
            values[":version"] = .number(String(next.version))
            if let stored { values[":read"] = .number(String(stored.version)) }
            let names = ["#day": "day", "#since": "since", "#version": "version"]
            let pointerUpdate = TransactWriteItem.update(
                table: counterTable, key: Self.historyKey,
                update: Self.dayAssignments(next.current) + ", #since = :since, #version = :version",
                condition: condition, names: names, values: values)
            let dayUpdate = TransactWriteItem.update(
                table: counterTable, key: Self.dayKey(next.current.day), update: Self.dayAssignments(next.current),
                names: ["#day": "day"], values: Self.values(of: next.current))
            do {
                try client.transactWriteItems([pointerUpdate, dayUpdate], deadline: deadline)
                return
            } catch where error.awsCode == "TransactionCanceledException"
                && error.cancellationReasons.first?.code == "ConditionalCheckFailed"
            {
                continue  // another processor wrote it since the read: read again
            } catch {
                throw Self.storageError("record the history", error)
            }
        }
        throw VisitorCounterError(.storage, "the history item kept changing under \(Self.historyAttempts) attempts")
    }

    public func readHistory(days: [UTCDay], deadline: ContinuousClock.Instant) throws(VisitorCounterError) -> StoredHistory {
        var keys = (0..<shards.count).map(Self.shardKey)
        keys.append(Self.historyKey)
        keys += Set(days.map(\.text)).sorted().map(Self.dayKey)
        let items: [DynamoDBItem]
        do {
            items = try client.batchGetItems(table: counterTable, keys: keys, consistentRead: true, deadline: deadline)
        } catch {
            throw Self.storageError("read the history", error)
        }
        var shardItems: [DynamoDBItem] = []
        var pointer: HistoryPointer?
        var recorded: [String: HistoryDay] = [:]
        for item in items {
            guard case .string(let id)? = item["id"] else { continue }
            if CounterShards.index(of: id) != nil {
                shardItems.append(item)
            } else if id == "history" {
                pointer = Self.pointer(from: item)
            } else if id.hasPrefix("day#"), let day = Self.day(from: item) {
                recorded[day.day] = day
            }
        }
        return StoredHistory(live: try Self.total(of: shardItems), pointer: pointer, recorded: recorded)
    }

    /// `SET` of a day's attributes (`visitors` and `openVisitors` only once unique visitors were counted).
    static func dayAssignments(_ day: HistoryDay) -> String {
        var text = "SET #day = :day, visits = :visits, openVisits = :openVisits"
        if day.latest.visitors != nil { text += ", visitors = :visitors" }
        if day.opening.visitors != nil { text += ", openVisitors = :openVisitors" }
        return text
    }

    static func values(of day: HistoryDay) -> DynamoDBItem {
        var values: DynamoDBItem = [
            ":day": .string(day.day), ":visits": .number(String(day.latest.visits)),
            ":openVisits": .number(String(day.opening.visits)),
        ]
        if let visitors = day.latest.visitors { values[":visitors"] = .number(String(visitors)) }
        if let visitors = day.opening.visitors { values[":openVisitors"] = .number(String(visitors)) }
        return values
    }

    static func day(from item: DynamoDBItem) -> HistoryDay? {
        func number(_ name: String) -> Int64? { item[name]?.numberValue.flatMap { Int64($0) } }
        guard case .string(let day)? = item["day"], let visits = number("visits"), let open = number("openVisits") else { return nil }
        return HistoryDay(
            day: day, opening: HistoryTotals(visits: open, visitors: number("openVisitors")),
            latest: HistoryTotals(visits: visits, visitors: number("visitors")))
    }

    static func pointer(from item: DynamoDBItem) -> HistoryPointer? {
        guard let current = day(from: item), case .string(let since)? = item["since"],
            let version = item["version"]?.numberValue.flatMap({ Int64($0) })
        else { return nil }
        return HistoryPointer(since: since, current: current, version: version)
    }
}

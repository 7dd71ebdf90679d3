import Foundation

/// Reads every shard of a table's stream, remembering the last sequence number of each. Created at
/// start, it skips what the shards already hold (the mapping's `StartingPosition: LATEST`); shards
/// found later are read from their start, as Lambda does for child shards.
struct ShardReader {
    let source: any StreamSource
    let streamArn: String
    /// Open shard id → the last sequence number read (nil: nothing read yet, start at the oldest).
    private var shards: [String: String?] = [:]
    private var closed: Set<String> = []
    private var lastRefresh = Date()

    init(source: any StreamSource, table: String) throws {
        self.source = source
        guard let arn = try source.latestStreamArn(table: table) else {
            throw GatewayError(.stream, "table \(table) has no stream")
        }
        streamArn = arn
        for shard in try source.shards(streamArn: arn) where shard.isOpen {
            shards[shard.id] = try skipToEnd(shard.id)
        }
    }

    /// The new records of every shard since the last poll, each with `eventSourceARN` added.
    mutating func poll() throws -> [JSONValue] {
        if Date().timeIntervalSince(lastRefresh) >= StreamPoller.shardRefreshInterval { try refreshShards() }
        var out: [JSONValue] = []
        for (shard, last) in shards {
            let iterator = try source.shardIterator(streamArn: streamArn, shardId: shard, after: last)
            let page = try source.records(iterator: iterator)
            if let newest = page.records.last.flatMap(Self.sequenceNumber) { shards[shard] = newest }
            if page.next == nil && page.records.isEmpty {
                shards.removeValue(forKey: shard)
                closed.insert(shard)
            }
            out += page.records.map { Self.withSource($0, arn: streamArn) }
        }
        return out
    }

    /// Picks up shards that appeared since (after a split, or when every shard closed).
    private mutating func refreshShards() throws {
        lastRefresh = Date()
        for shard in try source.shards(streamArn: streamArn)
        where shard.isOpen && shards[shard.id] == nil && !closed.contains(shard.id) {
            shards[shard.id] = String?.none
        }
    }

    /// Reads a shard to its end and returns its last sequence number (nil when it is empty).
    private func skipToEnd(_ shard: String) throws -> String? {
        var last: String?
        while true {
            let iterator = try source.shardIterator(streamArn: streamArn, shardId: shard, after: last)
            let page = try source.records(iterator: iterator)
            guard let newest = page.records.last.flatMap(Self.sequenceNumber) else { return last }
            last = newest
        }
    }

    private static func sequenceNumber(_ record: JSONValue) -> String? {
        record["dynamodb"]?["SequenceNumber"]?.stringValue
    }

    /// Lambda adds the stream's ARN to every record it hands a function.
    static func withSource(_ record: JSONValue, arn: String) -> JSONValue {
        guard case .object(var members) = record else { return record }
        members["eventSourceARN"] = .string(arn)
        return .object(members)
    }
}

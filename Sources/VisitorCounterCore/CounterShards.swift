/// The counter, split over several items so that a spike of `$connect`s does not queue on one.
///
/// DynamoDB cancels a transaction that touches an item another transaction is still working on
/// (`TransactionConflict`), so with one counter item every concurrent `$connect` collides with its
/// neighbours. With `COUNTER_SHARDS=n` each `$connect` adds to one of n items picked at random per
/// attempt, and the total is their sum. Shard 0 is the item `visitors` itself and shard k > 0 is
/// `visitors#k`, so a table written with one shard keeps its count when more are added. Lowering the
/// number would leave the higher shards' counts out of the sum: raise it only.
public struct CounterShards: Sendable, Equatable {
    /// The numbers of shards accepted (`COUNTER_SHARDS`).
    public static let allowed = 1...32
    /// Shard 0's id, the counter item of a one-shard table.
    package static let baseId = "visitors"

    /// How many shards the counter has.
    public let count: Int

    /// `count` is clamped to `allowed`.
    public init(count: Int) {
        self.count = min(max(count, Self.allowed.lowerBound), Self.allowed.upperBound)
    }

    /// The item id of shard `index`.
    public static func id(_ index: Int) -> String {
        index == 0 ? baseId : "\(baseId)#\(index)"
    }

    /// Every shard's id, shard 0 first.
    public var ids: [String] { (0..<count).map(Self.id) }

    /// A shard picked at random (uniformly).
    public func random() -> Int {
        Int.random(in: 0..<count)
    }

    /// The shard index of a counter item id (`visitors` → 0, `visitors#7` → 7), or nil for any other item
    /// (visit markers `visit#…`, or a malformed id). Any k ≥ 1 is accepted, not only those below `count`:
    /// a record of a shard must never be mistaken for something else.
    public static func index(of id: String) -> Int? {
        if id == baseId { return 0 }
        guard id.hasPrefix(baseId + "#") else { return nil }
        let digits = id.utf8.dropFirst(baseId.utf8.count + 1)
        guard !digits.isEmpty, digits.count <= 4, digits.first != UInt8(ascii: "0"),
            digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else { return nil }
        return Int(String(decoding: digits, as: UTF8.self))
    }
}

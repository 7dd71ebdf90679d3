/// What a `CounterStore` had to do again since it was made: the figures of DBUpdater's metric line
/// (`UpdaterMetrics`). Cumulative, so a caller takes the difference over one invocation.
public struct StoreActivity: Sendable, Equatable {
    /// DynamoDB requests sent again (conflicts, throttling, 5xx, transient transport failures).
    public var retries: Int
    /// Attempts of a transaction on the counter shards made again after the previous one failed: in a
    /// spike, the collisions of docs/design.md §5 ("DynamoDB under load"); also throttling, 5xx, transit.
    public var conflicts: Int

    public init(retries: Int = 0, conflicts: Int = 0) {
        self.retries = retries
        self.conflicts = conflicts
    }

    /// What happened between `earlier` and `self`.
    public func since(_ earlier: StoreActivity) -> StoreActivity {
        StoreActivity(retries: retries - earlier.retries, conflicts: conflicts - earlier.conflicts)
    }
}

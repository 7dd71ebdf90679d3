/// Where DBUpdater and DBStreamProcessor keep their state: the counter, visit markers and open
/// connections. DynamoDB in production (`DynamoDBCounterStore`), an in-memory fake in unit tests.
///
/// Implementations must make `connect` atomic: the connection, the visit marker and the counter
/// change commit together or not at all, and a visit id already seen never counts again.
package protocol CounterStore {
    /// Records a connection and, when its visit is new (or it has no visit id), counts the visit.
    func connect(_ connection: NewConnection, deadline: ContinuousClock.Instant) throws(VisitorCounterError) -> ConnectOutcome

    /// Removes a connection; with `liveViewers` the live count goes down once (a repeated disconnect
    /// changes nothing).
    /// - Returns: whether this call deleted it (false when it was gone already).
    @discardableResult
    func disconnect(connectionId: String, liveViewers: Bool, deadline: ContinuousClock.Instant) throws(VisitorCounterError) -> Bool

    /// The counter's total over every shard, read with one consistent call; zero counts when no shard
    /// exists yet.
    func readCounter(deadline: ContinuousClock.Instant) throws(VisitorCounterError) -> CounterSnapshot

    /// Every row of ConnectionIDs (all scan pages), expired ones included: the caller tells them apart.
    func connections(deadline: ContinuousClock.Instant) throws(VisitorCounterError) -> [StoredConnection]

    /// Deletes a connection that the Management API reported gone, as `$disconnect` would.
    /// - Returns: whether this call deleted it.
    func removeGoneConnection(_ connectionId: String, deadline: ContinuousClock.Instant) throws(VisitorCounterError) -> Bool

    /// Adds `delta` to the stored live count as a *correction*: a write the stream processor recognises
    /// in the stream and does not broadcast again (see `StreamProcessorHandler`).
    func correctLive(by delta: Int64, deadline: ContinuousClock.Instant) throws(VisitorCounterError)

    /// The random salt of `day`'s visitor fingerprints, the same for every instance (created by the first
    /// that needs it); the salt of the day before is deleted once that day is over.
    func visitorSalt(for day: UTCDay, deadline: ContinuousClock.Instant) throws(VisitorCounterError) -> [UInt8]

    /// Records `observed`, a total read just now, as the latest total of `today` (see `HistoryPointer`).
    func recordHistory(_ observed: HistoryTotals, today: UTCDay, deadline: ContinuousClock.Instant) throws(VisitorCounterError)

    /// The counter's total, the `history` item and the recorded days among `days`, in one read.
    func readHistory(days: [UTCDay], deadline: ContinuousClock.Instant) throws(VisitorCounterError) -> StoredHistory

    /// Retries and conflicts since the store was made (cumulative).
    var activity: StoreActivity { get }
}

/// What `readHistory` found.
public struct StoredHistory: Sendable, Equatable {
    /// The counter's total now.
    public var live: CounterSnapshot
    /// The `history` item; nil before history began.
    public var pointer: HistoryPointer?
    /// The day items found, by day.
    public var recorded: [String: HistoryDay]

    public init(live: CounterSnapshot, pointer: HistoryPointer?, recorded: [String: HistoryDay]) {
        self.live = live
        self.pointer = pointer
        self.recorded = recorded
    }
}

/// A visitor to count once on its day: the marker `visitor#<day>#<hash>` is written only if absent.
public struct VisitorMark: Sendable, Equatable {
    public var day: UTCDay
    public var fingerprint: VisitorFingerprint

    public init(day: UTCDay, fingerprint: VisitorFingerprint) {
        self.day = day
        self.fingerprint = fingerprint
    }

    /// The marker's item id. It starts with `visitor#`, never `visitors`: the stream filter and
    /// `CounterShards` take ids starting with `visitors` for counter shards.
    package var markerId: String { "visitor#\(day.text)#\(fingerprint.hash)" }
}

/// A connection to record on `$connect`.
public struct NewConnection: Sendable, Equatable {
    public var connectionId: String
    /// Epoch milliseconds, from the event's `requestContext.connectedAt`.
    public var connectedAt: Int64
    /// The page view's id from `?visit=`, validated; nil counts every connect.
    public var visitId: String?
    /// Also count the connection in `live`.
    public var liveViewers: Bool
    /// With unique visitors on: the visitor, counted when its marker for the day is new.
    public var visitor: VisitorMark?

    public init(connectionId: String, connectedAt: Int64, visitId: String?, liveViewers: Bool, visitor: VisitorMark? = nil) {
        self.connectionId = connectionId
        self.connectedAt = connectedAt
        self.visitId = visitId
        self.liveViewers = liveViewers
        self.visitor = visitor
    }

    /// ConnectionIDs TTL: API Gateway never keeps a connection past 2 hours, so a lost `$disconnect`
    /// cleans itself up 2 h 5 min after connecting (docs/design.md §3).
    public var expiresAt: Int64 { connectedAt / 1000 + 2 * 3600 + 5 * 60 }
}

/// What `connect` did.
public enum ConnectOutcome: Sendable, Equatable {
    /// A new visit: the counter went up.
    case counted
    /// A new visit of a visitor not seen before that day: visits and visitors went up.
    case countedNewVisitor
    /// The visit id was seen before (a reconnect of the same page view): connection recorded only.
    case repeatVisit
    /// The same connection was recorded before (a retried `$connect`): nothing changed.
    case alreadyConnected
}

/// The counter's values, summed over its shards.
public struct CounterSnapshot: Sendable, Equatable {
    /// All counted visits, decimal digits.
    public var visits: String
    /// All counted visitors (summed over days), decimal digits; nil when no shard has any.
    public var visitors: String?
    /// The stored live count when any shard has one; advisory, and may be below zero (a `$disconnect`
    /// of a connection made before live viewers were turned on).
    public var live: Int64?

    public init(visits: String, live: Int64? = nil, visitors: String? = nil) {
        self.visits = visits
        self.live = live
        self.visitors = visitors
    }

    /// What a page may be shown: never below zero, zero when nothing is stored.
    package var presentableLive: String { String(max(0, live ?? 0)) }
}

/// A row of ConnectionIDs as the broadcast needs it.
public struct StoredConnection: Sendable, Equatable {
    public var connectionId: String
    /// Epoch milliseconds; nil when the item lacks it (treated as old).
    public var connectedAt: Int64?
    /// Epoch seconds of its TTL; nil when the item lacks it (never expires).
    public var expiresAt: Int64?

    public init(connectionId: String, connectedAt: Int64?, expiresAt: Int64? = nil) {
        self.connectionId = connectionId
        self.connectedAt = connectedAt
        self.expiresAt = expiresAt
    }

    /// Whether the row is past its TTL at `epochSeconds`: DynamoDB deletes expired items up to a few days
    /// late, and such a row is a connection that is gone (API Gateway closes every connection within 2 h).
    public func isExpired(atEpochSeconds epochSeconds: Int64) -> Bool {
        expiresAt.map { $0 < epochSeconds } ?? false
    }
}

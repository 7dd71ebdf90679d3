/// Where DBUpdater and DBStreamProcessor keep their state: the counter, visit markers and open
/// connections. DynamoDB in production (`DynamoDBCounterStore`), an in-memory fake in unit tests.
///
/// Implementations must make `connect` atomic: the connection, the visit marker and the counter
/// change commit together or not at all, and a visit id already seen never counts again.
public protocol CounterStore {
    /// Records a connection and, when its visit is new (or it has no visit id), counts the visit.
    func connect(_ connection: NewConnection, deadline: ContinuousClock.Instant) throws(VisitorCounterError) -> ConnectOutcome

    /// Removes a connection; with `liveViewers` the live count goes down once, never below what the
    /// open connections justify (a repeated disconnect changes nothing).
    func disconnect(connectionId: String, liveViewers: Bool, deadline: ContinuousClock.Instant) throws(VisitorCounterError)

    /// The counter item, or zero counts when it does not exist yet.
    func readCounter(deadline: ContinuousClock.Instant) throws(VisitorCounterError) -> CounterSnapshot

    /// Every open connection (all scan pages).
    func connections(deadline: ContinuousClock.Instant) throws(VisitorCounterError) -> [StoredConnection]

    /// Deletes a connection that the Management API reported gone.
    func removeGoneConnection(_ connectionId: String, deadline: ContinuousClock.Instant) throws(VisitorCounterError)
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

    public init(connectionId: String, connectedAt: Int64, visitId: String?, liveViewers: Bool) {
        self.connectionId = connectionId
        self.connectedAt = connectedAt
        self.visitId = visitId
        self.liveViewers = liveViewers
    }

    /// ConnectionIDs TTL: API Gateway never keeps a connection past 2 hours, so a lost `$disconnect`
    /// cleans itself up 2 h 5 min after connecting (DESIGN §3).
    public var expiresAt: Int64 { connectedAt / 1000 + 2 * 3600 + 5 * 60 }
}

/// What `connect` did.
public enum ConnectOutcome: Sendable, Equatable {
    /// A new visit: the counter went up.
    case counted
    /// The visit id was seen before (a reconnect of the same page view): connection recorded only.
    case repeatVisit
    /// The same connection was recorded before (a retried `$connect`): nothing changed.
    case alreadyConnected
}

/// The counter item's values.
public struct CounterSnapshot: Sendable, Equatable {
    /// All counted visits, as DynamoDB's exact decimal string.
    public var visits: String
    /// Open connections when live viewers are on and the attribute exists.
    public var live: String?

    public init(visits: String, live: String? = nil) {
        self.visits = visits
        self.live = live
    }
}

/// A row of ConnectionIDs as the broadcast needs it.
public struct StoredConnection: Sendable, Equatable {
    public var connectionId: String
    /// Epoch milliseconds; nil when the item lacks it (treated as old).
    public var connectedAt: Int64?

    public init(connectionId: String, connectedAt: Int64?) {
        self.connectionId = connectionId
        self.connectedAt = connectedAt
    }
}

import AWSClient
import Synchronization
import VisitorCounterCore

/// The in-memory fake of `CounterStore`, with the same rules as the DynamoDB store: a connection is
/// written once, a visit marker counts once, live follows the connections.
final class InMemoryCounterStore: CounterStore, Sendable {
    struct State {
        var visits = 0
        var live: Int64?
        var visitors: Int?
        var markers: Set<String> = []
        var visitorMarkers: Set<String> = []
        /// Salts handed out, by day.
        var salts: [UTCDay: [UInt8]] = [:]
        var history: HistoryPointer?
        var days: [String: HistoryDay] = [:]
        var recordedTotals: [(HistoryTotals, UTCDay)] = []
        var connections: [String: Int64] = [:]
        /// Epoch seconds of a row's TTL, when it has one.
        var expiresAt: [String: Int64] = [:]
        var removed: [String] = []
        var corrections: [Int64] = []
        var failNextConnections = false
        /// `connect` fails (the store's retries spent) while set.
        var failConnects = false
        /// History writes that fail before one succeeds again.
        var failingHistoryWrites = 0
        /// Cumulative retries and conflicts; every `connect` adds `activityPerConnect`, as a spike would.
        var activity = StoreActivity()
        var activityPerConnect = StoreActivity()
        /// Whether deleting a gone connection also takes one off `live` (the DynamoDB store's LIVE_VIEWERS).
        var liveViewers = false
    }

    let state = Mutex(State())

    var activity: StoreActivity { state.withLock { $0.activity } }

    func connect(_ connection: NewConnection, deadline: ContinuousClock.Instant) throws(VisitorCounterError) -> ConnectOutcome {
        try state.withLock { s throws(VisitorCounterError) in
            s.activity.retries += s.activityPerConnect.retries
            s.activity.conflicts += s.activityPerConnect.conflicts
            if s.failConnects { throw VisitorCounterError(.storage, "could not count the visit") }
            if s.connections[connection.connectionId] != nil { return .alreadyConnected }
            s.connections[connection.connectionId] = connection.connectedAt
            s.expiresAt[connection.connectionId] = connection.expiresAt
            if connection.liveViewers { s.live = (s.live ?? 0) + 1 }
            if let visit = connection.visitId {
                guard s.markers.insert(visit).inserted else { return .repeatVisit }
            }
            s.visits += 1
            if let visitor = connection.visitor, s.visitorMarkers.insert(visitor.markerId).inserted {
                s.visitors = (s.visitors ?? 0) + 1
                return .countedNewVisitor
            }
            return .counted
        }
    }

    @discardableResult
    func disconnect(connectionId: String, liveViewers: Bool, deadline: ContinuousClock.Instant) throws(VisitorCounterError) -> Bool {
        state.withLock { s in
            guard s.connections.removeValue(forKey: connectionId) != nil else { return false }
            s.expiresAt[connectionId] = nil
            if liveViewers { s.live = (s.live ?? 0) - 1 }
            return true
        }
    }

    func readCounter(deadline: ContinuousClock.Instant) throws(VisitorCounterError) -> CounterSnapshot {
        state.withLock { CounterSnapshot(visits: String($0.visits), live: $0.live, visitors: $0.visitors.map(String.init)) }
    }

    func visitorSalt(for day: UTCDay, deadline: ContinuousClock.Instant) throws(VisitorCounterError) -> [UInt8] {
        state.withLock { s in
            if let salt = s.salts[day] { return salt }
            var generator = SystemRandomNumberGenerator()
            let salt = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
            s.salts[day] = salt
            return salt
        }
    }

    func recordHistory(_ observed: HistoryTotals, today: UTCDay, deadline: ContinuousClock.Instant) throws(VisitorCounterError) {
        try state.withLock { s throws(VisitorCounterError) in
            s.recordedTotals.append((observed, today))
            if s.failingHistoryWrites > 0 {
                s.failingHistoryWrites -= 1
                throw VisitorCounterError(.storage, "could not record the history")
            }
            guard let next = HistoryPointer.next(after: s.history, observed: observed, today: today) else { return }
            s.history = next
            s.days[next.current.day] = next.current
        }
    }

    func readHistory(days: [UTCDay], deadline: ContinuousClock.Instant) throws(VisitorCounterError) -> StoredHistory {
        state.withLock { s in
            let wanted = Set(days.map(\.text))
            return StoredHistory(
                live: CounterSnapshot(visits: String(s.visits), live: s.live, visitors: s.visitors.map(String.init)),
                pointer: s.history, recorded: s.days.filter { wanted.contains($0.key) })
        }
    }

    func connections(deadline: ContinuousClock.Instant) throws(VisitorCounterError) -> [StoredConnection] {
        try state.withLock { s throws(VisitorCounterError) in
            if s.failNextConnections {
                s.failNextConnections = false
                throw VisitorCounterError(.storage, "scan failed")
            }
            return s.connections.map { StoredConnection(connectionId: $0.key, connectedAt: $0.value, expiresAt: s.expiresAt[$0.key]) }
                .sorted { $0.connectionId < $1.connectionId }
        }
    }

    func removeGoneConnection(_ connectionId: String, deadline: ContinuousClock.Instant) throws(VisitorCounterError) -> Bool {
        let liveViewers = state.withLock { s in
            s.removed.append(connectionId)
            return s.liveViewers
        }
        return try disconnect(connectionId: connectionId, liveViewers: liveViewers, deadline: deadline)
    }

    func correctLive(by delta: Int64, deadline: ContinuousClock.Instant) throws(VisitorCounterError) {
        state.withLock { s in
            s.corrections.append(delta)
            s.live = (s.live ?? 0) + delta
        }
    }
}

/// The in-memory fake of `PushChannel`: records every message per connection; chosen ids answer 410
/// or fail; `maxInFlight` is what the broadcast asked for.
final class RecordingPushChannel: PushChannel, Sendable {
    struct State {
        var received: [String: [String]] = [:]
        var gone: Set<String> = []
        /// Connections that fail, and how (a 500 unless a test says otherwise).
        var failing: [String: AWSClientError] = [:]
        var broadcasts = 0
        var concurrency: [Int] = []
    }

    let state = Mutex(State())

    func broadcast(_ message: [UInt8], to connectionIds: [String], concurrency: Int, deadline: ContinuousClock.Instant) -> BroadcastReport {
        state.withLock { s in
            s.broadcasts += 1
            s.concurrency.append(concurrency)
            let deliveries = connectionIds.map { id -> BroadcastReport.Delivery in
                if s.gone.contains(id) { return .init(connectionId: id, outcome: .gone, attempts: 1) }
                if let error = s.failing[id] { return .init(connectionId: id, outcome: .failed(error), attempts: 1) }
                s.received[id, default: []].append(String(decoding: message, as: UTF8.self))
                return .init(connectionId: id, outcome: .sent, attempts: 1)
            }
            return BroadcastReport(deliveries: deliveries)
        }
    }
}

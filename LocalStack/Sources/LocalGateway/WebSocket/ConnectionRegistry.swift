import Foundation
import HummingbirdWebSocket
import Synchronization

/// The open WebSocket connections by id: who they are, how to write to them, and how to close them.
/// A connection is registered once its handshake completed (so, as on API Gateway, posting to it
/// while `$connect` is still running answers 410).
final class ConnectionRegistry: Sendable {
    /// One open connection.
    struct Entry: Sendable {
        var info: GatewayConnection
        var outbound: WebSocketOutboundWriter
        /// Epoch milliseconds of the last frame received or sent.
        var lastActiveAt: Int64
        /// Set when the Management API asked to close it (DELETE), so `$disconnect` reports that.
        var closedByServer = false
    }

    private let entries = Mutex<[String: Entry]>([:])
    /// Connections whose `$disconnect` has not finished yet (open ones included).
    private let awaitingDisconnect = Mutex(0)

    init() {}

    /// Adds an open connection; `disconnectFinished()` must follow once its `$disconnect` has run.
    func add(_ info: GatewayConnection, outbound: WebSocketOutboundWriter) {
        awaitingDisconnect.withLock { $0 += 1 }
        entries.withLock { $0[info.id] = Entry(info: info, outbound: outbound, lastActiveAt: info.connectedAt) }
    }

    /// Notes that the `$disconnect` of a connection given to `add` has finished (or was not sent).
    func disconnectFinished() {
        awaitingDisconnect.withLock { $0 -= 1 }
    }

    /// Waits until every connection has been closed and its `$disconnect` has finished, or `timeout`
    /// passed; returns how many were still outstanding. Shutdown calls it before stopping the
    /// functions, so no `$disconnect` meets a stopped function or a table that is already gone.
    func waitForDisconnects(timeout: Duration) async -> Int {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if awaitingDisconnect.withLock({ $0 }) == 0 { return 0 }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return awaitingDisconnect.withLock { $0 }
    }

    /// Removes a connection and returns what it was.
    @discardableResult
    func remove(_ id: String) -> Entry? {
        entries.withLock { $0.removeValue(forKey: id) }
    }

    /// The connection `id`, if open.
    func entry(_ id: String) -> Entry? {
        entries.withLock { $0[id] }
    }

    /// Notes activity on `id` now.
    func touch(_ id: String) {
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        entries.withLock { $0[id]?.lastActiveAt = now }
    }

    /// Marks `id` as closed by the server; returns its writer, or nil when it is not open.
    func markClosedByServer(_ id: String) -> WebSocketOutboundWriter? {
        entries.withLock { entries -> WebSocketOutboundWriter? in
            guard entries[id] != nil else { return nil }
            entries[id]?.closedByServer = true
            return entries[id]?.outbound
        }
    }

    /// The connections, not already being closed, with no activity since `idleCutoff` or opened before
    /// `openedCutoff` (epoch milliseconds), each with which limit it reached.
    func expired(idleBefore idleCutoff: Int64, openedBefore openedCutoff: Int64) -> [(id: String, idle: Bool)] {
        entries.withLock { entries in
            entries.values.filter { !$0.closedByServer && ($0.lastActiveAt < idleCutoff || $0.info.connectedAt < openedCutoff) }
                .map { ($0.info.id, $0.lastActiveAt < idleCutoff) }
        }
    }

    /// How many connections are open.
    var count: Int { entries.withLock { $0.count } }
}

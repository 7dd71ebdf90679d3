import Foundation
import HummingbirdWebSocket
import Synchronization

/// The open WebSocket connections by id: who they are, how to write to them, and how to close them.
/// A connection is registered once its handshake completed (so, as on API Gateway, posting to it
/// while `$connect` is still running answers 410).
final class ConnectionRegistry: Sendable {
    /// One open connection.
    struct Entry: Sendable {
        var info: ConnectionInfo
        var outbound: WebSocketOutboundWriter
        /// Epoch milliseconds of the last frame received or sent.
        var lastActiveAt: Int64
        /// Set when the Management API asked to close it (DELETE), so `$disconnect` reports that.
        var closedByServer = false
    }

    private let entries = Mutex<[String: Entry]>([:])

    init() {}

    /// Adds an open connection.
    func add(_ info: ConnectionInfo, outbound: WebSocketOutboundWriter) {
        entries.withLock { $0[info.id] = Entry(info: info, outbound: outbound, lastActiveAt: info.connectedAt) }
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

    /// The connections with no activity since `cutoff` (epoch milliseconds), not already being closed.
    func idle(before cutoff: Int64) -> [String] {
        entries.withLock { entries in
            entries.values.filter { $0.lastActiveAt < cutoff && !$0.closedByServer }.map(\.info.id)
        }
    }

    /// How many connections are open.
    var count: Int { entries.withLock { $0.count } }
}

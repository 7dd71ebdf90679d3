import Synchronization

/// The origins whose `$connect` was refused (403), so `EndpointDiagnostics` can tell a page that
/// asks why its handshake failed. DBUpdater stays the one that decides; this only remembers.
final class RefusedOrigins: Sendable {
    private let origins = Mutex<Set<String>>([])
    /// A page cannot grow this without bound by inventing origins.
    static let limit = 256

    init() {}

    /// Remembers `origin` (lower-cased, without a trailing slash, as DBUpdater compares them).
    func add(_ origin: String) {
        let key = Self.normalise(origin)
        origins.withLock { origins in
            if origins.count >= Self.limit { origins.removeAll() }
            origins.insert(key)
        }
    }

    /// Whether `$connect` refused `origin`.
    func contains(_ origin: String) -> Bool {
        let key = Self.normalise(origin)
        return origins.withLock { $0.contains(key) }
    }

    private static func normalise(_ origin: String) -> String {
        var key = origin.lowercased()
        while key.hasSuffix("/") { key.removeLast() }
        return key
    }
}

import AWSClient
import SystemSupport

/// The app settings both functions read once at start (docs/design.md §2); AWS settings live in AWSConfiguration.
public struct FunctionConfiguration: Sendable, Equatable {
    /// `VISITOR_COUNT_TABLE`, default `VisitorCount`.
    package var visitorCountTable: String
    /// `CONNECTIONS_TABLE`, default `ConnectionIDs`.
    public var connectionsTable: String
    /// `ALLOWED_ORIGINS`: origins allowed to connect, normalised; empty allows any.
    public var allowedOrigins: Set<String>
    /// `LIVE_VIEWERS=true` keeps a live count of open connections.
    public var liveViewers: Bool
    /// `WEBSOCKET_API_ENDPOINT`: Management API base including the stage (DBStreamProcessor only).
    package var websocketAPIEndpoint: String?
    /// `FANOUT_CONCURRENCY`: requests in flight during a broadcast, default 64.
    package var fanoutConcurrency: Int
    /// `COUNTER_SHARDS`: items the visit count is spread over (1...32), default 1 (the item `visitors` alone).
    public var counterShards: CounterShards
    /// `UNIQUE_VISITORS=true` also counts distinct visitors per UTC day (docs/design.md, "Unique visitors").
    public var uniqueVisitors: Bool

    public init(
        visitorCountTable: String = "VisitorCount",
        connectionsTable: String = "ConnectionIDs",
        allowedOrigins: Set<String> = [],
        liveViewers: Bool = false,
        websocketAPIEndpoint: String? = nil,
        fanoutConcurrency: Int = 64,
        counterShards: Int = 1,
        uniqueVisitors: Bool = false
    ) {
        self.visitorCountTable = visitorCountTable
        self.connectionsTable = connectionsTable
        self.allowedOrigins = Set(allowedOrigins.map(Self.normaliseOrigin))
        self.liveViewers = liveViewers
        self.websocketAPIEndpoint = websocketAPIEndpoint
        self.fanoutConcurrency = fanoutConcurrency
        self.counterShards = CounterShards(count: counterShards)
        self.uniqueVisitors = uniqueVisitors
    }

    /// Reads and validates the settings; `requireEndpoint` is true for DBStreamProcessor.
    /// - Throws: `VisitorCounterError(.configuration)` naming the variable at fault.
    public static func fromEnvironment(
        _ env: [String: String], requireEndpoint: Bool = false
    ) throws(VisitorCounterError) -> FunctionConfiguration {
        func value(_ name: String) -> String? {
            guard let raw = env[name]?.trimmingWhitespace(), !raw.isEmpty else { return nil }
            return raw
        }
        func tableName(_ name: String, default fallback: String) throws(VisitorCounterError) -> String {
            let table = value(name) ?? fallback
            // DynamoDB table names: 3-255 characters of [a-zA-Z0-9_.-].
            let valid = (3...255).contains(table.utf8.count)
                && table.utf8.allSatisfy { $0.isASCIIAlphanumeric || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
            guard valid else { throw VisitorCounterError(.configuration, "\(name) is not a valid DynamoDB table name: \(table)") }
            return table
        }
        var config = FunctionConfiguration(
            visitorCountTable: try tableName("VISITOR_COUNT_TABLE", default: "VisitorCount"),
            connectionsTable: try tableName("CONNECTIONS_TABLE", default: "ConnectionIDs"))

        if let origins = value("ALLOWED_ORIGINS") {
            config.allowedOrigins = Set(origins.split(separator: ",").map { normaliseOrigin(String($0).trimmingWhitespace()) }.filter { !$0.isEmpty })
        }
        switch value("LIVE_VIEWERS")?.lowercased() {
        case nil, "false", "0", "no": config.liveViewers = false
        case "true", "1", "yes": config.liveViewers = true
        case let other?: throw VisitorCounterError(.configuration, "LIVE_VIEWERS must be true or false, not \(other)")
        }
        switch value("UNIQUE_VISITORS")?.lowercased() {
        case nil, "false", "0", "no": config.uniqueVisitors = false
        case "true", "1", "yes": config.uniqueVisitors = true
        case let other?: throw VisitorCounterError(.configuration, "UNIQUE_VISITORS must be true or false, not \(other)")
        }
        if let concurrency = value("FANOUT_CONCURRENCY") {
            guard let n = Int(concurrency), (1...1024).contains(n) else {
                throw VisitorCounterError(.configuration, "FANOUT_CONCURRENCY must be a whole number from 1 to 1024, not \(concurrency)")
            }
            config.fanoutConcurrency = n
        }
        if let shards = value("COUNTER_SHARDS") {
            guard let n = Int(shards), CounterShards.allowed.contains(n) else {
                throw VisitorCounterError(
                    .configuration,
                    "COUNTER_SHARDS must be a whole number from \(CounterShards.allowed.lowerBound) to \(CounterShards.allowed.upperBound), not \(shards)")
            }
            config.counterShards = CounterShards(count: n)
        }
        if let endpoint = value("WEBSOCKET_API_ENDPOINT") {
            guard endpoint.hasPrefix("https://") || endpoint.hasPrefix("http://") else {
                throw VisitorCounterError(.configuration, "WEBSOCKET_API_ENDPOINT must be an http(s) URL including the stage, not \(endpoint)")
            }
            do {
                config.websocketAPIEndpoint = try AWSConfiguration.validatedEndpoint(endpoint, variable: "WEBSOCKET_API_ENDPOINT")
            } catch {
                throw VisitorCounterError(.configuration, error.message)
            }
        } else if requireEndpoint {
            throw VisitorCounterError(.configuration, "WEBSOCKET_API_ENDPOINT is not set (the Management API base including the stage, e.g. https://abc123.execute-api.eu-west-1.amazonaws.com/prod)")
        }
        return config
    }

    /// Origins compare case-insensitively and without a trailing slash (`https://Example.com/` = `https://example.com`).
    static func normaliseOrigin(_ origin: String) -> String {
        var o = origin.lowercased()
        while o.hasSuffix("/") { o.removeLast() }
        return o
    }

    /// Whether a page from `origin` may connect.
    public func allows(origin: String?) -> Bool {
        if allowedOrigins.isEmpty { return true }
        guard let origin else { return false }
        return allowedOrigins.contains(Self.normaliseOrigin(origin))
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }
}

/// Structured logging for functions: one JSON object per line on stdout, the shape of Lambda's JSON log
/// format (`timestamp`, `level`, `requestId`, `message`), with the caller's fields as extra top-level keys.
/// https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-advanced.html
///
/// ```
/// {"timestamp":"2026-11-29T06:47:25.123Z","level":"INFO","requestId":"8476a536-…","message":"broadcast","sent":3}
/// ```
public struct LambdaLogger: Sendable {
    /// Severity, ordered; lines below the logger's level are dropped.
    public enum Level: Int, Sendable, Comparable, CaseIterable {
        /// Detail for debugging.
        case debug
        /// Normal operation (the default).
        case info
        /// Something unexpected that the function handled.
        case warn
        /// A failure.
        case error

        /// Parses a `LOG_LEVEL` value: `debug`, `info`, `warn` or `error`, in any letter case.
        public init?(name: String) {
            guard let level = Self.allCases.first(where: { $0.name == name.uppercased() }) else { return nil }
            self = level
        }

        /// The upper-case name written in the `level` key, as Lambda writes it.
        public var name: String {
            switch self {
            case .debug: "DEBUG"
            case .info: "INFO"
            case .warn: "WARN"
            case .error: "ERROR"
            }
        }

        /// Orders by severity.
        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// Lines below this level are dropped.
    public let level: Level
    /// The invocation this logger belongs to; nil outside an invocation.
    public let requestID: String?
    private let output: @Sendable ([UInt8]) -> Void
    private let clock: @Sendable () -> Int64

    /// A logger writing to stdout.
    public init(level: Level = .info, requestID: String? = nil) {
        self.init(level: level, requestID: requestID, clock: WallClock.epochMilliseconds) {
            ProcessGlue.write($0, to: 1)
        }
    }

    /// A logger writing each line (newline included) to `output`, with `clock` giving epoch milliseconds;
    /// for tests and for callers that collect logs.
    public init(
        level: Level, requestID: String?, clock: @escaping @Sendable () -> Int64,
        output: @escaping @Sendable ([UInt8]) -> Void
    ) {
        self.level = level
        self.requestID = requestID
        self.clock = clock
        self.output = output
    }

    /// The level named by `LOG_LEVEL`'s value; nil (unset or empty) means `.info`.
    /// - Throws: `LambdaRuntimeError(.configuration)` for any other value.
    public static func level(fromEnvironment value: String?) throws(LambdaRuntimeError) -> Level {
        guard let value, !value.isEmpty else { return .info }
        guard let level = Level(name: value) else {
            throw LambdaRuntimeError(code: .configuration, message: "LOG_LEVEL must be debug, info, warn or error, not \(JSONText.quoted(value))")
        }
        return level
    }

    /// The same logger for another invocation.
    public func with(requestID: String?) -> LambdaLogger {
        LambdaLogger(level: level, requestID: requestID, clock: clock, output: output)
    }

    /// Logs at `debug`.
    public func debug(_ message: String, _ fields: [String: LogValue] = [:]) { log(.debug, message, fields) }
    /// Logs at `info`.
    public func info(_ message: String, _ fields: [String: LogValue] = [:]) { log(.info, message, fields) }
    /// Logs at `warn`.
    public func warn(_ message: String, _ fields: [String: LogValue] = [:]) { log(.warn, message, fields) }
    /// Logs at `error`.
    public func error(_ message: String, _ fields: [String: LogValue] = [:]) { log(.error, message, fields) }

    /// Writes one line when `level` is at or above the logger's level.
    public func log(_ level: Level, _ message: String, _ fields: [String: LogValue] = [:]) {
        guard level >= self.level else { return }
        output(Array(line(level, message, fields).utf8))
    }

    /// The JSON line, newline included. Fields are sorted by name for stable output; a field that
    /// would overwrite a standard key is written with a `field.` prefix instead.
    func line(_ level: Level, _ message: String, _ fields: [String: LogValue]) -> String {
        var text = "{\"timestamp\":\"" + WallClock.iso8601(epochMilliseconds: clock()) + "\",\"level\":\"" + level.name + "\""
        if let requestID { text += ",\"requestId\":" + JSONText.quoted(requestID) }
        text += ",\"message\":" + JSONText.quoted(message)
        for name in fields.keys.sorted() {
            let key = Self.reservedKeys.contains(name) ? "field." + name : name
            text += "," + JSONText.quoted(key) + ":" + fields[name]!.jsonText
        }
        return text + "}\n"
    }

    private static let reservedKeys: Set<String> = ["timestamp", "level", "requestId", "message"]
}

import LambdaRuntime

/// The figures of one DBUpdater invocation that reached DynamoDB, logged as one JSON line in CloudWatch
/// Embedded Metric Format, like DBStreamProcessor's `BroadcastSummary`: same namespace, the same single
/// `FunctionName` dimension.
///
/// Its `level` is INFO, or WARN when `LOG_LEVEL` is `warn` or `error`: a metric line is information, but
/// Lambda's log-level filter drops lines below the function's level, and the metrics with them
/// (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-log-level.html). Never ERROR:
/// nothing failed. So `LogLevel=error` drops the line, as it drops the broadcast summary.
///
/// `$connect` lines carry `visits`, `newVisitors` (unique visitors on) and `handshakeErrors`; every line
/// carries `conflicts` and `retries`. So each `$connect` is one sample of `handshakeErrors` (0 or 1), and
/// its average is the share of handshakes that failed. The route is a plain field, not a dimension:
/// every dimension value is one more custom metric per metric name (billed monthly), so the whole function
/// costs at most five custom metrics. docs/design.md §5 ("DBUpdater") lists the figures.
package struct UpdaterMetrics: Sendable, Equatable {
    /// `$connect`, `$disconnect`, `sync` or `history` (a log field for Logs Insights).
    public var route: String
    /// 1 when this `$connect` counted a visit (the counter went up), else 0.
    public var visits = 0
    /// 1 when this `$connect` counted a visitor new that day; nil (not written) when unique visitors are off.
    public var newVisitors: Int?
    /// Attempts of a counting transaction (the counter shards) made again after the previous one failed:
    /// in a spike, DynamoDB cancelling it on a `TransactionConflict` with another `$connect` on the same
    /// shard; also throttling, a 5xx or a failure in transit (the client retries all of these alike).
    public var conflicts = 0
    /// DynamoDB requests of this invocation sent again (conflicts, throttling, 5xx, transport failures).
    public var retries = 0
    /// 1 when this `$connect` failed: API Gateway answered the handshake with an error, the visit is not
    /// counted and the page gets no count.
    public var handshakeErrors = 0

    /// The metric names (`$connect` lines: visits, newVisitors with unique visitors on, handshakeErrors;
    /// every line: conflicts, retries).
    package static let visitsMetric = "visits"
    package static let newVisitorsMetric = "newVisitors"
    package static let conflictsMetric = "conflicts"
    package static let retriesMetric = "retries"
    package static let handshakeErrorsMetric = "handshakeErrors"
    /// Every metric this line can carry.
    package static let metricNames = [visitsMetric, newVisitorsMetric, handshakeErrorsMetric, conflictsMetric, retriesMetric]

    public init(route: String, newVisitors: Int? = nil) {
        self.route = route
        self.newVisitors = newVisitors
    }

    /// The log line: the figures at the top level plus the `_aws` EMF metadata.
    /// - Parameters:
    ///   - timestamp: epoch milliseconds.
    ///   - functionName: the `FunctionName` dimension (`AWS_LAMBDA_FUNCTION_NAME`), when known.
    ///   - logLevel: the function's `LOG_LEVEL`, which decides the line's own level (see the type's doc).
    package func logLine(timestamp: Int64, functionName: String?, logLevel: LambdaLogger.Level = .info) -> String {
        // Hand-written, no encoder and no formatting: this runs on every warm `$connect`. The names are the
        // constants above (the ones `metricNames` lists), never literals of their own.
        var metrics = ""
        var values = ""
        func add(_ name: String, _ value: Int) {
            if !metrics.isEmpty {
                metrics += ","
                values += ","
            }
            metrics += "{\"Name\":\"" + name + "\",\"Unit\":\"Count\"}"
            values += "\"" + name + "\":" + String(value)
        }
        if route == "$connect" {
            add(Self.visitsMetric, visits)
            if let newVisitors { add(Self.newVisitorsMetric, newVisitors) }
            add(Self.handshakeErrorsMetric, handshakeErrors)
        }
        add(Self.conflictsMetric, conflicts)
        add(Self.retriesMetric, retries)
        var dimensions = "[[]]"
        if let functionName, !functionName.isEmpty {
            dimensions = "[[\"FunctionName\"]]"
            values += ",\"FunctionName\":" + JSONText.quoted(functionName)
        }
        let level = logLevel >= .warn ? "WARN" : "INFO"
        return "{\"timestamp\":\"" + WallClock.iso8601(epochMilliseconds: timestamp) + "\",\"level\":\"" + level + "\","
            + "\"message\":\"request\",\"route\":" + JSONText.quoted(route) + "," + values
            + ",\"_aws\":{\"Timestamp\":\(timestamp),\"CloudWatchMetrics\":[{\"Namespace\":\"\(BroadcastSummary.namespace)\","
            + "\"Dimensions\":" + dimensions + ",\"Metrics\":[" + metrics + "]}]}}"
    }
}

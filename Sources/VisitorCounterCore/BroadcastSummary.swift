import AWSClient
import LambdaRuntime

/// The figures of one DBStreamProcessor invocation, logged as one JSON line for every invocation (a batch
/// with nothing to send included, with `sent: 0` and its `reason`). The line is also CloudWatch Embedded
/// Metric Format: CloudWatch Logs turns it into metrics in the `VisitorCounter` namespace, with no
/// PutMetricData calls (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html).
///
/// It carries `"level":"WARN"` and an RFC 3339 `timestamp`: Lambda's log-level filter reads a line without
/// them as INFO, and `LogLevel=warn` would then drop the one line that says what each broadcast did
/// (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-log-level.html).
package struct BroadcastSummary: Sendable {
    public var connections = 0
    /// What the broadcast did, connection by connection (none when nothing was posted): the line's `sent`,
    /// `gone`, `failed`, `retries` and `errors` are read from it, not copied.
    public var broadcast = BroadcastReport(deliveries: [])
    public var durationMs: Int64 = 0
    /// Rows past their `expiresAt`: neither posted to nor counted.
    public var expired = 0
    /// The `live` value broadcast (connections found open), when live viewers are on.
    public var live: Int?
    /// What was added to the stored live count to bring it to `live` (0 when it already agreed).
    public var liveCorrection: Int64?
    /// Why this invocation sent what it sent: `counter changed`, or why nothing was sent.
    public var reason = "counter changed"

    public init() {}

    /// The metric namespace.
    package static let namespace = "VisitorCounter"

    /// The figures the line declares as metrics, with their units (tests/test_template.py reads this list:
    /// every metric of the dashboard and the alarms must be one of them or of `UpdaterMetrics`).
    package static let metricDefinitions: [(name: String, unit: String)] = [
        ("connections", "Count"), ("sent", "Count"), ("gone", "Count"), ("failed", "Count"), ("retries", "Count"),
        ("durationMs", "Milliseconds"),
    ]

    /// The EMF `Metrics` array, made once.
    static let metricsJSON = metricDefinitions.map { "{\"Name\":\"\($0.name)\",\"Unit\":\"\($0.unit)\"}" }.joined(separator: ",")

    /// The log line: the summary fields at the top level plus the `_aws` EMF metadata.
    /// - Parameters:
    ///   - timestamp: epoch milliseconds.
    ///   - functionName: the `FunctionName` dimension (`AWS_LAMBDA_FUNCTION_NAME`), when known.
    package func logLine(timestamp: Int64, functionName: String?) -> String {
        var dimensions = "[[]]"
        var dimensionValue = ""
        if let functionName, !functionName.isEmpty {
            dimensions = "[[\"FunctionName\"]]"
            dimensionValue = ",\"FunctionName\":\(JSONText.quoted(functionName))"
        }
        var extra = ",\"expired\":\(expired)"
        if let live { extra += ",\"live\":\(live)" }
        if let liveCorrection { extra += ",\"liveCorrection\":\(liveCorrection)" }
        // One sample reason per failure kind: a signing or permissions problem shows its reason, not only a count.
        let failureSamples = broadcast.failureSamples
        if !failureSamples.isEmpty {
            extra += ",\"errors\":{" + failureSamples.map { "\(JSONText.quoted($0.kind)):\(JSONText.quoted($0.error.description))" }
                .joined(separator: ",") + "}"
        }
        return "{\"timestamp\":\"\(WallClock.iso8601(epochMilliseconds: timestamp))\",\"level\":\"WARN\","
            + "\"message\":\"broadcast\",\"reason\":\(JSONText.quoted(reason)),\"connections\":\(connections),\"sent\":\(broadcast.sent),"
            + "\"gone\":\(broadcast.gone),\"failed\":\(broadcast.failed),\"retries\":\(broadcast.retries),\"durationMs\":\(durationMs)\(extra)\(dimensionValue),"
            + "\"_aws\":{\"Timestamp\":\(timestamp),\"CloudWatchMetrics\":[{\"Namespace\":\"\(Self.namespace)\","
            + "\"Dimensions\":\(dimensions),\"Metrics\":[\(Self.metricsJSON)]}]}}"
    }
}

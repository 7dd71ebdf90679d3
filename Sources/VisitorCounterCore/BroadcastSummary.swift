import LambdaRuntime

/// The figures of one DBStreamProcessor invocation, logged as one JSON line that is also CloudWatch
/// Embedded Metric Format: CloudWatch Logs turns the same line into metrics in the `VisitorCounter`
/// namespace, with no PutMetricData calls (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html).
public struct BroadcastSummary: Sendable, Equatable {
    public var connections = 0
    public var sent = 0
    public var gone = 0
    public var failed = 0
    public var retries = 0
    public var durationMs: Int64 = 0

    public init() {}

    /// The metric namespace.
    public static let namespace = "VisitorCounter"

    /// The log line: the summary fields at the top level plus the `_aws` EMF metadata.
    /// - Parameters:
    ///   - timestamp: epoch milliseconds.
    ///   - functionName: the `FunctionName` dimension (`AWS_LAMBDA_FUNCTION_NAME`), when known.
    public func logLine(timestamp: Int64, functionName: String?) -> String {
        let metrics = [("connections", "Count"), ("sent", "Count"), ("gone", "Count"), ("failed", "Count"),
                       ("retries", "Count"), ("durationMs", "Milliseconds")]
            .map { "{\"Name\":\"\($0.0)\",\"Unit\":\"\($0.1)\"}" }.joined(separator: ",")
        var dimensions = "[[]]"
        var dimensionValue = ""
        if let functionName, !functionName.isEmpty {
            dimensions = "[[\"FunctionName\"]]"
            dimensionValue = ",\"FunctionName\":\(JSONText.quoted(functionName))"
        }
        return "{\"message\":\"broadcast\",\"connections\":\(connections),\"sent\":\(sent),\"gone\":\(gone),"
            + "\"failed\":\(failed),\"retries\":\(retries),\"durationMs\":\(durationMs)\(dimensionValue),"
            + "\"_aws\":{\"Timestamp\":\(timestamp),\"CloudWatchMetrics\":[{\"Namespace\":\"\(Self.namespace)\","
            + "\"Dimensions\":\(dimensions),\"Metrics\":[\(metrics)]}]}}"
    }
}

import AWSClient
import Foundation
import LambdaEvents
import ProcessTestSupport
import RuntimeAPIServer
import Testing
import TestSupport

/// The metric line of the real DBUpdater bootstrap (docs/design.md §5, "DBUpdater"), on moto with signature
/// checking on: one line per request that reached DynamoDB, on stdout, whose figures are what the table shows.
@Suite(.serialized) struct DBUpdaterMetricsProcessTests {
    static let functionName = "vc-DBUpdater-test"

    /// The metric lines in `output`, decoded.
    static func metricLines(_ output: String) throws -> [[String: Any]] {
        try output.split(separator: "\n").filter { $0.contains(#""message":"request""#) }.map {
            try require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any], "a metric line that is JSON: \($0)")
        }
    }

    /// The lines once `count` of them arrived (the pipe may deliver a moment after the invocation's answer).
    static func metricLines(of fleet: FunctionFleet, count: Int) async throws -> [[String: Any]] {
        var polls = 0
        while try metricLines(fleet.output).count < count, polls < 200 {
            polls += 1
            try await Task.sleep(for: .milliseconds(25))
        }
        return try metricLines(fleet.output)
    }

    @Test func everyRequestPrintsOneLineWhoseVisitsAddUpToTheCounter() async throws {
        let aws = try LocalAWS()
        let fleet = try await FunctionFleet(binary: "DBUpdater") {
            aws.environment(runtimeAPI: $0, extra: ["UNIQUE_VISITORS": "true", "AWS_LAMBDA_FUNCTION_NAME": Self.functionName])
        }
        defer { Task { await fleet.stop() } }
        let events = [
            WebSocketEvents.event(route: "$connect", connectionId: WebSocketEvents.connectionId(1), visit: "page-view-1"),
            // The same page view reconnecting: no visit.
            WebSocketEvents.event(route: "$connect", connectionId: WebSocketEvents.connectionId(2), visit: "page-view-1"),
            // The same visitor (address, browser, site) in another tab: a visit, not a new visitor.
            WebSocketEvents.event(route: "$connect", connectionId: WebSocketEvents.connectionId(3), visit: "page-view-2"),
            WebSocketEvents.event(route: "sync", connectionId: WebSocketEvents.connectionId(3)),
            WebSocketEvents.event(route: "$disconnect", connectionId: WebSocketEvents.connectionId(1)),
        ]
        for event in events {
            let result = try await fleet.invoke(event)
            #expect(result.webSocketResponse?.statusCode == 200, "\(result) \(fleet.output.suffix(2000))")
        }
        let lines = try await Self.metricLines(of: fleet, count: events.count)
        #expect(lines.count == events.count, "\(fleet.output.suffix(3000))")
        #expect(lines.map { $0["route"] as? String } == ["$connect", "$connect", "$connect", "sync", "$disconnect"])
        #expect(lines.map { $0["visits"] as? Int } == [1, 0, 1, nil, nil])
        #expect(lines.map { $0["newVisitors"] as? Int } == [1, 0, 0, nil, nil])
        #expect(lines.map { $0["handshakeErrors"] as? Int } == [0, 0, 0, nil, nil])
        // moto serves one request at a time: no conflict, nothing retried.
        #expect(lines.allSatisfy { $0["conflicts"] as? Int == 0 && $0["retries"] as? Int == 0 })
        for line in lines {
            #expect(line["FunctionName"] as? String == Self.functionName)
            #expect(line["level"] as? String == "WARN")
            let directive = try require(((line["_aws"] as? [String: Any])?["CloudWatchMetrics"] as? [[String: Any]])?.first, "EMF")
            #expect(directive["Namespace"] as? String == "VisitorCounter")
            #expect(directive["Dimensions"] as? [[String]] == [["FunctionName"]])
            let declared = (directive["Metrics"] as? [[String: String]] ?? []).compactMap { $0["Name"] }
            #expect(declared.allSatisfy { line[$0] is Int }, "\(declared)")
        }
        // The figures are the table's: two visits, one visitor.
        let counted = lines.compactMap { $0["visits"] as? Int }.reduce(0, +)
        #expect(try aws.counter().visits == counted)
        let shard = try aws.client.getItem(table: aws.counterTable, key: ["id": .string("visitors")], consistentRead: true)
        #expect(shard?["visitors"]?.intValue == lines.compactMap { $0["newVisitors"] as? Int }.reduce(0, +))
    }

    @Test func aConnectDynamoDBRefusesIsAHandshakeErrorOnTheLine() async throws {
        let aws = try LocalAWS()
        // A table that does not exist: DynamoDB answers ResourceNotFoundException, which is not retried.
        let fleet = try await FunctionFleet(binary: "DBUpdater") {
            aws.environment(runtimeAPI: $0, extra: ["VISITOR_COUNT_TABLE": "NoSuchTable", "AWS_LAMBDA_FUNCTION_NAME": Self.functionName])
        }
        defer { Task { await fleet.stop() } }
        let result = try await fleet.invoke(
            WebSocketEvents.event(route: "$connect", connectionId: WebSocketEvents.connectionId(1), visit: "page-view-1"))
        guard case .error = result else {
            Issue.record("the connect should have failed: \(result)")
            return
        }
        let lines = try await Self.metricLines(of: fleet, count: 1)
        #expect(lines.count == 1, "\(fleet.output.suffix(2000))")
        #expect(lines.first?["handshakeErrors"] as? Int == 1)
        #expect(lines.first?["visits"] as? Int == 0)
        // The line carries figures, never the request's address, browser or the error's text.
        #expect(!fleet.output.split(separator: "\n").filter { $0.contains(#""message":"request""#) }.contains { $0.contains("127.0.0.1") })
    }
}

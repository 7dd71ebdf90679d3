import AWSClient
import Foundation
import LambdaEvents
import RuntimeAPIServer
import Testing
import ProcessTestSupport
import TestSupport

/// DBStreamProcessor against a Management API that misbehaves per connection (vctools/fixtures/management_api_server.py):
/// a 410 storm, 429 bursts, lasting 500s, slow answers and connections that never answer. The broadcast
/// must end within the invocation's deadline, reach every connection that can be reached, and no bad
/// connection may hold up the others beyond its own attempt timeout.
@Suite(.serialized) struct ManagementAPIFaultTests {
    @Test func badConnectionsNeverHoldUpTheRest() async throws {
        let aws = try FaultyAWS()
        defer { aws.stop() }
        let api = try aws.managementAPI()
        let ids = (0..<400).map { WebSocketEvents.connectionId($0) }
        try aws.putConnections(ids, connectedAt: Int64(Date().timeIntervalSince1970 * 1000) - 60_000)
        let gone = Array(ids[0..<150])  // a 410 storm: most of an audience left at once
        let throttled = Array(ids[150..<200])  // 429 three times, then accepted
        let broken = Array(ids[200..<220])  // 500 on every attempt, retried until shortly before the deadline
        let slow = Array(ids[220..<240])  // answers after 1 s
        let hanging = Array(ids[240..<243])  // never answers
        let healthy = Array(ids[243...])
        try api.script(gone, then: 410)
        try api.script(throttled, statuses: [429, 429, 429], then: 200)
        try api.script(broken, then: 500)
        try api.script(slow, then: 200, delayMs: 1_000)
        try api.script(hanging, then: 200, delayMs: 600_000)

        // Few requests in flight, so that hanging connections would visibly starve the rest if they could.
        let processor = try await FunctionInstance(binary: "DBStreamProcessor") {
            aws.environment(runtimeAPI: $0, extra: ["WEBSOCKET_API_ENDPOINT": api.endpoint + "/local", "FANOUT_CONCURRENCY": "8"])
        }
        defer { Task { await processor.stop() } }
        // 30 s: hanging connections are tried (5 s per attempt) until the broadcast's share of the deadline
        // ends, which leaves the rest to delete gone connections.
        let result = try await processor.invoke(bytes: Events.counterChanged(visits: 7), deadline: .seconds(30))

        let requests = try api.requests()
        let perId = Dictionary(grouping: requests, by: \.connectionId).mapValues(\.count)
        let remaining = try aws.connections()
        #expect(await processor.outputContains("\"_aws\""), "the summary line")
        let summary = try Self.summary(in: processor.output)
        Artifacts.save("mgmt-api-faults", processor.output + aws.log)
        Artifacts.figures("mgmt-api-faults", [
            "connections": ids.count, "expectedSent": healthy.count + throttled.count + slow.count, "sent": summary["sent"] ?? -1,
            "expectedGone": gone.count, "gone": summary["gone"] ?? -1, "expectedFailed": broken.count + hanging.count,
            "failed": summary["failed"] ?? -1, "retries": summary["retries"] ?? -1, "durationMs": summary["durationMs"] ?? -1,
            "hangAttempts": hanging.map { perId[$0] ?? 0 }.reduce(0, +), "goneDeleted": gone.filter { remaining[$0] == nil }.count,
        ])

        // The invocation ended by its deadline with a response (the server throws on a timeout).
        #expect(result.errorType == nil, "\(processor.output.suffix(2000))")
        #expect(summary["sent"] == healthy.count + throttled.count + slow.count)
        #expect(summary["gone"] == gone.count)
        #expect(summary["failed"] == broken.count + hanging.count)
        #expect(healthy.allSatisfy { perId[$0] == 1 } && slow.allSatisfy { perId[$0] == 1 })
        #expect(throttled.allSatisfy { perId[$0] == 4 }, "three 429s, then delivered")
        #expect(broken.allSatisfy { (perId[$0] ?? 0) >= 5 }, "500s are retried until shortly before the deadline")
        // Gone connections are deleted one by one after the broadcast, with what is left of the deadline
        // (hanging connections use most of it); those not reached expire by TTL. Only gone ones are deleted.
        let deleted = Set(ids).subtracting(remaining.keys)
        #expect(deleted.isSubset(of: Set(gone)), "only connections that answered 410 are deleted")
        #expect(!deleted.isEmpty)
        // A hanging connection is tried again and again, 5 s each; every other connection had its first
        // attempt before any hang reached its third: none waited for a hang to run out.
        func priorAttempts(_ index: Int) -> Int { requests[..<index].count { $0.connectionId == requests[index].connectionId } }
        let firstThirdAttemptOfAHang = requests.indices.first { hanging.contains(requests[$0].connectionId) && priorAttempts($0) == 2 }
        let lastFirstAttempt = requests.indices.last { !hanging.contains(requests[$0].connectionId) && priorAttempts($0) == 0 }
        let thirdOfAHang = try #require(firstThirdAttemptOfAHang, "a hanging connection is tried until the deadline")
        #expect(try #require(lastFirstAttempt) < thirdOfAHang)
        #expect(processor.isRunning)
    }

    @Test func aBroadcastOutlastsThreeSecondsOfAccountWideThrottling() async throws {
        let aws = try FaultyAWS()
        defer { aws.stop() }
        let api = try aws.managementAPI()
        let ids = (0..<200).map { WebSocketEvents.connectionId($0) }
        try aws.putConnections(ids, connectedAt: Int64(Date().timeIntervalSince1970 * 1000) - 60_000)
        let processor = try await FunctionInstance(binary: "DBStreamProcessor") {
            aws.environment(runtimeAPI: $0, extra: ["WEBSOCKET_API_ENDPOINT": api.endpoint + "/local"])
        }
        defer { Task { await processor.stop() } }
        // The account's 10,000 RPS are shared with every other API: for 3 s from the first post, every POST
        // is refused.
        try api.throttleAll(seconds: 3)
        let result = try await processor.invoke(bytes: Events.counterChanged(visits: 99), deadline: .seconds(30))

        let requests = try api.requests()
        let delivered = Dictionary(grouping: requests.filter { $0.status == 200 }, by: \.connectionId).mapValues(\.count)
        #expect(await processor.outputContains("\"_aws\""), "the summary line")
        let summary = try Self.summary(in: processor.output)
        Artifacts.save("mgmt-api-account-throttling", processor.output + aws.log)
        Artifacts.figures("mgmt-api-account-throttling", [
            "connections": ids.count, "throttledSeconds": 3, "requests": requests.count,
            "refused429": requests.count { $0.status == 429 }, "delivered": delivered.count,
            "sent": summary["sent"] ?? -1, "retries": summary["retries"] ?? -1, "durationMs": summary["durationMs"] ?? -1,
        ])
        #expect(result.errorType == nil, "\(processor.output.suffix(2000))")
        #expect(ids.allSatisfy { delivered[$0] == 1 }, "every connection gets the message exactly once")
        #expect(requests.allSatisfy { $0.status == 429 || $0.body == #"{"visits":99}"# })
        #expect(summary["sent"] == ids.count && summary["failed"] == 0)
        #expect(requests.count { $0.status == 429 } >= ids.count, "every connection was throttled at least once")
    }

    @Test func aSigningFailureShowsItsReasonInTheSummary() async throws {
        let aws = try FaultyAWS()
        defer { aws.stop() }
        let api = try aws.managementAPI()
        let ids = (0..<20).map { WebSocketEvents.connectionId($0) }
        try aws.putConnections(ids, connectedAt: Int64(Date().timeIntervalSince1970 * 1000) - 60_000)
        // The Management API knows other credentials for this key id: every post fails its signature check.
        try api.allow(
            accessKeyId: aws.credentials.accessKeyId, secretAccessKey: "not-the-functions-secret",
            sessionToken: aws.credentials.sessionToken, region: aws.moto.region)
        let processor = try await FunctionInstance(binary: "DBStreamProcessor") {
            aws.environment(runtimeAPI: $0, extra: ["WEBSOCKET_API_ENDPOINT": api.endpoint + "/local", "LOG_LEVEL": "warn"])
        }
        defer { Task { await processor.stop() } }
        let result = try await processor.invoke(bytes: Events.counterChanged(visits: 5), deadline: .seconds(10))
        Artifacts.save("mgmt-api-signing-failure", processor.output + aws.log)
        #expect(result.errorType == nil)
        #expect(await processor.outputContains("\"_aws\""), "the summary line")
        let line = try #require(processor.output.split(separator: "\n").first { $0.contains("\"_aws\"") })
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["failed"] as? Int == ids.count)
        #expect(object["level"] as? String == "WARN", "LOG_LEVEL=warn keeps the summary")
        let errors = try #require(object["errors"] as? [String: String])
        #expect(errors.count == 1, "one sample per kind: \(errors)")
        let reason = try #require(errors["403 InvalidSignatureException"])
        #expect(reason.contains("authentication failed") && reason.contains("signature"), "\(reason)")
    }

    /// The numbers of the processor's JSON summary line.
    static func summary(in output: String) throws -> [String: Int] {
        let line = try #require(output.split(separator: "\n").first { $0.contains("\"_aws\"") })
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        return object.compactMapValues { $0 as? Int }
    }
}

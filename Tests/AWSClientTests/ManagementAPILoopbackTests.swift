import AWSClient
import CurlHTTP
import SigV4
import Testing
import TestSupport

/// One Management API test server for the suite (it exits with the test process).
enum SharedManagementAPI {
    private static let started: (server: ManagementAPITestServer?, error: String?) = {
        do {
            let server = try ManagementAPITestServer()
            try server.allow(accessKeyId: user.accessKeyId, secretAccessKey: user.secretAccessKey, sessionToken: nil, region: region)
            try server.allow(
                accessKeyId: session.accessKeyId, secretAccessKey: session.secretAccessKey, sessionToken: session.sessionToken,
                region: region)
            return (server, nil)
        } catch {
            return (nil, "\(error)")
        }
    }()

    static let region = "eu-west-1"
    static let user = AWSCredentials(accessKeyId: "AKIDUSER", secretAccessKey: "user-secret-key")
    static let session = AWSCredentials(accessKeyId: "ASIASESSION", secretAccessKey: "session-secret-key", sessionToken: "FwoGZXIvYXdzE/token+==")

    static func server() throws -> ManagementAPITestServer {
        if let server = started.server { return server }
        throw ChildProcessError("the Management API test server did not start: \(started.error ?? "?")")
    }

    static func client(_ credentials: AWSCredentials, policy: RetryPolicy = .none) throws -> ManagementAPIClient {
        let server = try server()
        let configuration = AWSConfiguration(region: region, credentials: credentials, dynamoDBEndpoint: "http://127.0.0.1:1")
        return try ManagementAPIClient(configuration: configuration, endpoint: server.endpoint + "/prod", retryPolicy: policy)
    }
}

@Suite(.serialized) struct ManagementAPILoopbackTests {
    @Test(arguments: [false, true])
    func singleCallsAreSignedAndEncoded(withSession: Bool) throws {
        let server = try SharedManagementAPI.server()
        try server.reset()
        let credentials = withSession ? SharedManagementAPI.session : SharedManagementAPI.user
        let management = try SharedManagementAPI.client(credentials)
        let id = "L0SM9cOF/vH+cIhw="
        try management.postToConnection(id, data: Array(#"{"visits":7}"#.utf8))
        let info = try management.getConnection(id)
        #expect(info.sourceIp == "127.0.0.1" && info.userAgent == "test-agent")
        #expect(info.connectedAt == "2026-01-01T00:00:00.000Z")
        try management.deleteConnection(id)

        let requests = try server.requests()
        #expect(requests.map(\.method) == ["POST", "GET", "DELETE"])
        #expect(requests.allSatisfy { $0.signatureValid && $0.connectionId == id && $0.hasSessionToken == withSession })
        #expect(requests.allSatisfy { $0.path == "/prod/%40connections/L0SM9cOF%2FvH%2BcIhw%3D" })
        #expect(requests.first?.body == #"{"visits":7}"#)
    }

    @Test func goneAndErrorsOnSingleCalls() throws {
        let server = try SharedManagementAPI.server()
        try server.reset()
        try server.script(["gone1"], then: 410)
        try server.script(["busy1"], statuses: [429, 503], then: 200)
        let management = try SharedManagementAPI.client(
            SharedManagementAPI.user, policy: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(2), maxDelay: .milliseconds(10)))
        let gone = #expect(throws: AWSClientError.self) { try management.postToConnection("gone1", data: [1]) }
        #expect(gone?.isGone == true && gone?.awsCode == "GoneException")
        try management.postToConnection("busy1", data: [1])
        #expect(try server.requests().filter { $0.connectionId == "busy1" }.count == 3)
    }

    @Test func wrongSecretIsAnAuthenticationFailure() throws {
        let server = try SharedManagementAPI.server()
        try server.reset()
        let wrong = AWSCredentials(accessKeyId: "AKIDUSER", secretAccessKey: "not-the-key")
        let management = try SharedManagementAPI.client(wrong, policy: .default)
        let error = #expect(throws: AWSClientError.self) { try management.postToConnection("abc", data: [1]) }
        #expect(error?.status == 403 && error?.isAuthenticationFailure == true)
        #expect(error.map { "\($0)".contains("not-the-key") } == false)
        #expect(try server.requests().count == 1)
    }

    @Test(arguments: [false, true])
    func fanOutReportsEveryOutcome(withSession: Bool) throws {
        let server = try SharedManagementAPI.server()
        try server.reset()
        let ids = (0..<600).map { "Conn\($0)+x/Y=" }
        let gone = Array(ids[0..<40])
        let throttledOnce = Array(ids[40..<80])
        let broken = Array(ids[80..<100])
        let slow = Array(ids[100..<105])
        try server.script(gone, then: 410)
        try server.script(throttledOnce, statuses: [429], then: 200)
        try server.script(broken, then: 500)
        try server.script(slow, delayMs: 100)
        let credentials = withSession ? SharedManagementAPI.session : SharedManagementAPI.user
        let management = try SharedManagementAPI.client(
            credentials, policy: RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(5), maxDelay: .milliseconds(50)))
        let message = Array(#"{"visits":1234}"#.utf8)

        let report = management.post(
            message, to: ids + ["bad id"] + gone.prefix(3), concurrency: 16, deadline: .now.advanced(by: .seconds(120)))

        #expect(report.deliveries.count == ids.count + 1)
        #expect(report.sent == 600 - 40 - 20)
        #expect(report.gone == 40)
        #expect(report.failed == 20 + 1)
        #expect(Set(report.goneConnectionIds) == Set(gone))
        // Four attempts: one retry per 429-then-200, three per always-500.
        #expect(report.retries == 40 + 20 * 3)
        for delivery in report.deliveries where broken.contains(delivery.connectionId) {
            guard case .failed(let error) = delivery.outcome else {
                Issue.record("\(delivery.connectionId) should have failed")
                continue
            }
            #expect(error.status == 500 && delivery.attempts == 4)
        }
        let invalid = report.deliveries.first { $0.connectionId == "bad id" }
        #expect(invalid?.attempts == 0)

        let requests = try server.requests()
        #expect(requests.count == 600 + 40 + 60)
        #expect(requests.allSatisfy { $0.signatureValid && $0.hasSessionToken == withSession && $0.method == "POST" })
        #expect(requests.allSatisfy { $0.body == #"{"visits":1234}"# })
        #expect(Set(requests.map(\.connectionId)) == Set(ids))
    }

    @Test func fanOutStopsRetryingAtTheDeadline() throws {
        let server = try SharedManagementAPI.server()
        try server.reset()
        let ids = (0..<5).map { "Late\($0)" }
        try server.script(ids, then: 429)
        try server.script(["Stuck"], delayMs: 3000)
        let management = try SharedManagementAPI.client(
            SharedManagementAPI.user, policy: RetryPolicy(maxAttempts: 1000, baseDelay: .milliseconds(20), maxDelay: .milliseconds(50)))
        let deadline = ContinuousClock.now.advanced(by: .milliseconds(500))
        let report = management.post([1], to: ids + ["Stuck"], concurrency: 4, deadline: deadline)
        #expect(report.failed == 6)
        for delivery in report.deliveries {
            guard case .failed(let error) = delivery.outcome else {
                Issue.record("\(delivery.connectionId) should have failed")
                continue
            }
            #expect(error.isRetryable)  // throttled or timed out: it was the deadline that ended it
            #expect(delivery.attempts < 1000)
        }
        let stuck = report.deliveries.first { $0.connectionId == "Stuck" }
        if case .failed(let error) = stuck?.outcome {
            #expect(error.code == .transport && (error.underlying as? HTTPClientError)?.code == .timeout)
        }
    }
}

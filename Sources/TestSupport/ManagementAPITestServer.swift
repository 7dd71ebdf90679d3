import CurlHTTP
import Foundation

/// vctools/fixtures/management_api_server.py: a loopback Management API that checks every signature with botocore.
public final class ManagementAPITestServer: @unchecked Sendable {
    /// One request as the server saw it.
    public struct Recorded: Decodable, Sendable {
        public let method: String
        public let path: String
        public let connectionId: String
        public let signatureValid: Bool
        public let problem: String?
        public let body: String
        public let hasSessionToken: Bool
        /// The status the server answered (429 while throttling account-wide, 403 for a bad signature).
        public let status: Int
    }

    private struct Started: Decodable { let endpoint: String }
    private struct Requests: Decodable { let requests: [Recorded] }

    public let endpoint: String
    private let child: ChildProcess
    private let control: HTTPClient

    public init() throws {
        child = try ChildProcess(RepoPaths.python, [RepoPaths.path("vctools/fixtures/management_api_server.py")])
        let line = try child.firstLine(timeout: 30)
        endpoint = try JSONDecoder().decode(Started.self, from: Data(line.utf8)).endpoint
        control = try HTTPClient()
    }

    /// Accepts requests signed with these credentials.
    public func allow(accessKeyId: String, secretAccessKey: String, sessionToken: String?, region: String) throws {
        var spec = ["accessKeyId": accessKeyId, "secretAccessKey": secretAccessKey, "region": region]
        if let sessionToken { spec["sessionToken"] = sessionToken }
        try post("credentials", spec)
    }

    /// Scripts the answers for some ids: `statuses` in turn, then `then`, each after `delayMs`.
    public func script(_ ids: [String], statuses: [Int] = [], then final: Int = 200, delayMs: Int = 0) throws {
        var behaviors: [String: [String: Any]] = [:]
        for id in ids { behaviors[id] = ["statuses": statuses, "then": final, "delayMs": delayMs] }
        try post("behaviors", behaviors)
    }

    /// Account-wide throttling: every POST is answered 429 for `seconds` counted from the next POST,
    /// whatever the scripts say.
    public func throttleAll(seconds: Double) throws {
        try post("throttle", ["seconds": seconds])
    }

    /// Forgets recorded requests and scripts.
    public func reset() throws { try post("reset", [String: String]()) }

    /// Waits until no request has arrived for `quiet` (at most `limit`), then forgets everything received.
    ///
    /// A post the function gave up on (its attempt timed out on a loaded machine) can still reach this
    /// server's thread later; resetting only once the traffic has settled keeps such a straggler from
    /// being counted against the next step of a test.
    public func resetWhenSettled(quiet: Duration = .milliseconds(300), limit: Duration = .seconds(5)) throws {
        let clock = ContinuousClock()
        let end = clock.now + limit
        var seen = try requests().count
        var quietSince = clock.now
        while clock.now < end, clock.now - quietSince < quiet {
            Thread.sleep(forTimeInterval: 0.05)
            let count = try requests().count
            if count != seen { (seen, quietSince) = (count, clock.now) }
        }
        try reset()
    }

    /// Everything received since the last reset.
    public func requests() throws -> [Recorded] {
        let response = try control.execute(HTTPRequest(method: .get, url: endpoint + "/_control/requests"))
        return try JSONDecoder().decode(Requests.self, from: Data(response.body)).requests
    }

    private func post(_ name: String, _ payload: Any) throws {
        let body = try JSONSerialization.data(withJSONObject: payload)
        let response = try control.execute(
            HTTPRequest(method: .post, url: endpoint + "/_control/" + name, headers: HTTPHeaders([("Content-Type", "application/json")]), body: Array(body)))
        guard response.status == 200 else { throw ChildProcessError("control \(name) answered \(response.status)") }
    }
}

import CurlHTTP
import Foundation
import TestSupport

/// scripts/fault_proxy.py: a loopback proxy in front of moto (or a DynamoDB stand-in without one) that
/// injects throttling, 500s, dropped connections and slow answers on chosen operations, and can model
/// DynamoDB's transaction conflicts (`contention(ms:)`).
final class FaultProxy: @unchecked Sendable {
    /// The faults the proxy knows (see the script's doc).
    enum Fault: String, CaseIterable {
        case pass, throttle, throttling, serverError = "500", serverErrorAfterApplying = "500-after"
        case drop, dropAfterApplying = "drop-after", slow
    }

    /// What the proxy did so far.
    struct Stats: Decodable {
        let requests: [String: Int]
        let injected: [String: Int]
        /// Requests refused by the contention model, per operation.
        let conflicts: [String: Int]
        let conflictsTotal: Int
    }

    private struct Started: Decodable { let endpoint: String }

    let endpoint: String
    private let child: ChildProcess
    private let control: HTTPClient

    /// Forwards to `upstream`, or stands in for DynamoDB (answering canned `{}`s) when nil.
    init(upstream: String?) throws {
        child = try ChildProcess(RepoPaths.python, [RepoPaths.path("scripts/fault_proxy.py")] + (upstream.map { ["--upstream", $0] } ?? []))
        endpoint = try JSONDecoder().decode(Started.self, from: Data(try child.firstLine(timeout: 30).utf8)).endpoint
        control = try HTTPClient()
    }

    /// Faults for the next requests of `operation`, used in turn (`slow:<ms>` for a chosen delay).
    func script(_ operation: String, _ faults: [String]) throws {
        try post("script", [operation: faults])
    }

    /// From now on each request of `operations` gets a fault with probability `rate`, drawn from `seed`.
    func random(seed: Int, rate: Double, operations: [String], faults: [Fault], slowMs: Int = 300) throws {
        try post("random", ["seed": seed, "rate": rate, "operations": operations, "faults": faults.map(\.rawValue), "slowMs": slowMs])
    }

    /// DynamoDB's transaction conflicts from now on: a TransactWriteItems holds its items for `ms`
    /// milliseconds; 0 turns the model off.
    func contention(ms: Int) throws {
        try post("contention", ["ms": ms])
    }

    /// Stand-in answers per operation.
    func canned(_ answers: [String: Any]) throws {
        try post("canned", answers)
    }

    /// Forgets scripts, random mode and statistics.
    func reset() throws {
        try post("reset", [String: String]())
    }

    func stats() throws -> Stats {
        let response = try control.execute(HTTPRequest(method: .get, url: endpoint + "/_fault/stats"))
        return try JSONDecoder().decode(Stats.self, from: Data(response.body))
    }

    func stop() { child.terminate() }

    /// What the proxy printed (nothing but errors; it never logs headers).
    var log: String { child.stdout + child.stderr }

    private func post(_ name: String, _ payload: Any) throws {
        let body = try JSONSerialization.data(withJSONObject: payload)
        let response = try control.execute(
            HTTPRequest(method: .post, url: endpoint + "/_fault/" + name, headers: HTTPHeaders([("Content-Type", "application/json")]), body: Array(body)))
        guard response.status == 200 else { throw ChildProcessError("fault proxy control \(name) answered \(response.status)") }
    }
}

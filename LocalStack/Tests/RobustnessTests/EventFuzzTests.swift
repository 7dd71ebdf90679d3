import Foundation
import RuntimeAPIServer
import Testing
import TestSupport

/// Thousands of mutated events (vctools/fixtures/fuzz_events.py, seeded) fed to the real binaries through the
/// Runtime API: every invocation ends in exactly one response or error, the process never exits, and its
/// resident memory stays flat. DBUpdater talks to a DynamoDB stand-in (the fault proxy without upstream)
/// that answers `{}` or, now and then, throttling and 500s, so its store paths run too; DBStreamProcessor
/// also posts to a Management API stand-in.
@Suite(.serialized) struct EventFuzzTests {
    /// Memory may grow while allocator arenas and caches fill up; after the warm-up it must stay within this.
    static let allowedGrowthKilobytes = 16 * 1024
    /// A fresh secret per run, recorded for the security scan.
    static let secret: String = {
        let secret = "fuzz-secret-" + UUID().uuidString
        Artifacts.recordSecret(secret)
        return secret
    }()

    @Test func dbUpdaterAnswersEveryFuzzedEventOnce() async throws {
        let corpus = try FuzzCorpus(kind: "websocket")
        let standIn = try FaultProxy(upstream: nil)
        defer { standIn.stop() }
        try standIn.canned(["GetItem": ["Item": ["id": ["S": "visitors"], "visits": ["N": "12"]]]])
        try standIn.random(seed: corpus.seed, rate: 0.05, operations: ["TransactWriteItems", "PutItem", "GetItem", "DeleteItem"], faults: [.throttle, .serverError])
        let updater = try await FunctionInstance(binary: "DBUpdater") { Self.environment(runtimeAPI: $0, dynamoDB: standIn.endpoint) }
        defer { Task { await updater.stop() } }
        try await Self.feed(corpus, to: updater, name: "fuzz-dbupdater")
    }

    @Test func dbStreamProcessorAnswersEveryFuzzedEventOnce() async throws {
        let corpus = try FuzzCorpus(kind: "stream")
        let standIn = try FaultProxy(upstream: nil)
        defer { standIn.stop() }
        let connections = (0..<3).map { ["connectionId": ["S": "FUZZ00000000000\($0)="], "connectedAt": ["N": "1"]] }
        try standIn.canned(["Scan": ["Items": connections, "Count": 3]])
        let api = try ManagementAPITestServer()
        try api.allow(accessKeyId: "AKIAFUZZ", secretAccessKey: Self.secret, sessionToken: nil, region: "us-east-1")
        let processor = try await FunctionInstance(binary: "DBStreamProcessor") {
            var env = Self.environment(runtimeAPI: $0, dynamoDB: standIn.endpoint)
            env["WEBSOCKET_API_ENDPOINT"] = api.endpoint + "/local"
            return env
        }
        defer { Task { await processor.stop() } }
        try await Self.feed(corpus, to: processor, name: "fuzz-dbstreamprocessor")
    }

    static func environment(runtimeAPI: String, dynamoDB: String) -> [String: String] {
        [
            "AWS_LAMBDA_RUNTIME_API": runtimeAPI, "AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "AKIAFUZZ",
            "AWS_SECRET_ACCESS_KEY": secret, "AWS_ENDPOINT_URL_DYNAMODB": dynamoDB, "LOG_LEVEL": "error",
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin",
        ]
    }

    /// Invokes `instance` with every event in turn and checks the three properties.
    static func feed(_ corpus: FuzzCorpus, to instance: FunctionInstance, name: String) async throws {
        print("fuzz seed \(corpus.seed) (FUZZ_SEED=\(corpus.seed) FUZZ_EVENTS=\(corpus.events.count) reproduces this run)")
        var responses = 0
        var errors = 0
        var unanswered: [Int] = []
        var residentAfterWarmUp: Int?
        let warmUp = min(200, corpus.events.count / 4)
        var firstAnswered: Int?
        for (index, event) in corpus.events.enumerated() {
            if index == 1 { firstAnswered = instance.residentKilobytes }
            if index == warmUp { residentAfterWarmUp = instance.residentKilobytes }
            do {
                switch try await instance.invoke(bytes: event, deadline: .seconds(10)) {
                case .response: responses += 1
                case .error: errors += 1
                }
            } catch {
                unanswered.append(index)
                if !instance.isRunning { break }
            }
        }
        let after = instance.residentKilobytes ?? 0
        let before = firstAnswered ?? 0
        let warm = residentAfterWarmUp ?? before
        Artifacts.save(name, instance.output)
        Artifacts.figures(name, [
            "seed": corpus.seed, "events": corpus.events.count, "responses": responses, "errors": errors,
            "unanswered": unanswered.count, "rssAfterFirstKB": before, "rssAfterWarmUpKB": warm, "rssEndKB": after,
            "alive": instance.isRunning,
        ])
        #expect(unanswered.isEmpty, "seed \(corpus.seed): events \(unanswered.prefix(10)) got no answer")
        #expect(responses + errors == corpus.events.count)
        #expect(instance.isRunning, "seed \(corpus.seed): the process exited; output:\n\(instance.output.suffix(2000))")
        #expect(after - warm <= allowedGrowthKilobytes, "seed \(corpus.seed): VmRSS grew from \(warm) kB to \(after) kB")
    }
}

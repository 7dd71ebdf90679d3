import Foundation
import SigV4
import Testing
import TestSupport

/// Our signer against botocore's SigV4Auth (vctools/fixtures/botocore_sign.py, the project's .venv) on a
/// seeded set of varied requests: every Authorization header must be identical.
@Suite struct BotocoreCrossCheckTests {
    struct BotocoreResult: Decodable {
        var authorization: String
        var x_amz_date: String
        var x_amz_security_token: String?
        var canonical_request: String
    }

    @Test func authorizationMatchesBotocoreForEveryGeneratedRequest() throws {
        let generated = RequestGenerator.make(count: 256, seed: 0x5167_5634)
        // The mix really is varied (so a generator change cannot quietly shrink what is compared).
        #expect(generated.filter { $0.credentials.session_token != nil }.count >= 64)
        #expect(generated.filter { $0.url.contains("%25") }.count >= 32)  // already-encoded bytes in path or query
        #expect(generated.filter { $0.url.contains("?") && $0.url.contains("&") }.count >= 64)
        #expect(generated.filter { Set($0.headers.map { $0[0].lowercased() }).count < $0.headers.count }.count >= 16)
        #expect(generated.filter { !$0.normalize }.count >= 32)
        #expect(Set(generated.map(\.service)) == ["dynamodb", "execute-api"])
        let expected = try runBotocore(generated)
        try #require(expected.count == generated.count)

        for (index, (spec, botocore)) in zip(generated, expected).enumerated() {
            let credentials = AWSCredentials(
                accessKeyId: spec.credentials.access_key_id,
                secretAccessKey: spec.credentials.secret_access_key,
                sessionToken: spec.credentials.session_token)
            let signer = SigV4Signer(
                credentials: credentials, region: spec.region, service: spec.service, normalizePath: spec.normalize)
            var request = try #require(SigV4Request(
                method: spec.method, url: spec.url,
                headers: spec.headers.map { (name: $0[0], value: $0[1]) },
                body: [UInt8](Data(base64Encoded: spec.body) ?? Data())))
            signer.sign(&request, date: UnixTime(secondsSince1970: Int64(spec.timestamp)))

            let ours = signer.canonicalRequest(request)
            #expect(
                request.header("Authorization") == botocore.authorization,
                "request \(index): \(spec.method) \(spec.url)\nours:\n\(ours)\nbotocore:\n\(botocore.canonical_request)")
            #expect(request.header("X-Amz-Date") == botocore.x_amz_date, "request \(index)")
            #expect(request.header("X-Amz-Security-Token") == botocore.x_amz_security_token, "request \(index)")
        }
    }

    /// Runs the script once for all requests (JSON in on stdin, JSON out on stdout).
    private func runBotocore(_ requests: [GeneratedRequest]) throws -> [BotocoreResult] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: RepoPaths.python)
        process.arguments = [RepoPaths.path("vctools/fixtures/botocore_sign.py")]
        let input = Pipe(), output = Pipe()
        let errorLog = FileManager.default.temporaryDirectory.appendingPathComponent("botocore-sign-\(UUID()).log")
        _ = FileManager.default.createFile(atPath: errorLog.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorLog) }
        process.standardInput = input
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: errorLog)
        try process.run()
        // The script reads all of stdin before writing, so writing everything first cannot deadlock.
        try input.fileHandleForWriting.write(contentsOf: JSONEncoder().encode(requests))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let stderr = (try? String(contentsOf: errorLog, encoding: .utf8)) ?? ""
            throw ChildProcessError("botocore_sign.py exited with \(process.terminationStatus):\n\(stderr.suffix(3000))")
        }
        return try JSONDecoder().decode([BotocoreResult].self, from: data)
    }
}

import CurlHTTP
import Foundation
import Testing
import TestSupport

/// Requests that get no HTTP response end in typed errors that name the target but never the path or query.
@Suite(.timeLimit(.minutes(2)))
struct TransportErrorTests {
    @Test func refusedConnectIsAConnectError() throws {
        let refusing = try RefusingPort()
        let client = try HTTPClient(connectTimeout: .seconds(2))
        let error = #expect(throws: HTTPClientError.self) {
            try client.execute(HTTPRequest(method: .get, url: "http://127.0.0.1:\(refusing.port)/x/y?secret=1#frag"))
        }
        #expect(error?.code == .connect)
        #expect(error?.target == "http://127.0.0.1:\(refusing.port)")
        #expect(error?.isTransient == true)
        #expect(error.map { "\($0)".contains("secret") } == false)
    }

    @Test func unresolvableHostIsADNSError() throws {
        let client = try HTTPClient()
        let error = #expect(throws: HTTPClientError.self) {
            try client.execute(HTTPRequest(method: .get, url: "https://no-such-host.invalid/path?X-Amz-Security-Token=abc"))
        }
        #expect(error?.code == .dns)
        #expect(error?.target == "https://no-such-host.invalid:443")
        #expect(error?.isTransient == false)
        #expect(error.map { "\($0)".contains("X-Amz") || "\($0)".contains("/path") } == false)
    }

    @Test func hangingServerEndsInATimeout() throws {
        let server = try TestServer()
        let client = try HTTPClient()
        let error = #expect(throws: HTTPClientError.self) {
            try client.execute(HTTPRequest(method: .get, url: server.url("/hang?token=t0p"), timeout: .milliseconds(300)))
        }
        #expect(error?.code == .timeout)
        #expect(error?.target == "http://127.0.0.1:\(server.port)")
        #expect(error.map { "\($0)".contains("t0p") || "\($0)".contains("hang") } == false)
        // The timed-out connection is not reused for the next request, which works.
        #expect(try client.execute(HTTPRequest(method: .get, url: server.url("/status/204"))).status == 204)
    }

    @Test func httpsToAPlainHTTPPortIsATLSError() throws {
        let server = try TestServer()
        let client = try HTTPClient()
        let error = #expect(throws: HTTPClientError.self) {
            try client.execute(HTTPRequest(method: .get, url: "https://127.0.0.1:\(server.port)/echo"))
        }
        #expect(error?.code == .tls)
        #expect(error?.target == "https://127.0.0.1:\(server.port)")
        #expect(try server.stats().requests == 0)
    }

    /// A server with a valid TLS setup whose certificate no trusted CA signed: only peer verification
    /// can refuse it, so this fails if verification were ever turned off.
    @Test func selfSignedCertificateIsRejected() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vc-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let cert = directory.appendingPathComponent("cert.pem").path
        let key = directory.appendingPathComponent("key.pem").path
        let openssl = try ChildProcess("/usr/bin/env", [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert,
        ])
        #expect(openssl.waitForExit(timeout: 60) == 0, "openssl: \(openssl.stderr)")
        let server = try TestServer(["--tls-cert", cert, "--tls-key", key])
        let client = try HTTPClient()
        let error = #expect(throws: HTTPClientError.self) {
            try client.execute(HTTPRequest(method: .get, url: "https://127.0.0.1:\(server.port)/echo"))
        }
        #expect(error?.code == .tls)
        #expect(error?.curlCode == 60)  // CURLE_PEER_FAILED_VERIFICATION
    }

    /// Nothing in the sources turns TLS verification off: every place that sets the verify options
    /// sets them on, and there is at least one such place.
    @Test func noSourceDisablesTLSVerification() throws {
        let sources = RepoPaths.root.appendingPathComponent("Sources")
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }
            .filter { ["swift", "c", "h"].contains($0.pathExtension) } ?? []
        var settings: [String] = []
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            for line in text.split(separator: "\n") where line.contains("VERIFYPEER") || line.contains("VERIFYHOST") {
                settings.append("\(file.lastPathComponent): \(line.trimmingCharacters(in: .whitespaces))")
            }
        }
        #expect(settings.contains { $0.contains("CURLOPT_SSL_VERIFYPEER, 1)") })
        #expect(settings.contains { $0.contains("CURLOPT_SSL_VERIFYHOST, 2)") })
        for setting in settings {
            let on = setting.contains("VERIFYPEER, 1)") || setting.contains("VERIFYHOST, 2)")
            #expect(on, "TLS verification set to something other than on: \(setting)")
        }
    }
}

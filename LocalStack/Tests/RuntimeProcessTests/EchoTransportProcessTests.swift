import Foundation
import RuntimeAPIServer
import Testing
import TestSupport

/// The runtime's transports in the real EchoFunction: the Runtime API over its own socket, libcurl only
/// for the function's own calls, loaded in the background and reported when it cannot be.
@Suite(.serialized) struct EchoTransportProcessTests {
    /// Every proxy variable libcurl or another client would read, pointed at a port nothing listens on.
    static let deadProxy: [String: String] = {
        var variables: [String: String] = [:]
        for name in ["http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"] {
            variables[name] = "http://127.0.0.1:9"
        }
        variables["no_proxy"] = ""
        variables["NO_PROXY"] = ""
        return variables
    }()

    @Test func proxyVariablesNeverReachTheRuntimeAPIClient() async throws {
        try await withEcho(environment: Self.deadProxy) { server, echo in
            for index in 0..<20 {
                #expect(try await server.invoke(Array("through no proxy \(index)".utf8)).text == "through no proxy \(index)")
            }
            let failed = try await server.invoke(Array("fail:still reported".utf8))
            #expect(failed.errorMessage == "still reported")
            #expect(echo.isRunning)
        }
    }

    @Test func libcurlLoadsInTheBackgroundAndServesTheFunctionsOwnCalls() async throws {
        try await withEcho(environment: ["ECHO_HTTP": "1"]) { server, echo in
            // The loopback server answers 404 for a path it does not know: proof of a real libcurl request.
            let fetched = try #require(try await server.invoke(Array("fetch:http://\(server.address)/no-such-path".utf8)).text)
            #expect(fetched.hasPrefix("404 "))
            #expect(try echo.memoryMaps().contains("libcurl"))
            #expect(try await server.invoke(Array("plain".utf8)).text == "plain")
        }
    }

    @Test func aFunctionWithoutAnHTTPClientNeverLoadsLibcurl() async throws {
        try await withEcho { server, echo in
            for index in 0..<3 { #expect(try await server.invoke(Array("no curl \(index)".utf8)).text == "no curl \(index)") }
            let maps = try echo.memoryMaps()
            #expect(maps.contains("EchoFunction"), "the maps were read")
            #expect(!maps.contains("libcurl"))
        }
    }

    @Test func aLibcurlThatCannotLoadIsReportedWithEveryPathTried() async throws {
        let paths = ["/nonexistent/libcurl.so.4", "/also/missing/libcurl.so"]
        let environment = ["ECHO_HTTP": "1", "VC_TEST_LIBCURL_PATHS": paths.joined(separator: ":")]
        try await withEcho(environment: environment) { server, echo in
            // /next is not held up by the load: a call that does not need libcurl is served.
            #expect(try await server.invoke(Array("before".utf8)).text == "before")
            let failed = try await server.invoke(Array("fetch:http://\(server.address)/".utf8))
            #expect(failed.errorType == "HTTPClientError")
            let message = try #require(failed.errorMessage)
            #expect(message.contains("libraryUnavailable"))
            for path in paths {
                #expect(message.contains("\(path): dlopen: \(path): cannot open shared object file"), "\(message)")
            }
            // Every later call that needs it says the same; the loop keeps serving.
            let again = try await server.invoke(Array("fetch:http://\(server.address)/".utf8))
            #expect(again.errorMessage == message)
            #expect(try await server.invoke(Array("after".utf8)).text == "after")
            #expect(echo.isRunning)
        }
    }

    @Test func aLibraryWithoutCurlsFunctionsIsReportedWithEachMissingSymbol() async throws {
        // libc loads but has no curl_* functions: every dlsym failure is named, then the next candidate is tried.
        let environment = ["ECHO_HTTP": "1", "VC_TEST_LIBCURL_PATHS": "libc.so.6:/nonexistent/libcurl.so.4"]
        try await withEcho(environment: environment) { server, _ in
            let message = try #require(try await server.invoke(Array("fetch:http://\(server.address)/".utf8)).errorMessage)
            #expect(message.contains("libc.so.6: loaded; dlsym curl_global_init:"), "\(message)")
            #expect(message.contains("dlsym curl_multi_info_read:"))
            #expect(message.contains("/nonexistent/libcurl.so.4: dlopen:"))
        }
    }
}

import Testing
@testable import LambdaRuntime

/// Initialisation: bad configuration and a throwing handler factory end in `/init/error`.
@Suite struct InitSeamTests {
    struct RawEcho: RawLambdaHandler {
        func handle(_ event: [UInt8], context: LambdaContext) throws -> [UInt8] { event }
    }
    struct MissingSetting: Error, CustomStringConvertible { var description = "TABLE_NAME is not set" }

    @Test func throwingFactoryPostsInitError() {
        let client = FakeRuntimeAPIClient()
        let result = LambdaRuntime.start(client: client, environment: { _ in nil }) { () throws -> any InvocationHandling in
            throw MissingSetting()
        }
        guard case .failure(let error) = result else { Issue.record("start succeeded"); return }
        #expect(error.code == .handlerInitialization)
        #expect(client.initErrors == [ErrorReport(errorType: "MissingSetting", errorMessage: "TABLE_NAME is not set")])
        #expect(client.nextCalls == 0, "no invocation is fetched after a failed init")
    }

    @Test func invalidLogLevelPostsInitError() {
        let client = FakeRuntimeAPIClient()
        let result = LambdaRuntime.start(client: client, environment: { $0 == "LOG_LEVEL" ? "verbose" : nil }) {
            RawHandlerAdapter(handler: RawEcho())
        }
        guard case .failure(let error) = result else { Issue.record("start succeeded"); return }
        #expect(error.code == .configuration)
        #expect(client.initErrors.first?.errorType == RuntimeAPI.ErrorType.configuration)
        #expect(client.initErrors.first?.errorMessage.contains("LOG_LEVEL") == true)
    }

    @Test func goodConfigurationStartsTheLoop() throws {
        let client = FakeRuntimeAPIClient()
        let result = LambdaRuntime.start(client: client, environment: { $0 == "LOG_LEVEL" ? "WARN" : nil }) {
            RawHandlerAdapter(handler: RawEcho())
        }
        let loop = try result.get()
        client.enqueue("ping", requestID: "r-1")
        #expect(try loop.serveOne() == .responded(requestID: "r-1"))
        #expect(client.initErrors.isEmpty)
    }

    @Test func errorReportIsValidJSONAndHeaderSafe() throws {
        let report = ErrorReport(errorType: "Bad Type\r\nX-Injected: 1", errorMessage: "quote \" backslash \\ newline \n")
        #expect(report.errorType == "BadTypeX-Injected:1")
        let decoded = try JSONDecoderForTests.decode(report.jsonBody)
        #expect(decoded["errorMessage"] == "quote \" backslash \\ newline \n")
        #expect(decoded["errorType"] == "BadTypeX-Injected:1")
    }
}

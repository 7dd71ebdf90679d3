import Foundation
import Testing
@testable import LambdaRuntime

/// The loop against the in-memory fake: every path through one invocation.
@Suite struct RunLoopSeamTests {
    struct Greeting: Decodable { var name: String }
    struct Reply: Encodable { var text: String }
    struct Refusal: Error, CustomStringConvertible { var description: String }

    /// Greets by name; throws for "nobody"; records the contexts it saw.
    final class Greeter: LambdaHandler {
        var contexts: [LambdaContext] = []
        func handle(_ event: Greeting, context: LambdaContext) throws -> Reply {
            contexts.append(context)
            if event.name == "nobody" { throw Refusal(description: "no one to greet") }
            return Reply(text: "hello \(event.name)")
        }
    }

    struct RawEcho: RawLambdaHandler {
        func handle(_ event: [UInt8], context: LambdaContext) throws -> [UInt8] { event }
    }

    final class Recorder {
        var environment: [(String, String?)] = []
    }

    func makeLoop(_ client: FakeRuntimeAPIClient, handler: any InvocationHandling, recorder: Recorder = Recorder(),
                  log: LogCapture = LogCapture()) -> LambdaRunLoop<FakeRuntimeAPIClient> {
        LambdaRunLoop(client: client, handler: handler, logger: log.logger(),
                      setEnvironment: { recorder.environment.append(($0, $1)) }, sleep: { _ in })
    }

    @Test func typedHandlerResponseIsPosted() throws {
        let client = FakeRuntimeAPIClient()
        client.enqueue(#"{"name":"Ada"}"#, requestID: "r-1")
        let outcome = try makeLoop(client, handler: CodableHandlerAdapter(Greeter())).serveOne()
        #expect(outcome == .responded(requestID: "r-1"))
        #expect(client.responses.count == 1)
        #expect(client.responses.first?.requestID == "r-1")
        let body = try JSONSerialization.jsonObject(with: Data(client.responses[0].body)) as? [String: String]
        #expect(body == ["text": "hello Ada"])
        #expect(client.errors.isEmpty)
    }

    @Test func rawHandlerGetsTheExactBytes() throws {
        let client = FakeRuntimeAPIClient()
        client.enqueue("not json at all \u{1}")
        _ = try makeLoop(client, handler: RawHandlerAdapter(handler: RawEcho())).serveOne()
        #expect(client.responses.first?.body == Array("not json at all \u{1}".utf8))
    }

    @Test func handlerErrorIsReportedAndTheLoopGoesOn() throws {
        let client = FakeRuntimeAPIClient()
        client.enqueue(#"{"name":"nobody"}"#, requestID: "r-1")
        client.enqueue(#"{"name":"Bo"}"#, requestID: "r-2")
        let loop = makeLoop(client, handler: CodableHandlerAdapter(Greeter()))
        #expect(try loop.serveOne() == .reportedError(requestID: "r-1", errorType: "Refusal"))
        #expect(try loop.serveOne() == .responded(requestID: "r-2"))
        #expect(client.errors.count == 1)
        #expect(client.errors.first?.report == ErrorReport(errorType: "Refusal", errorMessage: "no one to greet"))
    }

    @Test func undecodableEventIsAnInvocationError() throws {
        let client = FakeRuntimeAPIClient()
        client.enqueue(#"{"nom":"Ada"}"#, requestID: "r-1")
        client.enqueue(#"{"name":"Ada"}"#, requestID: "r-2")
        let greeter = Greeter()
        let loop = makeLoop(client, handler: CodableHandlerAdapter(greeter))
        #expect(try loop.serveOne() == .reportedError(requestID: "r-1", errorType: RuntimeAPI.ErrorType.eventDecoding))
        #expect(try loop.serveOne() == .responded(requestID: "r-2"))
        #expect(greeter.contexts.count == 1, "the handler never saw the undecodable event")
    }

    @Test func missingRequestIDIsSkippedWithoutReport() throws {
        let client = FakeRuntimeAPIClient()
        client.enqueue("{}", requestID: nil)
        let log = LogCapture()
        let outcome = try makeLoop(client, handler: RawHandlerAdapter(handler: RawEcho()), log: log).serveOne()
        #expect(outcome == .skipped)
        #expect(client.errors.isEmpty && client.responses.isEmpty)
        #expect(log.lines.contains { $0.contains("\"level\":\"ERROR\"") && $0.contains("Lambda-Runtime-Aws-Request-Id") })
    }

    @Test(arguments: [
        (RuntimeAPI.Header.deadline, nil as String?),
        (RuntimeAPI.Header.deadline, "soon"),
        (RuntimeAPI.Header.deadline, "-5"),
        (RuntimeAPI.Header.invokedFunctionARN, nil as String?),
    ])
    func missingOrInvalidHeaderIsReportedForThatInvocation(header: String, value: String?) throws {
        let client = FakeRuntimeAPIClient()
        client.enqueue("{}", requestID: "r-1", overrides: [header: value])
        let outcome = try makeLoop(client, handler: RawHandlerAdapter(handler: RawEcho())).serveOne()
        #expect(outcome == .reportedError(requestID: "r-1", errorType: RuntimeAPI.ErrorType.invalidInvocation))
        #expect(client.errors.first?.report.errorMessage.contains(header) == true)
        #expect(client.responses.isEmpty)
    }

    @Test func refusedResponseBecomesAnErrorReport() throws {
        let client = FakeRuntimeAPIClient()
        client.responseStatus = 413
        client.enqueue("big", requestID: "r-1")
        let outcome = try makeLoop(client, handler: RawHandlerAdapter(handler: RawEcho())).serveOne()
        #expect(outcome == .reportedError(requestID: "r-1", errorType: RuntimeAPI.ErrorType.responseTooLarge))
        #expect(client.errors.first?.requestID == "r-1")

        client.responseStatus = 403
        client.enqueue("other", requestID: "r-2")
        let second = try makeLoop(client, handler: RawHandlerAdapter(handler: RawEcho())).serveOne()
        #expect(second == .reportedError(requestID: "r-2", errorType: RuntimeAPI.ErrorType.responseRejected))
    }

    @Test func failedErrorPostIsLoggedNotFatal() throws {
        let client = FakeRuntimeAPIClient()
        client.errorPostsFail = true
        client.enqueue(#"{"name":"nobody"}"#, requestID: "r-1")
        client.enqueue(#"{"name":"Ada"}"#, requestID: "r-2")
        let log = LogCapture()
        let loop = makeLoop(client, handler: CodableHandlerAdapter(Greeter()), log: log)
        _ = try loop.serveOne()
        #expect(try loop.serveOne() == .responded(requestID: "r-2"))
        #expect(log.lines.contains { $0.contains("error report not delivered") })
    }

    @Test func handlerSeesDeadlineRemainingTimeAndMetadata() throws {
        let client = FakeRuntimeAPIClient()
        let deadline = WallClock.epochMilliseconds() + 5_000
        client.enqueue(#"{"name":"Ada"}"#, requestID: "r-9", deadline: deadline,
                       overrides: [RuntimeAPI.Header.clientContext: #"{"client":1}"#, RuntimeAPI.Header.cognitoIdentity: #"{"id":2}"#])
        let greeter = Greeter()
        _ = try makeLoop(client, handler: CodableHandlerAdapter(greeter)).serveOne()
        let context = try #require(greeter.contexts.first)
        #expect(context.requestID == "r-9")
        #expect(context.deadline == deadline)
        #expect(context.invokedFunctionARN == "arn:aws:lambda:eu-west-1:123456789012:function:echo")
        #expect(context.remainingTime() > .seconds(3) && context.remainingTime() <= .seconds(5))
        #expect(context.clientContext == #"{"client":1}"#)
        #expect(context.cognitoIdentity == #"{"id":2}"#)
        #expect(context.logger.requestID == "r-9")
    }

    @Test func pastDeadlineGivesNegativeRemainingTime() {
        let context = LambdaContext(requestID: "r", deadline: WallClock.epochMilliseconds() - 1_000,
                                    invokedFunctionARN: "arn", logger: LambdaLogger())
        #expect(context.remainingTime() < .zero)
    }

    @Test func traceIDIsSetPerInvocationAndClearedWhenAbsent() throws {
        let client = FakeRuntimeAPIClient()
        client.enqueue("a", requestID: "r-1", traceID: "Root=1-aaaaaaaa-bbbbbbbbbbbbbbbbbbbbbbbb")
        client.enqueue("b", requestID: "r-2", traceID: nil)
        let recorder = Recorder()
        let loop = makeLoop(client, handler: RawHandlerAdapter(handler: RawEcho()), recorder: recorder)
        _ = try loop.serveOne()
        _ = try loop.serveOne()
        #expect(recorder.environment.count == 2)
        #expect(recorder.environment[0].0 == "_X_AMZN_TRACE_ID")
        #expect(recorder.environment[0].1 == "Root=1-aaaaaaaa-bbbbbbbbbbbbbbbbbbbbbbbb")
        #expect(recorder.environment[1].0 == "_X_AMZN_TRACE_ID" && recorder.environment[1].1 == nil)
    }
}

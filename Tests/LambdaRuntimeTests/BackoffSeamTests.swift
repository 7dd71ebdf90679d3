import Testing
@testable import LambdaRuntime

/// An unreachable Runtime API: capped exponential backoff, then giving up after the bound.
@Suite struct BackoffSeamTests {
    struct RawEcho: RawLambdaHandler {
        func handle(_ event: [UInt8], context: LambdaContext) throws -> [UInt8] { event }
    }

    /// A clock that only moves when the loop sleeps.
    final class FakeTime {
        var now = ContinuousClock.now
        var sleeps: [Duration] = []
    }

    func makeLoop(_ client: FakeRuntimeAPIClient, time: FakeTime, policy: RuntimeAPIBackoff) -> LambdaRunLoop<FakeRuntimeAPIClient> {
        LambdaRunLoop(client: client, handler: RawHandlerAdapter(handler: RawEcho()), logger: LogCapture().logger(),
                      backoff: policy, setEnvironment: { _, _ in },
                      sleep: { time.sleeps.append($0); time.now += $0 }, now: { time.now })
    }

    @Test func retriesWithCappedExponentialBackoffUntilTheAPIIsBack() throws {
        let client = FakeRuntimeAPIClient()
        let down = LambdaRuntimeError(code: .runtimeAPIUnavailable, message: "connection refused")
        client.nextAnswers = Array(repeating: .failure(down), count: 6)
        client.enqueue("hi", requestID: "r-1")
        let time = FakeTime()
        let policy = RuntimeAPIBackoff(initialDelay: .milliseconds(10), maxDelay: .milliseconds(50), giveUpAfter: .seconds(60))
        let outcome = try makeLoop(client, time: time, policy: policy).serveOne()
        #expect(outcome == .responded(requestID: "r-1"))
        #expect(time.sleeps == [.milliseconds(10), .milliseconds(20), .milliseconds(40), .milliseconds(50), .milliseconds(50), .milliseconds(50)])
        #expect(client.nextCalls == 7)
    }

    @Test func givesUpAfterTheBoundOfContinuousFailure() {
        let client = FakeRuntimeAPIClient()   // nothing scripted: every /next fails
        let time = FakeTime()
        let policy = RuntimeAPIBackoff(initialDelay: .milliseconds(100), maxDelay: .seconds(1), giveUpAfter: .seconds(10))
        #expect {
            _ = try makeLoop(client, time: time, policy: policy).serveOne()
        } throws: { error in
            (error as? LambdaRuntimeError)?.code == .runtimeAPIUnavailable
        }
        let waited = time.sleeps.reduce(Duration.zero, +)
        #expect(waited >= .seconds(10) && waited < .seconds(12))
    }

    @Test func delayGrowsThenStaysAtTheCap() {
        let policy = RuntimeAPIBackoff(initialDelay: .milliseconds(20), maxDelay: .seconds(2), giveUpAfter: .seconds(120))
        #expect(policy.delay(afterFailures: 1) == .milliseconds(20))
        #expect(policy.delay(afterFailures: 2) == .milliseconds(40))
        #expect(policy.delay(afterFailures: 7) == .milliseconds(1280))
        #expect(policy.delay(afterFailures: 8) == .seconds(2))
        #expect(policy.delay(afterFailures: 500) == .seconds(2))
    }
}

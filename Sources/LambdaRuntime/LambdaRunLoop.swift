import CurlHTTP
import SystemSupport

/// What one turn of the loop did with an invocation.
enum InvocationOutcome: Equatable, Sendable {
    /// The response was accepted.
    case responded(requestID: String)
    /// An error report was posted (or attempted) for the invocation.
    case reportedError(requestID: String, errorType: String)
    /// The response could not be delivered (transport failure); the next `/next` will tell.
    case undelivered(requestID: String)
    /// `/next` answered without a request id, so nothing could be reported.
    case skipped
}

/// The Runtime API loop: next → handler → response or error, forever, on one thread.
///
/// Nothing an invocation does ends the loop: bad headers, undecodable events, handler errors and
/// refused responses become error reports for that invocation. Only a Runtime API that stays
/// unreachable for `backoff.giveUpAfter` ends it.
final class LambdaRunLoop<Client: RuntimeAPIClient> {
    let client: Client
    private let handler: any InvocationHandling
    private let logger: LambdaLogger
    private let backoff: RuntimeAPIBackoff
    private let setEnvironment: (String, String?) -> Void
    private let sleep: (Duration) -> Void
    private let now: () -> ContinuousClock.Instant

    init(
        client: Client,
        handler: any InvocationHandling,
        logger: LambdaLogger,
        backoff: RuntimeAPIBackoff = RuntimeAPIBackoff(),
        setEnvironment: @escaping (String, String?) -> Void = OwnedEnvironment().set,
        sleep: @escaping (Duration) -> Void = BlockingSleep.sleep,
        now: @escaping () -> ContinuousClock.Instant = { ContinuousClock.now }
    ) {
        self.client = client
        self.handler = handler
        self.logger = logger
        self.backoff = backoff
        self.setEnvironment = setEnvironment
        self.sleep = sleep
        self.now = now
    }

    /// Serves invocations until the Runtime API stays unreachable too long.
    func runForever() throws(LambdaRuntimeError) -> Never {
        while true {
            _ = try serveOne()
        }
    }

    /// Waits for one invocation and answers it.
    /// - Throws: only when the Runtime API stayed unreachable for `backoff.giveUpAfter`.
    func serveOne() throws(LambdaRuntimeError) -> InvocationOutcome {
        let invocation = try nextInvocation()
        guard let requestID = invocation.headers[RuntimeAPI.Header.requestID], !requestID.isEmpty else {
            logger.error("invocation without \(RuntimeAPI.Header.requestID) skipped")
            return .skipped
        }
        let context: LambdaContext
        do {
            context = try LambdaContext(requestID: requestID, headers: invocation.headers, logger: logger)
        } catch {
            let report = ErrorReport(errorType: RuntimeAPI.ErrorType.invalidInvocation, errorMessage: error.message)
            return self.report(report, requestID: requestID, logger: logger.with(requestID: requestID))
        }
        // Per invocation, and removed when absent, so a stale trace id never leaks into the next one.
        setEnvironment(RuntimeAPI.traceIDVariable, context.traceID)

        let output: [UInt8]
        do {
            output = try handler.invoke(invocation.event, context: context)
        } catch {
            return report(error.report, requestID: requestID, logger: context.logger)
        }
        do {
            try client.postResponse(requestID: requestID, body: output)
            return .responded(requestID: requestID)
        } catch where error.code == .rejected {
            let type = error.status == 413 ? RuntimeAPI.ErrorType.responseTooLarge : RuntimeAPI.ErrorType.responseRejected
            let message = "the Runtime API refused the response of \(output.count) bytes with status \(error.status ?? 0)"
            return report(ErrorReport(errorType: type, errorMessage: message), requestID: requestID, logger: context.logger)
        } catch {
            context.logger.error("response not delivered", ["error": .string(error.description)])
            return .undelivered(requestID: requestID)
        }
    }

    /// `/next`, retried with capped exponential backoff while the Runtime API is unavailable.
    private func nextInvocation() throws(LambdaRuntimeError) -> Invocation {
        var failures = 0
        var failingSince: ContinuousClock.Instant?
        while true {
            do {
                let invocation = try client.nextInvocation()
                if failures > 0 { logger.info("Runtime API reachable again", ["failedAttempts": .int(failures)]) }
                return invocation
            } catch {
                let since = failingSince ?? now()
                failingSince = since
                failures += 1
                if now() - since >= backoff.giveUpAfter {
                    throw LambdaRuntimeError(
                        code: .runtimeAPIUnavailable,
                        message: "Runtime API unavailable for \(backoff.giveUpAfter) after \(failures) attempts; giving up",
                        underlying: error)
                }
                let delay = backoff.delay(afterFailures: failures)
                if failures == 1 || delay == backoff.maxDelay {
                    logger.warn("Runtime API unavailable; retrying", ["error": .string(error.description), "attempt": .int(failures)])
                }
                sleep(delay)
            }
        }
    }

    /// Posts `report` for the invocation and logs it; a failed post is logged, never fatal.
    private func report(_ report: ErrorReport, requestID: String, logger: LambdaLogger) -> InvocationOutcome {
        logger.error("invocation failed", ["errorType": .string(report.errorType), "errorMessage": .string(report.errorMessage)])
        do {
            try client.postError(requestID: requestID, report: report)
        } catch {
            logger.error("error report not delivered", ["error": .string(error.description)])
        }
        return .reportedError(requestID: requestID, errorType: report.errorType)
    }
}

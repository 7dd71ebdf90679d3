import CurlHTTP
import SystemSupport

/// Entry points for a function's `main.swift`:
///
/// ```swift
/// LambdaRuntime.run { try MyHandler(configuration: .fromEnvironment()) }
/// ```
public enum LambdaRuntime {
    /// Reads `AWS_LAMBDA_RUNTIME_API` and `LOG_LEVEL`, calls `makeHandler` once (a thrown error is posted
    /// to `/runtime/init/error` and the process exits with status 1), then serves invocations forever,
    /// decoding each event as `H.Event` and encoding the output as JSON.
    public static func run<H: LambdaHandler>(_ makeHandler: () throws -> H) -> Never {
        main { CodableHandlerAdapter(try makeHandler()) }
    }

    /// Like `run(_:)`, for a handler that works on the raw payload bytes.
    public static func run<H: RawLambdaHandler>(raw makeHandler: () throws -> H) -> Never {
        main { RawHandlerAdapter(handler: try makeHandler()) }
    }

    private static func main(_ makeHandler: () throws -> any InvocationHandling) -> Never {
        ProcessGlue.unblockSignals()
        ProcessGlue.limitMallocArenas()
        guard let address = ProcessEnvironment.value(RuntimeAPI.addressVariable), !address.isEmpty else {
            fail("\(RuntimeAPI.addressVariable) is not set; this program runs under AWS Lambda or the local gateway")
        }
        let client: SocketRuntimeAPIClient
        do {
            // libcurl (for the handler's AWS calls, if it made an HTTP client) loads while the first /next waits:
            // started earlier, its thread would take CPU from the start itself on a small Lambda.
            client = try SocketRuntimeAPIClient(address: address, nextRequested: HTTPClient.startLoadingLibraryIfNeeded)
        } catch {
            fail(error.description)
        }
        // Before libcurl's load can start on another thread (see `OwnedEnvironment`).
        let environment = OwnedEnvironment()
        environment.set(RuntimeAPI.traceIDVariable, ProcessEnvironment.value(RuntimeAPI.traceIDVariable) ?? "")
        switch start(client: client, environment: ProcessEnvironment.value, setEnvironment: environment.set, makeHandler: makeHandler) {
        case .success(let loop):
            do {
                try loop.runForever()
            } catch {
                fail(error.description)
            }
        case .failure(let error):
            fail("initialisation failed: \(error)")
        }
    }

    /// Initialisation, testable with a fake client: the log level, then the handler. A failure is posted
    /// to `/init/error` (best effort) and returned.
    static func start<Client: RuntimeAPIClient>(
        client: Client,
        environment: (String) -> String?,
        setEnvironment: @escaping (String, String?) -> Void = OwnedEnvironment().set,
        makeHandler: () throws -> any InvocationHandling
    ) -> Result<LambdaRunLoop<Client>, LambdaRuntimeError> {
        let report: ErrorReport
        let failure: LambdaRuntimeError
        do {
            let level = try LambdaLogger.level(fromEnvironment: environment("LOG_LEVEL"))
            do {
                let handler = try makeHandler()
                return .success(LambdaRunLoop(client: client, handler: handler, logger: LambdaLogger(level: level), setEnvironment: setEnvironment))
            } catch {
                failure = LambdaRuntimeError(code: .handlerInitialization, message: "the handler could not be created", underlying: error)
                report = ErrorReport(errorType: String(describing: type(of: error)), errorMessage: String(describing: error))
            }
        } catch {
            failure = error
            report = ErrorReport(errorType: RuntimeAPI.ErrorType.configuration, errorMessage: error.message)
        }
        do {
            try client.postInitError(report)
        } catch {
            ProcessGlue.printError("could not report the initialisation error: \(error)")
        }
        return .failure(failure)
    }

    private static func fail(_ message: String) -> Never {
        ProcessGlue.printError("LambdaRuntime: \(message)")
        ProcessGlue.exit(1)
    }
}

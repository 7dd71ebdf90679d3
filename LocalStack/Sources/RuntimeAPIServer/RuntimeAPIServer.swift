import Foundation
import Hummingbird
import ServiceLifecycle
import Logging
import NIOCore

/// A loopback Lambda Runtime API (version 2018-06-01) for tests and the local gateway: functions built on
/// `LambdaRuntime` run against it exactly as on AWS.
///
/// ```swift
/// let server = RuntimeAPIServer()
/// try await server.start()            // then start the function with AWS_LAMBDA_RUNTIME_API=127.0.0.1:\(server.port)
/// let result = try await server.invoke(Array(#"{"hello":1}"#.utf8))
/// await server.stop()
/// ```
///
/// One server serves one function instance (Lambda hands an environment one invocation at a time).
/// Routes: `GET /2018-06-01/runtime/invocation/next` (long-poll), `POST …/invocation/{id}/response`,
/// `POST …/invocation/{id}/error`, `POST /2018-06-01/runtime/init/error`.
/// https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html
public final class RuntimeAPIServer: Sendable {
    /// The interface it binds (loopback by default; nothing here is meant for a network).
    public let host: String
    /// The ARN handed out in `Lambda-Runtime-Invoked-Function-Arn`.
    public let functionARN: String
    let broker: InvocationBroker
    private let logRequests: Bool
    private let lifecycle: Lifecycle

    /// - Parameters:
    ///   - port: 0 picks a free port on the first `start()`; later starts reuse the same port.
    ///   - functionARN: the ARN reported to the function.
    ///   - logRequests: log every request (off by default; tests stay quiet).
    ///   - queueTimeout: how long an invocation waits for a function to take it before `invoke` throws.
    public init(
        host: String = "127.0.0.1",
        port: Int = 0,
        functionARN: String = "arn:aws:lambda:us-east-1:000000000000:function:local",
        logRequests: Bool = false,
        queueTimeout: Duration = .seconds(120)
    ) {
        self.broker = InvocationBroker(queueTimeout: queueTimeout)
        self.host = host
        self.functionARN = functionARN
        self.logRequests = logRequests
        self.lifecycle = Lifecycle(port: port)
    }

    /// The bound port (the requested one before the first start).
    public var port: Int { lifecycle.port }

    /// `host:port`, the value for the function's `AWS_LAMBDA_RUNTIME_API`.
    public var address: String { "\(host):\(port)" }

    /// Starts listening; returns once the port is bound.
    /// - Throws: `RuntimeAPIServerError(.startFailed)` when binding fails, `.alreadyRunning` when running.
    public func start() async throws {
        await broker.setAccepting(true)
        var logger = Logger(label: "RuntimeAPIServer")
        logger.logLevel = logRequests ? .debug : .critical
        let router = Router()
        if logRequests { router.add(middleware: LogRequestsMiddleware(.info)) }
        addRoutes(to: router)
        let ready = Lifecycle.ReadySignal()
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(host, port: lifecycle.port), serverName: nil),
            onServerRunning: { channel in ready.signal(.success(channel.localAddress?.port ?? 0)) },
            logger: logger
        )
        // A service group gives a graceful shutdown: in-flight requests finish before the server stops.
        // Cancelling `app.run()` instead can drop a response writer mid-request, which NIO traps on.
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let task = Task {
            do {
                try await group.run()
                ready.signal(.failure(RuntimeAPIServerError(code: .startFailed, message: "server ended before it was ready")))
            } catch {
                ready.signal(.failure(RuntimeAPIServerError(code: .startFailed, message: "cannot serve on \(host):\(lifecycle.port)", underlying: error)))
            }
        }
        guard lifecycle.setTask(task, group: group) else {
            task.cancel()
            throw RuntimeAPIServerError(code: .alreadyRunning, message: "start() called on a running server")
        }
        do {
            lifecycle.port = try await ready.wait()
        } catch {
            _ = lifecycle.takeTask()
            await task.value
            throw error
        }
    }

    /// Stops listening and closes connections; pending `/next` requests are answered first. Queued and
    /// outstanding invocations stay and are served after the next `start()`.
    public func stop() async {
        await broker.setAccepting(false)
        guard let (task, group) = lifecycle.takeTask() else { return }
        await group.triggerGracefulShutdown()
        await task.value
    }

    /// Queues `payload` as the next invocation and waits for the function's answer.
    /// - Parameters:
    ///   - deadline: the invocation's time limit, counted as in Lambda from when the function takes it
    ///     (the `Lambda-Runtime-Deadline-Ms` header); without an answer by then (plus a grace second) the
    ///     call throws `.timeout`. An invocation no function takes within `queueTimeout` also times out.
    ///   - headers: extra or replacing `/next` headers (e.g. `Lambda-Runtime-Client-Context`); an empty
    ///     value removes a standard header, to test a function against a malformed invocation.
    public func invoke(
        _ payload: [UInt8], deadline: Duration = .seconds(30), headers: [String: String] = [:]
    ) async throws -> InvocationResult {
        let requestID = UUID().uuidString.lowercased()
        var fields: [(name: String, value: String)] = [
            ("Lambda-Runtime-Aws-Request-Id", requestID),
            ("Lambda-Runtime-Invoked-Function-Arn", functionARN),
            ("Lambda-Runtime-Trace-Id", Self.traceHeader()),
        ]
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) {
            fields.removeAll { $0.name.lowercased() == name.lowercased() }
            if !value.isEmpty { fields.append((name, value)) }
        }
        // The deadline header is stamped when the function takes the invocation, unless the caller set
        // or removed it.
        let setsDeadline = !headers.keys.contains { $0.lowercased() == "lambda-runtime-deadline-ms" }
        let delivery = InvocationBroker.Delivery(
            requestID: requestID, payload: payload, headers: fields, limit: deadline, setsDeadline: setsDeadline)
        return try await broker.submit(delivery, timeout: deadline + .seconds(1))
    }

    /// What the last `/runtime/init/error` carried, if any.
    public var initError: InitError? {
        get async { await broker.initError }
    }

    /// Fault knob: the next `count` `/next` requests are answered with `status` (e.g. 500) at once.
    public func failNextPolls(_ count: Int, status: Int = 500) async {
        await broker.failNextPolls(count, status: status)
    }

    /// Fault knob: which responses get 413 (default `.bytes(6_291_556)`, Lambda's limit).
    public func setResponseLimit(_ limit: ResponseLimit) async {
        await broker.setResponseLimit(limit)
    }

    /// An X-Ray trace header with a fresh root id: `Root=1-{8 hex epoch seconds}-{24 hex};Parent={16 hex};Sampled=0`.
    /// https://docs.aws.amazon.com/xray/latest/devguide/xray-concepts.html#xray-concepts-tracingheader
    static func traceHeader() -> String {
        func hex<T: FixedWidthInteger>(_ value: T, width: Int) -> String {
            let digits = String(value, radix: 16)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        let seconds = UInt32(truncatingIfNeeded: Int(Date().timeIntervalSince1970))
        let root = hex(seconds, width: 8) + "-" + hex(UInt64.random(in: .min ... .max), width: 16)
            + hex(UInt32.random(in: .min ... .max), width: 8)
        return "Root=1-\(root);Parent=\(hex(UInt64.random(in: .min ... .max), width: 16));Sampled=0"
    }
}

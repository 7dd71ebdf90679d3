import Foundation
import LambdaEvents
import RuntimeAPIServer
import Testing
import ProcessTestSupport
import TestSupport

/// Bad configuration and bad credentials, seen from Lambda's side.
@Suite(.serialized) struct ConfigurationErrorTests {
    @Test(arguments: [
        ("DBUpdater", "AWS_REGION"), ("DBUpdater", "AWS_ACCESS_KEY_ID"), ("DBUpdater", "AWS_SECRET_ACCESS_KEY"),
        ("DBStreamProcessor", "WEBSOCKET_API_ENDPOINT"), ("DBStreamProcessor", "AWS_REGION"),
    ])
    func aMissingVariableIsAnInitErrorThatNamesIt(binary: String, variable: String) async throws {
        let start = try await Self.start(binary, setting: variable, to: nil)
        #expect(start.status != nil && start.status != 0)
        #expect(start.initError?.contains(variable) == true, "init error: \(String(describing: start.initError)); stderr: \(start.stderr)")
    }

    @Test(arguments: [
        ("DBUpdater", "AWS_ENDPOINT_URL_DYNAMODB", "http://dynamodb.eu-west-1.amazonaws.com", "https://"),
        ("DBStreamProcessor", "AWS_ENDPOINT_URL", "http://10.1.2.3:8000", "https://"),
        ("DBStreamProcessor", "WEBSOCKET_API_ENDPOINT", "http://abc.execute-api.eu-west-1.amazonaws.com/prod", "https://"),
        ("DBUpdater", "COUNTER_SHARDS", "0", "1 to 32"), ("DBStreamProcessor", "COUNTER_SHARDS", "64", "1 to 32"),
    ])
    func aBadValueIsAnInitErrorThatNamesIt(binary: String, variable: String, value: String, hint: String) async throws {
        let start = try await Self.start(binary, setting: variable, to: value)
        #expect(start.status != nil && start.status != 0)
        let message = start.initError ?? ""
        #expect(message.contains(variable) && message.contains(hint), "init error: \(message); stderr: \(start.stderr)")
    }

    /// Starts `binary` on its own Runtime API with a complete configuration but `variable` set to `value`
    /// (nil: unset) and waits for it to exit: its exit status, the init error it posted, its stderr.
    static func start(_ binary: String, setting variable: String, to value: String?) async throws
        -> (status: Int32?, initError: String?, stderr: String)
    {
        let server = RuntimeAPIServer()
        try await server.start()
        var env = [
            "AWS_LAMBDA_RUNTIME_API": server.address, "AWS_REGION": "eu-west-1", "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE",
            "AWS_SECRET_ACCESS_KEY": "secret", "WEBSOCKET_API_ENDPOINT": "https://abc.execute-api.eu-west-1.amazonaws.com/prod",
        ]
        env[variable] = value
        let process = try ChildProcess(RepoPaths.functionBinary(binary), [], environment: env)
        let status = process.waitForExit(timeout: 20)
        let initError = await server.initError?.message
        await server.stop()
        return (status, initError, process.stderr)
    }

    @Test func wrongCredentialsAreAClearInvocationErrorAndTheProcessLives() async throws {
        let aws = try LocalAWS()
        let fleet = try await FunctionFleet(binary: "DBUpdater") {
            aws.environment(runtimeAPI: $0, extra: ["AWS_SECRET_ACCESS_KEY": "not-the-secret"])
        }
        defer { Task { await fleet.stop() } }
        for n in 0..<2 {
            let result = try await fleet.invoke(WebSocketEvents.event(route: "$connect", connectionId: WebSocketEvents.connectionId(n)))
            guard case .error(_, let message, _) = result else {
                Issue.record("expected an invocation error, got \(result)")
                return
            }
            #expect(message.lowercased().contains("signature"), "\(message)")
            #expect(!message.contains("not-the-secret"))
        }
        #expect(fleet.processes[0].process.isRunning)
        #expect(try aws.counter().visits == nil)
        #expect(!fleet.output.contains("not-the-secret") && !fleet.processes[0].stderr.contains("not-the-secret"))
    }
}

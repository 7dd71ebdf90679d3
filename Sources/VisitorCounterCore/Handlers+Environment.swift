#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AWSClient

/// Building the two handlers from the process environment, once at start (an init error otherwise).
extension DBUpdaterHandler {
    /// Reads DESIGN §2's variables and connects the DynamoDB store.
    /// - Throws: a configuration error whose message names the variable at fault.
    public static func fromEnvironment(_ env: [String: String] = ProcessEnvironment.current()) throws -> DBUpdaterHandler {
        let configuration = try FunctionConfiguration.fromEnvironment(env)
        let client = try DynamoDBClient(configuration: AWSConfiguration.fromEnvironment(env))
        return DBUpdaterHandler(configuration: configuration, store: DynamoDBCounterStore(client: client, configuration: configuration))
    }
}

extension StreamProcessorHandler {
    /// Reads DESIGN §2's variables (`WEBSOCKET_API_ENDPOINT` is required) and connects the store and the Management API.
    /// - Throws: a configuration error whose message names the variable at fault.
    public static func fromEnvironment(_ env: [String: String] = ProcessEnvironment.current()) throws -> StreamProcessorHandler {
        let configuration = try FunctionConfiguration.fromEnvironment(env, requireEndpoint: true)
        let aws = try AWSConfiguration.fromEnvironment(env)
        let store = DynamoDBCounterStore(client: try DynamoDBClient(configuration: aws), configuration: configuration)
        let channel = ManagementAPIPushChannel(
            client: try ManagementAPIClient(configuration: aws, endpoint: configuration.websocketAPIEndpoint ?? ""))
        return StreamProcessorHandler(
            configuration: configuration, store: store, channel: channel, functionName: env["AWS_LAMBDA_FUNCTION_NAME"])
    }
}

/// The process environment as a dictionary, without Foundation's ProcessInfo.
public enum ProcessEnvironment {
    /// Every `NAME=value` of `environ`.
    public static func current() -> [String: String] {
        var result: [String: String] = [:]
        var cursor = environ
        while let entry = cursor.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            cursor += 1
        }
        return result
    }
}

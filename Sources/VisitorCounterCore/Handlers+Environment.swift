import AWSClient
import SystemSupport

/// Building the two handlers from the process environment, once at start (an init error otherwise).
extension DBUpdaterHandler {
    /// Reads docs/design.md §2's variables and connects the DynamoDB store.
    /// - Throws: a configuration error whose message names the variable at fault.
    public static func fromEnvironment(_ env: [String: String] = ProcessEnvironment.current()) throws -> DBUpdaterHandler {
        let configuration = try FunctionConfiguration.fromEnvironment(env)
        // Retried until the deadline, each attempt at most 1.5 s: a spike's conflicts and throttling must
        // not refuse a visitor while the invocation still has time, nor one stalled connection use it all.
        let client = try DynamoDBClient(
            configuration: AWSConfiguration.fromEnvironment(env), retryPolicy: .dynamoDBUntilDeadline,
            attemptTimeout: .milliseconds(1500))
        return DBUpdaterHandler(
            configuration: configuration, store: DynamoDBCounterStore(client: client, configuration: configuration),
            functionName: env["AWS_LAMBDA_FUNCTION_NAME"])
    }
}

extension StreamProcessorHandler {
    /// Reads docs/design.md §2's variables (`WEBSOCKET_API_ENDPOINT` is required) and connects the store and the Management API.
    /// - Throws: a configuration error whose message names the variable at fault.
    public static func fromEnvironment(_ env: [String: String] = ProcessEnvironment.current()) throws -> StreamProcessorHandler {
        let configuration = try FunctionConfiguration.fromEnvironment(env, requireEndpoint: true)
        let aws = try AWSConfiguration.fromEnvironment(env)
        // Scans of a large table take longer per page than DBUpdater's single items: the default attempt
        // timeout (10 s), retried until the deadline like DBUpdater's calls (gone-connection deletes and
        // live corrections write the counter shards that $connect is busy with).
        let store = DynamoDBCounterStore(
            client: try DynamoDBClient(configuration: aws, retryPolicy: .dynamoDBUntilDeadline), configuration: configuration)
        let channel = ManagementAPIPushChannel(
            client: try ManagementAPIClient(
                configuration: aws, endpoint: configuration.websocketAPIEndpoint ?? "", retryPolicy: .managementAPIUntilDeadline))
        return StreamProcessorHandler(
            configuration: configuration, store: store, channel: channel, functionName: env["AWS_LAMBDA_FUNCTION_NAME"])
    }
}

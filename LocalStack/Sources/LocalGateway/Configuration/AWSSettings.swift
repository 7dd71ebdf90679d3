import SigV4

/// Region, credentials and DynamoDB endpoint of the local stack, read from the environment with the
/// AWS SDKs' names (docs/design.md §2). The gateway uses them for its own calls, for checking Management API
/// signatures, and hands the same to the functions.
struct AWSSettings: Sendable {
    var region: String
    var credentials: AWSCredentials
    /// nil: the functions use the regional endpoint (a real table).
    var endpoint: String?

    init(environment env: [String: String], endpointOverride: String?) throws(GatewayError) {
        func required(_ name: String) throws(GatewayError) -> String {
            guard let value = env[name], !value.isEmpty else {
                throw GatewayError(.configuration, "\(name) is not set (scripts/dev.sh sets it from moto's credentials)")
            }
            return value
        }
        region = env["AWS_REGION"] ?? env["AWS_DEFAULT_REGION"] ?? "us-east-1"
        credentials = AWSCredentials(
            accessKeyId: try required("AWS_ACCESS_KEY_ID"), secretAccessKey: try required("AWS_SECRET_ACCESS_KEY"),
            sessionToken: env["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 })
        endpoint = endpointOverride ?? env["AWS_ENDPOINT_URL_DYNAMODB"] ?? env["AWS_ENDPOINT_URL"]
    }

    /// A DynamoDB (and DynamoDB Streams) source for the calling thread.
    func makeSource() throws(GatewayError) -> any StreamSource {
        try DynamoDBStreamSource(settings: self)
    }
}

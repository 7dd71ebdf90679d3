import SigV4

/// Region, credentials and DynamoDB endpoint a function talks to (docs/design.md §2).
public struct AWSConfiguration: Sendable {
    /// Region used for signing and for the default endpoints, e.g. `eu-west-1`.
    public var region: String
    /// The function's credentials (Lambda hands temporary ones with a session token).
    public var credentials: AWSCredentials
    /// Base URL of DynamoDB (and DynamoDB Streams, which the local stack serves on the same port),
    /// without a trailing slash, e.g. `https://dynamodb.eu-west-1.amazonaws.com`.
    public var dynamoDBEndpoint: String

    /// Creates a configuration from already validated parts.
    public init(region: String, credentials: AWSCredentials, dynamoDBEndpoint: String) {
        self.region = region
        self.credentials = credentials
        self.dynamoDBEndpoint = dynamoDBEndpoint
    }

    /// The AWS endpoint of DynamoDB in `region`, used when no override is set.
    package static func defaultDynamoDBEndpoint(region: String) -> String {
        // China regions live under amazonaws.com.cn; every other partition uses amazonaws.com.
        let suffix = region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
        return "https://dynamodb.\(region).\(suffix)"
    }
}

import AWSClient
import SigV4

extension AWSSettings {
    /// A DynamoDB client with these credentials and endpoint, for the calling thread (the client is blocking
    /// and keeps one keep-alive connection).
    func makeDynamoDBClient() throws(GatewayError) -> DynamoDBClient {
        var env = [
            "AWS_REGION": region,
            "AWS_ACCESS_KEY_ID": credentials.accessKeyId,
            "AWS_SECRET_ACCESS_KEY": credentials.secretAccessKey,
        ]
        if let token = credentials.sessionToken { env["AWS_SESSION_TOKEN"] = token }
        if let endpoint { env["AWS_ENDPOINT_URL_DYNAMODB"] = endpoint }
        do {
            return try DynamoDBClient(configuration: AWSConfiguration.fromEnvironment(env))
        } catch {
            throw GatewayError(.configuration, "cannot make a DynamoDB client", underlying: error)
        }
    }
}

import SigV4
import SystemSupport

extension AWSConfiguration {
    /// Names of the environment variables read here (docs/design.md §2; the AWS SDKs' conventions).
    package enum Variable {
        /// Region for signing and default endpoints.
        public static let region = "AWS_REGION"
        /// Access key id.
        public static let accessKeyId = "AWS_ACCESS_KEY_ID"
        /// Secret access key.
        public static let secretAccessKey = "AWS_SECRET_ACCESS_KEY"
        /// Session token of temporary credentials (optional).
        public static let sessionToken = "AWS_SESSION_TOKEN"
        /// Endpoint override for DynamoDB only; wins over `AWS_ENDPOINT_URL`.
        public static let dynamoDBEndpoint = "AWS_ENDPOINT_URL_DYNAMODB"
        /// Endpoint override for every service.
        public static let endpoint = "AWS_ENDPOINT_URL"
    }

    /// Reads the configuration from `env` (normally the process environment).
    ///
    /// Endpoint precedence: `AWS_ENDPOINT_URL_DYNAMODB` > `AWS_ENDPOINT_URL` > `https://dynamodb.{region}.amazonaws.com`,
    /// as in the AWS SDKs' service-specific endpoint configuration. Empty values count as unset.
    /// - Throws: `AWSClientError` with code `.configuration` whose message names the offending variable
    ///   (never its value: it may be a secret).
    public static func fromEnvironment(_ env: [String: String]) throws(AWSClientError) -> AWSConfiguration {
        func value(_ name: String) -> String? {
            guard let raw = env[name] else { return nil }
            let trimmed = raw.trimmingASCIIWhitespace()
            return trimmed.isEmpty ? nil : trimmed
        }
        func required(_ name: String) throws(AWSClientError) -> String {
            guard let found = value(name) else {
                throw AWSClientError(code: .configuration, message: "\(name) is not set")
            }
            return found
        }

        let region = try required(Variable.region)
        guard isValidRegion(region) else {
            throw AWSClientError(
                code: .configuration, message: "\(Variable.region) is not a region name like eu-west-1")
        }
        let accessKeyId = try required(Variable.accessKeyId)
        guard accessKeyId.utf8.allSatisfy({ $0.isASCIIAlphanumeric }) else {
            throw AWSClientError(code: .configuration, message: "\(Variable.accessKeyId) must be letters and digits only")
        }
        let secret = try required(Variable.secretAccessKey)
        let credentials = AWSCredentials(
            accessKeyId: accessKeyId, secretAccessKey: secret, sessionToken: value(Variable.sessionToken))

        let endpoint: String
        if let override = value(Variable.dynamoDBEndpoint) {
            endpoint = try validatedEndpoint(override, variable: Variable.dynamoDBEndpoint)
        } else if let override = value(Variable.endpoint) {
            endpoint = try validatedEndpoint(override, variable: Variable.endpoint)
        } else {
            endpoint = defaultDynamoDBEndpoint(region: region)
        }
        return AWSConfiguration(region: region, credentials: credentials, dynamoDBEndpoint: endpoint)
    }

    /// `eu-west-1`, `us-gov-west-1`, `cn-north-1`: lowercase segments joined by `-`, the last one digits.
    static func isValidRegion(_ region: String) -> Bool {
        let segments = region.split(separator: "-", omittingEmptySubsequences: false)
        guard region.utf8.count <= 32, segments.count >= 3, let last = segments.last else { return false }
        let allLowerAlphanumeric = segments.allSatisfy { segment in
            !segment.isEmpty && segment.utf8.allSatisfy { $0.isASCIIAlphanumeric && !($0 >= 0x41 && $0 <= 0x5A) }
        }
        return allLowerAlphanumeric && last.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
            && segments[0].utf8.allSatisfy { $0 >= 0x61 && $0 <= 0x7A }
    }

    /// Checks an endpoint URL: `https`, or `http` to a loopback host only (127.0.0.0/8, ::1, localhost);
    /// a host, no user info, query or fragment; drops a trailing `/`.
    /// - Parameter variable: named in the error, so the message points at what to fix.
    package static func validatedEndpoint(_ url: String, variable: String) throws(AWSClientError) -> String {
        guard let parts = EndpointURL(url) else {
            throw AWSClientError(
                code: .configuration,
                message: "\(variable) must be an http:// or https:// URL with a host and no user info, query or fragment")
        }
        // Plain http over a network would expose every request's data and let anyone on the path answer
        // for AWS; only the local stack and tests, on this machine, may use it.
        guard parts.scheme == "https" || parts.isLoopback else {
            throw AWSClientError(
                code: .configuration,
                message: "\(variable) must be an https:// URL: http:// is allowed only for a loopback host "
                    + "(127.0.0.0/8, ::1, localhost), not \(parts.host)")
        }
        return parts.normalized
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and line breaks.
    func trimmingASCIIWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}

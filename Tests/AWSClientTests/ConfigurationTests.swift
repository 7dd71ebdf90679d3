import AWSClient
import SigV4
import Testing

@Suite struct ConfigurationTests {
    let base = [
        "AWS_REGION": "eu-west-1",
        "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE",
        "AWS_SECRET_ACCESS_KEY": "secret/key+value",
    ]

    private func error(_ env: [String: String]) -> AWSClientError? {
        do {
            _ = try AWSConfiguration.fromEnvironment(env)
            return nil
        } catch {
            return error
        }
    }

    @Test func readsTheStandardVariables() throws {
        var env = base
        env["AWS_SESSION_TOKEN"] = "token"
        let config = try AWSConfiguration.fromEnvironment(env)
        #expect(config.region == "eu-west-1")
        #expect(config.credentials.accessKeyId == "AKIDEXAMPLE")
        #expect(config.credentials.secretAccessKey == "secret/key+value")
        #expect(config.credentials.sessionToken == "token")
        #expect(config.dynamoDBEndpoint == "https://dynamodb.eu-west-1.amazonaws.com")
    }

    @Test(arguments: ["AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"])
    func aMissingOrEmptyVariableIsNamed(_ name: String) throws {
        for value in [nil, "", "  "] as [String?] {
            var env = base
            env[name] = value
            let failure = try #require(error(env))
            #expect(failure.code == .configuration)
            #expect(failure.message.contains(name))
            #expect(!failure.description.contains("secret/key+value"))
        }
    }

    @Test func sessionTokenIsOptional() throws {
        var env = base
        env["AWS_SESSION_TOKEN"] = ""
        #expect(try AWSConfiguration.fromEnvironment(env).credentials.sessionToken == nil)
        #expect(try AWSConfiguration.fromEnvironment(base).credentials.sessionToken == nil)
    }

    @Test func endpointPrecedence() throws {
        var env = base
        env["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9000/"
        #expect(try AWSConfiguration.fromEnvironment(env).dynamoDBEndpoint == "http://127.0.0.1:9000")
        env["AWS_ENDPOINT_URL_DYNAMODB"] = "http://localhost:8000"
        #expect(try AWSConfiguration.fromEnvironment(env).dynamoDBEndpoint == "http://localhost:8000")
        env["AWS_ENDPOINT_URL_DYNAMODB"] = ""
        #expect(try AWSConfiguration.fromEnvironment(env).dynamoDBEndpoint == "http://127.0.0.1:9000")
        env["AWS_REGION"] = "cn-north-1"
        env["AWS_ENDPOINT_URL"] = nil
        #expect(try AWSConfiguration.fromEnvironment(env).dynamoDBEndpoint == "https://dynamodb.cn-north-1.amazonaws.com.cn")
    }

    @Test(arguments: [
        "ftp://example.com", "example.com", "http://", "http://user:pw@host", "https://host?x=1", "https://host#f", "http://hóst", "http://h st",
        "http://host:0", "http://host:99999", "http://host:port",
    ])
    func invalidEndpointsAreRefusedNamingTheVariable(_ url: String) throws {
        for name in ["AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL"] {
            var env = base
            env[name] = url
            let failure = try #require(error(env))
            #expect(failure.code == .configuration)
            #expect(failure.message.contains(name))
            // The value may hold user info: it is never echoed.
            #expect(!failure.description.contains("pw@"))
        }
    }

    @Test(arguments: ["http://dynamodb.eu-west-1.amazonaws.com", "http://10.0.0.5:8000", "http://128.0.0.1", "http://127.0.0.1.example.com",
                      "http://[::2]:8000", "http://localhost.example.com", "http://127.0.0.256"])
    func plainHTTPToAnotherMachineIsAnInitError(_ url: String) throws {
        for name in ["AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL"] {
            var env = base
            env[name] = url
            let failure = try #require(error(env))
            #expect(failure.code == .configuration)
            #expect(failure.message.contains(name) && failure.message.contains("https://"), "\(failure.message)")
        }
    }

    @Test(arguments: ["http://127.0.0.1:8000", "http://127.3.4.5", "http://[::1]:8000", "http://localhost:8000", "http://LOCALHOST",
                      "https://dynamodb.eu-west-1.amazonaws.com", "https://10.0.0.5:8443"])
    func httpsOrLoopbackEndpointsAreAccepted(_ url: String) throws {
        var env = base
        env["AWS_ENDPOINT_URL_DYNAMODB"] = url
        #expect(try AWSConfiguration.fromEnvironment(env).dynamoDBEndpoint.hasPrefix("http"))
    }

    @Test(arguments: ["eu-west-1", "us-gov-west-1", "ap-southeast-2", "cn-north-1", "il-central-1"])
    func validRegions(_ region: String) throws {
        var env = base
        env["AWS_REGION"] = region
        #expect(try AWSConfiguration.fromEnvironment(env).region == region)
    }

    @Test(arguments: ["EU-WEST-1", "euwest1", "eu-west", "eu_west_1", "eu-west-1/x", "eu--west-1", "1u-west-1", "local"])
    func invalidRegions(_ region: String) throws {
        var env = base
        env["AWS_REGION"] = region
        let failure = try #require(error(env))
        #expect(failure.message.contains("AWS_REGION"))
    }
}

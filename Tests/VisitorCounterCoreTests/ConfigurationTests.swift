import Testing
import VisitorCounterCore

@Suite struct ConfigurationTests {
    @Test func defaultsFollowTheDesign() throws {
        let config = try FunctionConfiguration.fromEnvironment([:])
        #expect(config.visitorCountTable == "VisitorCount")
        #expect(config.connectionsTable == "ConnectionIDs")
        #expect(config.allowedOrigins.isEmpty)
        #expect(config.liveViewers == false)
        #expect(config.fanoutConcurrency == 64)
        #expect(config.websocketAPIEndpoint == nil)
        #expect(config.counterShards.count == 1)
        #expect(config.counterShards.ids == ["visitors"])
    }

    @Test func readsEveryVariable() throws {
        let config = try FunctionConfiguration.fromEnvironment([
            "VISITOR_COUNT_TABLE": "stack-VisitorCount", "CONNECTIONS_TABLE": "stack-Connections",
            "ALLOWED_ORIGINS": " https://Example.com/ , https://blog.example.org,,", "LIVE_VIEWERS": "TRUE",
            "FANOUT_CONCURRENCY": "16", "WEBSOCKET_API_ENDPOINT": "https://abc.execute-api.eu-west-1.amazonaws.com/prod/",
            "COUNTER_SHARDS": "4",
        ])
        #expect(config.counterShards.ids == ["visitors", "visitors#1", "visitors#2", "visitors#3"])
        #expect(config.visitorCountTable == "stack-VisitorCount")
        #expect(config.connectionsTable == "stack-Connections")
        #expect(config.allowedOrigins == ["https://example.com", "https://blog.example.org"])
        #expect(config.liveViewers)
        #expect(config.fanoutConcurrency == 16)
        #expect(config.websocketAPIEndpoint == "https://abc.execute-api.eu-west-1.amazonaws.com/prod")
    }

    @Test(arguments: [
        ("LIVE_VIEWERS", "maybe"), ("FANOUT_CONCURRENCY", "0"), ("FANOUT_CONCURRENCY", "many"),
        ("FANOUT_CONCURRENCY", "5000"), ("VISITOR_COUNT_TABLE", "a b"), ("CONNECTIONS_TABLE", "x"),
        ("WEBSOCKET_API_ENDPOINT", "abc.execute-api.eu-west-1.amazonaws.com/prod"),
        ("WEBSOCKET_API_ENDPOINT", "http://abc.execute-api.eu-west-1.amazonaws.com/prod"),
        ("COUNTER_SHARDS", "0"), ("COUNTER_SHARDS", "33"), ("COUNTER_SHARDS", "-1"), ("COUNTER_SHARDS", "eight"),
        ("COUNTER_SHARDS", "2.5"),
    ])
    func badValuesNameTheVariable(name: String, value: String) {
        #expect {
            try FunctionConfiguration.fromEnvironment([name: value])
        } throws: { error in
            (error as? VisitorCounterError)?.code == .configuration && "\(error)".contains(name)
        }
    }

    @Test func streamProcessorNeedsTheEndpoint() {
        #expect {
            try FunctionConfiguration.fromEnvironment([:], requireEndpoint: true)
        } throws: { error in
            "\(error)".contains("WEBSOCKET_API_ENDPOINT")
        }
    }

    @Test func theLocalStacksPlainHTTPManagementAPIIsAccepted() throws {
        let config = try FunctionConfiguration.fromEnvironment(["WEBSOCKET_API_ENDPOINT": "http://127.0.0.1:8080/local"])
        #expect(config.websocketAPIEndpoint == "http://127.0.0.1:8080/local")
    }

    @Test func shardIdsAndTheirIndexes() {
        #expect(CounterShards.index(of: "visitors") == 0)
        #expect(CounterShards.index(of: "visitors#1") == 1)
        #expect(CounterShards.index(of: "visitors#31") == 31)
        for other in ["visit#abcdefgh", "visitors#", "visitors#0", "visitors#01", "visitors#x", "visitors#12345", "Visitors", "visitors#-1"] {
            #expect(CounterShards.index(of: other) == nil, "\(other)")
        }
        let shards = CounterShards(count: 8)
        #expect(Set((0..<400).map { _ in shards.random() }) == Set(0..<8))
    }

    @Test func originsCompareWithoutCaseOrTrailingSlash() {
        let config = FunctionConfiguration(allowedOrigins: ["https://example.com"])
        #expect(config.allows(origin: "https://EXAMPLE.com/"))
        #expect(!config.allows(origin: "https://evil.example.com"))
        #expect(!config.allows(origin: nil))
        #expect(FunctionConfiguration().allows(origin: nil))
    }
}

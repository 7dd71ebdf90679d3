import Foundation
import LambdaEvents
import Testing

@testable import LocalGateway

/// The local gateway's fault modes and keep-alive settings (pure tier); tests/test_local_faults.py runs them
/// against the real stack.
struct LocalFaultsTests {
    @Test func droppingAllOrNoneOfTheDisconnects() {
        let all = LocalFaults(dropDisconnectFraction: 1, seed: 1)
        let none = LocalFaults(dropDisconnectFraction: 0, seed: 1)
        for _ in 0..<50 {
            #expect(all.dropsDisconnect())
            #expect(!none.dropsDisconnect())
        }
        #expect(all.report["disconnects"]?["dropped"] == .number(50))
        #expect(none.report["disconnects"]?["invoked"] == .number(50))
    }

    @Test func aFractionIsDrawnFromTheSeedAndRepeats() {
        let draws = { (seed: UInt64) in
            let faults = LocalFaults(dropDisconnectFraction: 0.3, seed: seed)
            return (0..<1000).map { _ in faults.dropsDisconnect() }
        }
        let first = draws(42)
        #expect(first == draws(42))
        #expect(first != draws(43))
        let dropped = first.filter { $0 }.count
        #expect((200...400).contains(dropped), "\(dropped) of 1000 dropped at 0.3")
    }

    @Test func managementThrottlingLastsAsLongAsAsked() async throws {
        let faults = LocalFaults()
        #expect(!faults.throttlesManagementPost())
        faults.throttleManagementAPI(for: .seconds(60))
        #expect(faults.throttlesManagementPost())
        #expect(faults.throttlesManagementPost())
        #expect(faults.report["managementAPI"]?["throttledPosts"] == .number(2))
        faults.throttleManagementAPI(for: .zero)
        #expect(!faults.throttlesManagementPost())
    }

    @Test func ttlExpiryFollowsDynamoDBsRule() {
        let now = Date(timeIntervalSince1970: 1_000_000)
        let cutoff = TTLSweeper.cutoff(now: now, lag: .seconds(30))
        #expect(cutoff == 999_970)
        #expect(TTLSweeper.isExpired(.number("999969"), cutoff: cutoff))
        #expect(TTLSweeper.isExpired(.number("999969.5"), cutoff: cutoff))
        #expect(!TTLSweeper.isExpired(.number("999970"), cutoff: cutoff))
        #expect(!TTLSweeper.isExpired(.number("1000000"), cutoff: cutoff))
        // Only a Number holds a TTL: anything else, or no attribute, never expires.
        #expect(!TTLSweeper.isExpired(.string("1"), cutoff: cutoff))
        #expect(!TTLSweeper.isExpired(nil, cutoff: cutoff))
        #expect(TTLSweeper.cutoff(now: now, lag: .zero) == 1_000_000)
    }

    @Test func theSweeperOnlyLooksAtTablesWithTTLAndSweepsAFewTimesPerLag() {
        let tables = TablesConfiguration.defaults.tables + [
            TablesConfiguration.Table(
                name: "NoTTL", envVar: "X", keySchema: [], attributeDefinitions: [], streamViewType: nil, ttlAttribute: nil)
        ]
        let sweeper = TTLSweeper(tables: tables, lag: .seconds(2), faults: LocalFaults())
        #expect(sweeper.tables.map(\.name) == ["VisitorCount", "ConnectionIDs"])
        #expect(sweeper.interval == .milliseconds(500))
        #expect(TTLSweeper(tables: [], lag: .zero, faults: LocalFaults()).interval == .milliseconds(250))
        #expect(TTLSweeper(tables: [], lag: .seconds(86400), faults: LocalFaults()).interval == .seconds(10))
    }

    @Test func commandLineOptions() throws {
        let options = try GatewayOptions.parse([
            "--idle-timeout", "2.5", "--max-connection-duration", "60", "--drop-disconnects", "0.25", "--fault-seed", "7", "--ttl-lag", "0",
            "--fault-control", "--function-dynamodb-endpoint", "http://127.0.0.1:9",
        ])
        #expect(options.idleTimeout == .milliseconds(2500))
        #expect(options.maxConnectionDuration == .seconds(60))
        #expect(options.dropDisconnects == 0.25)
        #expect(options.faultSeed == 7)
        #expect(options.ttlLag == .zero)
        #expect(options.faultControl)
        #expect(options.functionDynamoDBEndpoint == "http://127.0.0.1:9")

        let defaults = try GatewayOptions.parse([])
        #expect(defaults.idleTimeout == WebSocketGateway.defaultIdleTimeout)
        #expect(defaults.idleTimeout == .seconds(600))
        #expect(defaults.maxConnectionDuration == WebSocketGateway.defaultMaxConnectionDuration)
        #expect(defaults.maxConnectionDuration == .seconds(7200))
        #expect(defaults.dropDisconnects == 0 && defaults.ttlLag == nil && !defaults.faultControl)

        for bad in [["--drop-disconnects", "1.5"], ["--drop-disconnects", "x"], ["--idle-timeout", "0"], ["--max-connection-duration", "x"],
                    ["--fault-seed", "-1"], ["--ttl-lag", "-3"]] {
            #expect(throws: GatewayError.self, "\(bad)") { try GatewayOptions.parse(bad) }
        }
    }

    @Test func theDefaultRoutesAnswerPingThemselves() throws {
        let ping = try #require(TablesConfiguration.defaults.route("ping"))
        #expect(ping.isMock && ping.hasResponse && ping.mockResponse == #"{"pong": true}"#)
        #expect(TablesConfiguration.defaults.route("sync")?.isMock == false)
        // The page's history request goes to the function and its answer back to the page, as sync's does.
        let history = try #require(TablesConfiguration.defaults.route("history"))
        #expect(!history.isMock && history.hasResponse)
        // A tables file from before the route had an integration type reads as a proxy route.
        let old = try JSONDecoder().decode(TablesConfiguration.Route.self, from: Data(#"{"routeKey":"sync","hasResponse":true}"#.utf8))
        #expect(!old.isMock && old.mockResponse == nil)
    }
}

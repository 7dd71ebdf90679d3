import Foundation
import LambdaEvents
import RuntimeAPIServer
import Testing
import ProcessTestSupport
import TestSupport

/// DBUpdater as Lambda runs it: real binaries on loopback Runtime APIs, against moto with signature
/// checking on and STS session credentials.
@Suite(.serialized) struct DBUpdaterProcessTests {
    @Test func twoHundredConnectsFromFourProcessesCountExactlyOnce() async throws {
        let aws = try LocalAWS()
        let fleet = try await FunctionFleet(binary: "DBUpdater", count: 4) {
            aws.environment(runtimeAPI: $0, extra: ["LIVE_VIEWERS": "true"])
        }
        defer { Task { await fleet.stop() } }

        // 200 page views connect at once, spread over four instances.
        let statuses = try await withThrowingTaskGroup(of: Int?.self) { group in
            for n in 0..<200 {
                group.addTask {
                    try await fleet.invoke(WebSocketEvents.event(
                        route: "$connect", connectionId: WebSocketEvents.connectionId(n), visit: "page-view-\(n)")).statusCode
                }
            }
            return try await group.reduce(into: [Int?]()) { $0.append($1) }
        }
        #expect(statuses.filter { $0 == 200 }.count == 200, "\(fleet.output.suffix(2000))")
        #expect(try aws.counter().visits == 200)
        #expect(try aws.counter().live == 200)

        // The same 50 page views reconnect on new connections: recorded, not counted again.
        for n in 0..<50 {
            let result = try await fleet.invoke(WebSocketEvents.event(
                route: "$connect", connectionId: WebSocketEvents.connectionId(n, prefix: "R"), visit: "page-view-\(n)"))
            #expect(result.statusCode == 200)
        }
        #expect(try aws.counter().visits == 200)
        #expect(try aws.connectionIds().count == 250)

        let sync = try await fleet.invoke(WebSocketEvents.event(route: "sync", connectionId: WebSocketEvents.connectionId(0)))
        #expect(sync.statusCode == 200)
        #expect(sync.webSocketResponse?.body == #"{"visits":200,"live":250}"#)

        // Everybody leaves, some twice: no connection left, live back to zero and never below.
        let ids = (0..<200).map { WebSocketEvents.connectionId($0) } + (0..<50).map { WebSocketEvents.connectionId($0, prefix: "R") }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for id in ids + ids.prefix(20) {
                group.addTask { _ = try await fleet.invoke(WebSocketEvents.event(route: "$disconnect", connectionId: id)) }
            }
            try await group.waitForAll()
        }
        #expect(try aws.connectionIds().isEmpty)
        #expect(try aws.counter().live == 0)
        #expect(try aws.counter().visits == 200)
        #expect(fleet.processes.allSatisfy { $0.process.isRunning })
    }

    @Test func connectsWithoutVisitIdAllCountAndRetriesDoNot() async throws {
        let aws = try LocalAWS()
        let fleet = try await FunctionFleet(binary: "DBUpdater", count: 2) { aws.environment(runtimeAPI: $0) }
        defer { Task { await fleet.stop() } }
        for n in 0..<10 {
            _ = try await fleet.invoke(WebSocketEvents.event(route: "$connect", connectionId: WebSocketEvents.connectionId(n)))
        }
        // A retried $connect of a connection already recorded changes nothing.
        _ = try await fleet.invoke(WebSocketEvents.event(route: "$connect", connectionId: WebSocketEvents.connectionId(3)))
        #expect(try aws.counter().visits == 10)
        #expect(try aws.counter().live == nil)
    }

    @Test func aDisallowedOriginIsRefusedAndNotCounted() async throws {
        let aws = try LocalAWS()
        let fleet = try await FunctionFleet(binary: "DBUpdater") {
            aws.environment(runtimeAPI: $0, extra: ["ALLOWED_ORIGINS": "https://www.example.com"])
        }
        defer { Task { await fleet.stop() } }
        let result = try await fleet.invoke(WebSocketEvents.event(route: "$connect", connectionId: WebSocketEvents.connectionId(1), visit: "page-view-x"))
        #expect(result.statusCode == 403)
        #expect(try aws.counter().visits == nil)
        #expect(try aws.connectionIds().isEmpty)
    }

    @Test func aLibcryptoThatCannotLoadFailsEachInvocationWithThePathsTriedAndTheProcessServesOn() async throws {
        let aws = try LocalAWS()
        let paths = ["/nonexistent/libcrypto.so.3", "/also/missing/libcrypto.so"]
        let fleet = try await FunctionFleet(binary: "DBUpdater") {
            aws.environment(runtimeAPI: $0, extra: ["UNIQUE_VISITORS": "true", "VC_TEST_LIBCRYPTO_PATHS": paths.joined(separator: ":")])
        }
        defer { Task { await fleet.stop() } }
        for n in 0..<2 {
            let result = try await fleet.invoke(WebSocketEvents.event(route: "$connect", connectionId: WebSocketEvents.connectionId(n)))
            guard case .error(_, let message, _) = result else {
                Issue.record("not an invocation error: \(result)")
                continue
            }
            #expect(message.contains("libcrypto could not be loaded"), "\(message)")
            for path in paths {
                #expect(message.contains("[\(path): dlopen: \(path): cannot open shared object file"), "\(message)")
            }
        }
        // Nothing was signed, so nothing reached DynamoDB; the process is still serving.
        #expect(try aws.counter().visits == nil)
        #expect(fleet.processes.allSatisfy { $0.process.isRunning })
    }
}

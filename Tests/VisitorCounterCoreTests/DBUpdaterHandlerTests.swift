import LambdaEvents
import Synchronization
import Testing
import VisitorCounterCore

@Suite struct DBUpdaterHandlerTests {
    let store = InMemoryCounterStore()

    func handler(_ config: FunctionConfiguration = FunctionConfiguration()) -> DBUpdaterHandler {
        // Metric lines are checked in UpdaterMetricsTests; here they are kept off the test output.
        DBUpdaterHandler(configuration: config, store: store, emit: { _ in })
    }

    func send(_ handler: DBUpdaterHandler, _ event: APIGatewayWebSocketRequest) throws -> APIGatewayWebSocketResponse {
        try handler.handle(event, context: Fixtures.context())
    }

    @Test func connectRecordsTheConnectionAndCountsTheVisit() throws {
        let response = try send(handler(), Fixtures.webSocketEvent(route: "$connect", visit: "visit-aaaaaaaa"))
        #expect(response.statusCode == 200)
        store.state.withLock { s in
            #expect(s.visits == 1)
            #expect(s.connections["LLOXxdOBrPEAbBw="] == 1_700_000_000_000)
        }
    }

    @Test func aRepeatedVisitIdCountsOnce() throws {
        let h = handler()
        for (index, id) in ["AAAAAAAAAAAAAAA=", "BBBBBBBBBBBBBBB=", "CCCCCCCCCCCCCCC="].enumerated() {
            let response = try send(h, Fixtures.webSocketEvent(route: "$connect", connectionId: id, connectedAt: Int64(index), visit: "same-page-view"))
            #expect(response.statusCode == 200)
        }
        store.state.withLock { s in
            #expect(s.visits == 1)
            #expect(s.connections.count == 3)
        }
    }

    @Test func withoutAVisitIdEveryConnectCounts() throws {
        let h = handler()
        _ = try send(h, Fixtures.webSocketEvent(route: "$connect", connectionId: "AAAAAAAAAAAAAAA="))
        _ = try send(h, Fixtures.webSocketEvent(route: "$connect", connectionId: "BBBBBBBBBBBBBBB="))
        #expect(store.state.withLock { $0.visits } == 2)
    }

    @Test func aRetriedConnectOfTheSameConnectionCountsOnce() throws {
        let h = handler()
        _ = try send(h, Fixtures.webSocketEvent(route: "$connect"))
        _ = try send(h, Fixtures.webSocketEvent(route: "$connect"))
        #expect(store.state.withLock { $0.visits } == 1)
    }

    @Test func aForeignOriginIsRefusedAndNothingIsWritten() throws {
        let h = handler(FunctionConfiguration(allowedOrigins: ["https://www.example.com"]))
        #expect(try send(h, Fixtures.webSocketEvent(route: "$connect", origin: "https://evil.example")).statusCode == 403)
        #expect(try send(h, Fixtures.webSocketEvent(route: "$connect", origin: nil)).statusCode == 403)
        store.state.withLock { s in
            #expect(s.visits == 0)
            #expect(s.connections.isEmpty)
        }
        #expect(try send(h, Fixtures.webSocketEvent(route: "$connect", origin: "https://www.example.com")).statusCode == 200)
    }

    @Test(arguments: ["short", String(repeating: "a", count: 65), "has space in it", "semi;colon-0001", "ünïcode-00001"])
    func aMalformedVisitIdIsRefused(visit: String) throws {
        #expect(try send(handler(), Fixtures.webSocketEvent(route: "$connect", visit: visit)).statusCode == 400)
        #expect(store.state.withLock { $0.connections.isEmpty })
    }

    @Test func disconnectRemovesTheConnection() throws {
        let h = handler()
        _ = try send(h, Fixtures.webSocketEvent(route: "$connect"))
        #expect(try send(h, Fixtures.webSocketEvent(route: "$disconnect")).statusCode == 200)
        #expect(store.state.withLock { $0.connections.isEmpty })
    }

    @Test func liveViewersFollowConnectionsAndNeverGoNegative() throws {
        let h = handler(FunctionConfiguration(liveViewers: true))
        _ = try send(h, Fixtures.webSocketEvent(route: "$connect", connectionId: "AAAAAAAAAAAAAAA=", visit: "page-view-1"))
        _ = try send(h, Fixtures.webSocketEvent(route: "$connect", connectionId: "BBBBBBBBBBBBBBB=", visit: "page-view-1"))
        #expect(store.state.withLock { $0.live } == 2)
        let sync = try send(h, Fixtures.webSocketEvent(route: "sync", body: #"{"action":"sync"}"#))
        #expect(sync.body == #"{"visits":1,"live":2}"#)
        for _ in 0..<3 { _ = try send(h, Fixtures.webSocketEvent(route: "$disconnect", connectionId: "AAAAAAAAAAAAAAA=")) }
        _ = try send(h, Fixtures.webSocketEvent(route: "$disconnect", connectionId: "BBBBBBBBBBBBBBB="))
        #expect(store.state.withLock { $0.live } == 0)
    }

    @Test(arguments: [(Int64?.none, "0"), (-3, "0"), (0, "0"), (5, "5")])
    func syncNeverFailsBecauseOfTheStoredLiveCount(stored: Int64?, shown: String) throws {
        store.state.withLock { s in
            s.visits = 12
            s.live = stored
        }
        let response = try send(handler(FunctionConfiguration(liveViewers: true)), Fixtures.webSocketEvent(route: "sync"))
        #expect(response.statusCode == 200)
        #expect(response.body == #"{"visits":12,"live":\#(shown)}"#)
    }

    @Test func syncReturnsTheCurrentCount() throws {
        let h = handler()
        #expect(try send(h, Fixtures.webSocketEvent(route: "sync")).body == #"{"visits":0}"#)
        _ = try send(h, Fixtures.webSocketEvent(route: "$connect"))
        let response = try send(h, Fixtures.webSocketEvent(route: "sync"))
        #expect(response.statusCode == 200)
        #expect(response.body == #"{"visits":1}"#)
    }

    @Test func anUnknownRouteIs400() throws {
        #expect(try send(handler(), Fixtures.webSocketEvent(route: "$default")).statusCode == 400)
        #expect(try send(handler(), Fixtures.webSocketEvent(route: "delete-everything")).statusCode == 400)
    }

    @Test(arguments: ["", "has spaces", String(repeating: "A", count: 129)])
    func anEventWithoutAValidConnectionIdIsAnInvocationError(id: String) {
        #expect(throws: VisitorCounterError.self) {
            try send(handler(), Fixtures.webSocketEvent(route: "$connect", connectionId: id))
        }
    }

    @Test func theRecordedConnectEventCounts() throws {
        let event = try Fixtures.recorded("connect.json", as: APIGatewayWebSocketRequest.self)
        #expect(try send(handler(), event).statusCode == 200)
        #expect(store.state.withLock { $0.visits } == 1)
    }
}

import AWSClient
import LambdaEvents
import LambdaRuntime
import SystemSupport

/// DBUpdater: the WebSocket routes `$connect`, `$disconnect`, `sync` and `history` (docs/design.md §5).
package struct DBUpdaterHandler: LambdaHandler {
    public typealias Event = APIGatewayWebSocketRequest
    public typealias Output = APIGatewayWebSocketResponse

    public let configuration: FunctionConfiguration
    public let store: any CounterStore
    /// Wall-clock epoch milliseconds (injectable for tests): the UTC day of visitors and history.
    public let now: @Sendable () -> Int64
    /// `AWS_LAMBDA_FUNCTION_NAME`, the metric dimension.
    public let functionName: String?
    /// Where the metric line goes (stdout in Lambda).
    package let emit: @Sendable (String) -> Void

    public init(
        configuration: FunctionConfiguration, store: any CounterStore,
        now: @escaping @Sendable () -> Int64 = WallClock.epochMilliseconds, functionName: String? = nil,
        emit: @escaping @Sendable (String) -> Void = ProcessGlue.writeLine
    ) {
        self.configuration = configuration
        self.store = store
        self.now = now
        self.functionName = functionName
        self.emit = emit
    }

    public func handle(_ event: APIGatewayWebSocketRequest, context: LambdaContext) throws -> APIGatewayWebSocketResponse {
        // Set once the request reaches DynamoDB: a refused or malformed request writes no metric line.
        var metrics: UpdaterMetrics?
        let before = store.activity
        defer {
            if var metrics {
                let activity = store.activity.since(before)
                metrics.retries = activity.retries
                metrics.conflicts = activity.conflicts
                emit(metrics.logLine(timestamp: now(), functionName: functionName, logLevel: context.logger.level))
            }
        }
        do {
            return try respond(to: event, context: context, metrics: &metrics)
        } catch {
            if event.requestContext.routeKey == "$connect" { metrics?.handshakeErrors = 1 }
            throw error
        }
    }

    private func respond(
        to event: APIGatewayWebSocketRequest, context: LambdaContext, metrics: inout UpdaterMetrics?
    ) throws -> APIGatewayWebSocketResponse {
        // Leave time to report the result: a store call must not run into Lambda's own timeout.
        let deadline = context.deadlineInstant - .milliseconds(200)
        let route = event.requestContext.routeKey
        switch route {
        case "$connect":
            return try connect(event, context: context, deadline: deadline, metrics: &metrics)
        case "$disconnect":
            let id = try Self.connectionId(of: event)
            metrics = UpdaterMetrics(route: route)
            try store.disconnect(connectionId: id, liveViewers: configuration.liveViewers, deadline: deadline)
            return APIGatewayWebSocketResponse(statusCode: 200)
        case "sync":
            metrics = UpdaterMetrics(route: route)
            let counter = try store.readCounter(deadline: deadline)
            // The stored live count is advisory: below zero or missing it is shown as zero, never an error.
            guard let message = CounterMessage(
                visits: counter.visits, live: configuration.liveViewers ? counter.presentableLive : nil,
                visitors: configuration.uniqueVisitors ? counter.visitors ?? "0" : nil)
            else {
                throw VisitorCounterError(.storage, "the counter holds a value that is not a count")
            }
            return APIGatewayWebSocketResponse(statusCode: 200, body: message.json)
        case "history":
            metrics = UpdaterMetrics(route: route)
            return APIGatewayWebSocketResponse(statusCode: 200, body: try history(deadline: deadline).json)
        default:
            context.logger.warn("unknown route", ["routeKey": .string(route)])
            return APIGatewayWebSocketResponse(statusCode: 400)
        }
    }

    private func connect(
        _ event: APIGatewayWebSocketRequest, context: LambdaContext, deadline: ContinuousClock.Instant,
        metrics: inout UpdaterMetrics?
    ) throws -> APIGatewayWebSocketResponse {
        let id = try Self.connectionId(of: event)
        guard configuration.allows(origin: event.header("Origin")) else {
            context.logger.info("origin refused", ["origin": .string(String((event.header("Origin") ?? "none").prefix(200)))])
            return APIGatewayWebSocketResponse(statusCode: 403)
        }
        var visitId: String?
        if let visit = event.queryParameter("visit") {
            guard Self.isValidVisitId(visit) else {
                context.logger.info("malformed visit id refused")
                return APIGatewayWebSocketResponse(statusCode: 400)
            }
            visitId = visit
        }
        metrics = UpdaterMetrics(route: "$connect", newVisitors: configuration.uniqueVisitors ? 0 : nil)
        var visitor: VisitorMark?
        if configuration.uniqueVisitors {
            let day = UTCDay(epochMilliseconds: now())
            let salt = try store.visitorSalt(for: day, deadline: deadline)
            let identity = event.requestContext.identity
            let fingerprint = try VisitorFingerprint(
                salt: salt, sourceIp: identity.sourceIp, userAgent: identity.userAgent ?? event.header("User-Agent"),
                site: event.header("Origin").map(FunctionConfiguration.normaliseOrigin))
            visitor = VisitorMark(day: day, fingerprint: fingerprint)
        }
        let connection = NewConnection(
            connectionId: id, connectedAt: event.requestContext.connectedAt, visitId: visitId,
            liveViewers: configuration.liveViewers, visitor: visitor)
        let outcome = try store.connect(connection, deadline: deadline)
        switch outcome {
        case .counted: metrics?.visits = 1
        case .countedNewVisitor:
            metrics?.visits = 1
            metrics?.newVisitors = 1
        case .repeatVisit, .alreadyConnected: break
        }
        context.logger.debug("connected", ["outcome": .string("\(outcome)")])
        return APIGatewayWebSocketResponse(statusCode: 200)
    }

    /// The last 30 days and the totals today's figure is consistent with, in one read.
    func history(deadline: ContinuousClock.Instant) throws(VisitorCounterError) -> HistoryAnswer {
        let today = UTCDay(epochMilliseconds: now())
        let stored = try store.readHistory(days: [today] + HistoryAnswer.earlierDays(before: today), deadline: deadline)
        guard let visits = Int64(stored.live.visits) else {
            throw VisitorCounterError(.storage, "the counter holds a value that is not a count")
        }
        let live = HistoryTotals(visits: visits, visitors: stored.live.visitors.flatMap { Int64($0) })
        return HistoryAnswer(
            live: live, pointer: stored.pointer, recorded: stored.recorded, today: today, uniqueVisitors: configuration.uniqueVisitors)
    }

    /// API Gateway connection ids are short base64 strings; anything else is a malformed event
    /// (`ConnectionID`'s rule, the one the broadcast applies before posting to an id).
    static func connectionId(of event: APIGatewayWebSocketRequest) throws(VisitorCounterError) -> String {
        let id = event.requestContext.connectionId
        guard ConnectionID.isValid(id) else {
            throw VisitorCounterError(.invalidEvent, "the event has no valid requestContext.connectionId")
        }
        return id
    }

    /// A visit id is 8–64 URL-safe characters (the page makes 22 from 16 random bytes).
    static func isValidVisitId(_ visit: String) -> Bool {
        (8...64).contains(visit.utf8.count)
            && visit.utf8.allSatisfy { $0.isASCIIAlphanumeric || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }
    }
}

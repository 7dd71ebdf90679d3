import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import ServiceLifecycle
import SigV4
import UnixSignals

/// Wires the local stack together: tables, functions, stream poller, then the HTTP server; on
/// SIGINT/SIGTERM it stops the poller, the server and its connections, then every function process.
struct LocalGateway {
    let options: GatewayOptions
    let tables: TablesConfiguration
    let settings: AWSSettings
    let stagePath = "/local"
    let faults: LocalFaults

    init(options: GatewayOptions, environment: [String: String]) throws(GatewayError) {
        self.options = options
        tables = try options.tablesFile.map { path throws(GatewayError) in try TablesConfiguration.load(path: path) }
            ?? .defaults
        settings = try AWSSettings(environment: environment, endpointOverride: options.dynamoDBEndpoint)
        faults = LocalFaults(dropDisconnectFraction: options.dropDisconnects, seed: options.faultSeed)
    }

    func run() async throws {
        try PortCheck.ensureFree(host: options.host, port: options.port)
        let settings = settings
        let source = try settings.makeSource()
        for table in tables.tables where try source.ensureTable(table) {
            GatewayLog.line("created table \(table.name)")
        }
        let updater = try await HostedFunction(
            name: "DBUpdater", executable: executable("DBUpdater"), instances: options.instances,
            environment: functionEnvironment(), region: settings.region, timeout: .seconds(10))
        let processor: HostedFunction
        do {
            processor = try await HostedFunction(
                name: "DBStreamProcessor", executable: executable("DBStreamProcessor"), instances: 1,
                environment: functionEnvironment(), region: settings.region, timeout: .seconds(30))
        } catch {
            await updater.stop()
            throw error
        }
        let poller = StreamPoller(mapping: tables.stream, function: processor)
        // Before the server is ready: visits from then on must reach the stream's reader.
        await poller.start { try settings.makeSource() }
        let registry = ConnectionRegistry()
        let awsBehaviours = startAWSBehaviours(registry: registry)
        defer { awsBehaviours.stop() }
        // Stopping goes in order, so nothing meets a part that is already gone: on SIGINT/SIGTERM the
        // service group first stops the stream poller (no broadcast is under way while sockets close),
        // then the server (it closes every WebSocket, 1000), then here every `$disconnect` is awaited,
        // and only then do the function processes stop. `make dev` stops moto after the gateway exited.
        let pollerService = StreamPollerService(poller: poller) {
            GatewayLog.line("stopping: closing \(registry.count) connections")
        }
        let group = ServiceGroup(configuration: .init(
            services: [makeApplication(updater: updater, registry: registry), pollerService],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: Self.frameworkLogger(label: "LocalGateway")))
        var failure: (any Error)?
        do {
            try await group.run()
        } catch {
            failure = error
        }
        let outstanding = await registry.waitForDisconnects(timeout: .seconds(5))
        if outstanding > 0 { GatewayLog.line("\(outstanding) $disconnect invocations did not finish within 5 s") }
        await poller.stopAndWait(timeout: .seconds(5))
        async let updaterStopped: Void = updater.stop()
        async let processorStopped: Void = processor.stop()
        _ = await (updaterStopped, processorStopped)
        if let failure { throw GatewayError(.portInUse, "the HTTP server stopped", underlying: failure) }
        GatewayLog.line("stopped")
    }

    /// The HTTP server: Management API, static page, and the WebSocket upgrade at the stage path.
    private func makeApplication(updater: HostedFunction, registry: ConnectionRegistry) -> some ApplicationProtocol {
        let router = Router()
        if options.faultControl { router.add(middleware: FaultControl(faults: faults)) }
        router.add(middleware: ManagementAPI(
            stagePath: stagePath, registry: registry,
            verifier: SignatureVerifier(credentials: settings.credentials, region: settings.region), faults: faults))
        let refusedOrigins = RefusedOrigins()
        router.add(middleware: EndpointDiagnostics(stagePath: stagePath, refusedOrigins: refusedOrigins))
        router.add(middleware: FileMiddleware(
            options.webRoot, searchForIndexHtml: true, logger: Self.frameworkLogger(label: "FileMiddleware")))
        let gateway = WebSocketGateway(
            stagePath: stagePath, routes: tables, function: updater, registry: registry, refusedOrigins: refusedOrigins, faults: faults)
        let host = options.host
        return Application(
            router: router,
            server: .http1WebSocketUpgrade(
                configuration: .init(ws: .init(
                    maxFrameSize: WebSocketGateway.maxFrameSize, closeTimeout: WebSocketGateway.closeTimeout))
            ) { request, channel, logger in
                await gateway.shouldUpgrade(request, channel: channel, logger: logger)
            },
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: "LocalGateway"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                GatewayLog.line("ready: page http://\(host):\(port)/ websocket ws://\(host):\(port)/local")
            },
            logger: Self.frameworkLogger(label: "LocalGateway")
        )
    }

    /// Hummingbird's own logger, at `warning`: its start-up notices ("Server started…") only repeat the
    /// gateway's ready line, in another format, in the middle of `make dev`'s output.
    static func frameworkLogger(label: String) -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = .warning
        return logger
    }

    /// docs/design.md §2: what each function sees (the Runtime API address is added per function).
    private func functionEnvironment() -> [String: String] {
        var env: [String: String] = [
            "AWS_REGION": settings.region,
            "AWS_ACCESS_KEY_ID": settings.credentials.accessKeyId,
            "AWS_SECRET_ACCESS_KEY": settings.credentials.secretAccessKey,
            "ALLOWED_ORIGINS": options.allowedOrigins,
            "LIVE_VIEWERS": options.liveViewers ? "true" : "false",
            "COUNTER_SHARDS": String(options.counterShards),
            "UNIQUE_VISITORS": options.uniqueVisitors ? "true" : "false",
            "LOG_LEVEL": options.logLevel,
            "WEBSOCKET_API_ENDPOINT": "http://\(options.host):\(options.port)\(stagePath)",
        ]
        if let token = settings.credentials.sessionToken { env["AWS_SESSION_TOKEN"] = token }
        if let endpoint = options.functionDynamoDBEndpoint ?? settings.endpoint { env["AWS_ENDPOINT_URL_DYNAMODB"] = endpoint }
        for table in tables.tables { env[table.envVar] = table.name }
        return env
    }

    private func executable(_ name: String) -> String {
        URL(fileURLWithPath: options.binPath).appendingPathComponent(name).path
    }
}

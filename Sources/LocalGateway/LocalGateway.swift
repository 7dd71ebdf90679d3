import Foundation
import Hummingbird
import HummingbirdWebSocket
import SigV4

/// Wires the local stack together: tables, functions, stream poller, then the HTTP server; on
/// SIGINT/SIGTERM it stops the server, then the poller and every function process.
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
        defer { poller.stop() }
        let registry = ConnectionRegistry()
        let awsBehaviours = startAWSBehaviours(registry: registry)
        defer { awsBehaviours.stop() }
        do {
            try await makeApplication(updater: updater, registry: registry).runService()
        } catch {
            poller.stop()
            await updater.stop()
            await processor.stop()
            throw GatewayError(.portInUse, "the HTTP server stopped", underlying: error)
        }
        GatewayLog.line("stopping")
        poller.stop()
        await updater.stop()
        await processor.stop()
    }

    /// The HTTP server: Management API, static page, and the WebSocket upgrade at the stage path.
    private func makeApplication(updater: HostedFunction, registry: ConnectionRegistry) -> some ApplicationProtocol {
        let router = Router()
        if options.faultControl { router.add(middleware: FaultControl(faults: faults)) }
        router.add(middleware: ManagementAPI(
            stagePath: stagePath, registry: registry,
            verifier: SignatureVerifier(credentials: settings.credentials, region: settings.region), faults: faults))
        router.add(middleware: FileMiddleware(options.webRoot, searchForIndexHtml: true))
        router.get(RouterPath(stringLiteral: stagePath)) { _, _ in
            Response(status: .upgradeRequired, headers: [.upgrade: "websocket"])
        }
        let gateway = WebSocketGateway(
            stagePath: stagePath, routes: tables, function: updater, registry: registry, faults: faults)
        let host = options.host
        return Application(
            router: router,
            server: .http1WebSocketUpgrade(
                configuration: .init(ws: .init(maxFrameSize: WebSocketGateway.maxFrameSize))
            ) { request, channel, logger in
                await gateway.shouldUpgrade(request, channel: channel, logger: logger)
            },
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: "LocalGateway"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                GatewayLog.line("ready: page http://\(host):\(port)/ websocket ws://\(host):\(port)/local")
            }
        )
    }

    /// DESIGN §2: what each function sees (the Runtime API address is added per function).
    private func functionEnvironment() -> [String: String] {
        var env: [String: String] = [
            "AWS_REGION": settings.region,
            "AWS_ACCESS_KEY_ID": settings.credentials.accessKeyId,
            "AWS_SECRET_ACCESS_KEY": settings.credentials.secretAccessKey,
            "ALLOWED_ORIGINS": options.allowedOrigins,
            "LIVE_VIEWERS": options.liveViewers ? "true" : "false",
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

extension LocalGateway {
    /// What runs beside the server to behave as AWS does: closing idle and too old connections, and, when
    /// `--ttl-lag` asks for it, the TTL sweeper.
    struct AWSBehaviours {
        let idleCloser: Task<Void, Never>
        let sweeper: TTLSweeper?

        /// Stops both.
        func stop() {
            idleCloser.cancel()
            sweeper?.stop()
        }
    }

    /// Says which of AWS's harder behaviours are on and starts what runs beside the server.
    func startAWSBehaviours(registry: ConnectionRegistry) -> AWSBehaviours {
        if options.idleTimeout != WebSocketGateway.defaultIdleTimeout {
            GatewayLog.line("idle connections are closed after \(options.idleTimeout)")
        }
        if options.maxConnectionDuration != WebSocketGateway.defaultMaxConnectionDuration {
            GatewayLog.line("connections are closed after \(options.maxConnectionDuration)")
        }
        if options.dropDisconnects > 0 {
            GatewayLog.line("fault: dropping \(options.dropDisconnects * 100)% of $disconnects (seed \(faults.seed))")
        }
        if let endpoint = options.functionDynamoDBEndpoint {
            GatewayLog.line("the functions use DynamoDB at \(endpoint)")
        }
        let idleCloser = Task { [options] in
            await WebSocketGateway.closeIdleConnections(
                in: registry, timeout: options.idleTimeout, maxDuration: options.maxConnectionDuration)
        }
        guard let lag = options.ttlLag else { return AWSBehaviours(idleCloser: idleCloser, sweeper: nil) }
        let sweeper = TTLSweeper(tables: tables.tables, lag: lag, faults: faults)
        GatewayLog.line("ttl: expired rows are deleted \(lag) after their TTL")
        let settings = settings
        sweeper.start { try settings.makeDynamoDBClient() }
        return AWSBehaviours(idleCloser: idleCloser, sweeper: sweeper)
    }
}

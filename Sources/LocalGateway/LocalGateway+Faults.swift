extension LocalGateway {
    /// Says which of AWS's harder behaviours are on, and starts the TTL sweeper when `--ttl-lag` asks for it.
    func startFaults() -> TTLSweeper? {
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
        guard let lag = options.ttlLag else { return nil }
        let sweeper = TTLSweeper(tables: tables.tables, lag: lag, faults: faults)
        GatewayLog.line("ttl: expired rows are deleted \(lag) after their TTL")
        let settings = settings
        sweeper.start { try settings.makeDynamoDBClient() }
        return sweeper
    }
}

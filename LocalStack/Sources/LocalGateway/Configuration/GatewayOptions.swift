/// The gateway's command line, parsed by hand (a dozen flags do not earn a dependency).
struct GatewayOptions: Sendable {
    /// Address the HTTP/WebSocket server binds to (loopback only by default).
    var host = "127.0.0.1"
    /// Port of the page, the WebSocket API and the Management API.
    var port = 8080
    /// DynamoDB endpoint; nil falls back to the environment (AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL).
    var dynamoDBEndpoint: String?
    /// Folder served at `/`.
    var webRoot = "web"
    /// JSON written by scripts/template_tables.py; nil uses the design defaults.
    var tablesFile: String?
    /// DBUpdater processes sharing one Runtime API (Lambda runs many instances of a function at once).
    var instances = 1
    /// ALLOWED_ORIGINS handed to DBUpdater.
    var allowedOrigins = ""
    /// LIVE_VIEWERS handed to both functions.
    var liveViewers = false
    /// COUNTER_SHARDS handed to both functions (the template's `CounterShards`); 1 keeps the one counter item.
    var counterShards = 1
    /// UNIQUE_VISITORS handed to both functions.
    var uniqueVisitors = false
    /// Folder holding the DBUpdater and DBStreamProcessor binaries (`swift build --package-path LocalStack
    /// --show-bin-path`, where the local stack's build puts them next to the gateway).
    var binPath = "LocalStack/.build/debug"
    /// LOG_LEVEL handed to the functions.
    var logLevel = "info"
    /// The functions' DynamoDB endpoint when it differs from the gateway's own (e.g. a fault proxy in front
    /// of moto: the functions go through it, the stream poller and the TTL sweeper do not).
    var functionDynamoDBEndpoint: String?
    /// API Gateway closes a connection with no message for this long.
    var idleTimeout: Duration = .seconds(600)
    /// API Gateway closes every connection after this long.
    var maxConnectionDuration: Duration = .seconds(7200)
    /// The fraction of `$disconnect`s lost (0...1), as API Gateway may lose them.
    var dropDisconnects = 0.0
    /// Seed of the dropped-`$disconnect` draws; nil picks one (printed).
    var faultSeed: UInt64?
    /// Expired rows are deleted this long after their TTL; nil: never (as moto).
    var ttlLag: Duration?
    /// Serve `FaultControl` at /_local/faults (throttle the Management API while running).
    var faultControl = false

    static let usage = """
        usage: LocalGateway [--host 127.0.0.1] [--port 8080] [--dynamodb-endpoint URL] [--web-root web]
                            [--tables FILE] [--instances N] [--allowed-origins LIST] [--live-viewers]
                            [--unique-visitors] [--counter-shards N]
                            [--bin-path DIR] [--log-level LEVEL] [--function-dynamodb-endpoint URL]
                            [--idle-timeout SECONDS] [--max-connection-duration SECONDS]
                            [--drop-disconnects FRACTION] [--fault-seed N]
                            [--ttl-lag SECONDS] [--fault-control]
        Credentials and region come from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION.
        AWS's harder behaviours (docs/local-faults.md): --idle-timeout (default 600) and --max-connection-duration
        (default 7200), API Gateway's; --drop-disconnects 1 or 0.3 (lost $disconnects, seeded by --fault-seed);
        --ttl-lag (delete rows this long after their expiresAt; default never); --fault-control
        (POST /_local/faults/management-throttle {"seconds": 3}: the Management API answers 429 to every POST for
        that long; GET /_local/faults: what the faults did).
        """

    /// Parses `arguments` (without the program name).
    static func parse(_ arguments: some Sequence<String>) throws(GatewayError) -> GatewayOptions {
        var options = GatewayOptions()
        var iterator = arguments.makeIterator()
        func value(_ flag: String) throws(GatewayError) -> String {
            guard let next = iterator.next(), !next.hasPrefix("--") else {
                throw GatewayError(.invalidArguments, "\(flag) needs a value\n\(usage)")
            }
            return next
        }
        func number(_ flag: String, in range: ClosedRange<Int>) throws(GatewayError) -> Int {
            let text = try value(flag)
            guard let number = Int(text), range.contains(number) else {
                throw GatewayError(.invalidArguments, "\(flag) must be a number in \(range), got '\(text)'")
            }
            return number
        }
        func seconds(_ flag: String, in range: ClosedRange<Double>) throws(GatewayError) -> Duration {
            let text = try value(flag)
            guard let number = Double(text), range.contains(number) else {
                throw GatewayError(.invalidArguments, "\(flag) must be a number of seconds in \(range), got '\(text)'")
            }
            return .milliseconds(Int64((number * 1000).rounded()))
        }
        while let argument = iterator.next() {
            switch argument {
            case "--host": options.host = try value(argument)
            case "--port": options.port = try number(argument, in: 1...65535)
            case "--dynamodb-endpoint": options.dynamoDBEndpoint = try value(argument)
            case "--web-root": options.webRoot = try value(argument)
            case "--tables": options.tablesFile = try value(argument)
            case "--instances": options.instances = try number(argument, in: 1...64)
            case "--allowed-origins": options.allowedOrigins = try value(argument)
            case "--live-viewers": options.liveViewers = true
            case "--counter-shards": options.counterShards = try number(argument, in: 1...32)
            case "--unique-visitors": options.uniqueVisitors = true
            case "--bin-path": options.binPath = try value(argument)
            case "--log-level": options.logLevel = try value(argument)
            case "--function-dynamodb-endpoint": options.functionDynamoDBEndpoint = try value(argument)
            case "--idle-timeout": options.idleTimeout = try seconds(argument, in: 0.1...7200)
            case "--max-connection-duration": options.maxConnectionDuration = try seconds(argument, in: 0.1...86400)
            case "--ttl-lag": options.ttlLag = try seconds(argument, in: 0...(30 * 86400))
            case "--fault-control": options.faultControl = true
            case "--drop-disconnects":
                let text = try value(argument)
                guard let fraction = Double(text), (0...1).contains(fraction) else {
                    throw GatewayError(.invalidArguments, "\(argument) must be a fraction in 0...1, got '\(text)'")
                }
                options.dropDisconnects = fraction
            case "--fault-seed":
                let text = try value(argument)
                guard let seed = UInt64(text) else {
                    throw GatewayError(.invalidArguments, "\(argument) must be a non-negative integer, got '\(text)'")
                }
                options.faultSeed = seed
            case "--help", "-h": throw GatewayError(.invalidArguments, usage)
            default: throw GatewayError(.invalidArguments, "unknown argument '\(argument)'\n\(usage)")
            }
        }
        return options
    }
}

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
    /// LIVE_VIEWERS handed to DBUpdater.
    var liveViewers = false
    /// Folder holding the DBUpdater and DBStreamProcessor binaries (`swift build --show-bin-path`).
    var binPath = ".build/debug"
    /// LOG_LEVEL handed to the functions.
    var logLevel = "info"

    static let usage = """
        usage: LocalGateway [--host 127.0.0.1] [--port 8080] [--dynamodb-endpoint URL] [--web-root web]
                            [--tables FILE] [--instances N] [--allowed-origins LIST] [--live-viewers]
                            [--bin-path DIR] [--log-level LEVEL]
        Credentials and region come from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION.
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
            case "--bin-path": options.binPath = try value(argument)
            case "--log-level": options.logLevel = try value(argument)
            case "--help", "-h": throw GatewayError(.invalidArguments, usage)
            default: throw GatewayError(.invalidArguments, "unknown argument '\(argument)'\n\(usage)")
            }
        }
        return options
    }
}

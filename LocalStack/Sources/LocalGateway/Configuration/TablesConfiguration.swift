import Foundation

/// What the gateway needs from template.yaml, as printed by scripts/template_tables.py: the tables
/// (local name, keys, stream, TTL), the stream event source mapping, and the WebSocket routes. Reading
/// them from the template keeps the local stack and the deployed one from drifting apart.
struct TablesConfiguration: Sendable, Decodable {
    /// One DynamoDB table.
    struct Table: Sendable, Decodable {
        /// Local table name (the design default for its environment variable).
        var name: String
        /// The function environment variable that carries the name (VISITOR_COUNT_TABLE, CONNECTIONS_TABLE).
        var envVar: String
        /// CreateTable's KeySchema, as in the template.
        var keySchema: [[String: String]]
        /// CreateTable's AttributeDefinitions, as in the template.
        var attributeDefinitions: [[String: String]]
        /// NEW_IMAGE, NEW_AND_OLD_IMAGES, ...; nil when the table has no stream.
        var streamViewType: String?
        /// The TTL attribute, when TTL is on.
        var ttlAttribute: String?
    }

    /// The DynamoDB event source mapping of DBStreamProcessor.
    struct StreamMapping: Sendable, Decodable {
        /// Local name of the table whose stream is polled.
        var table: String
        var batchSize: Int
        var maximumBatchingWindowInSeconds: Double
        var maximumRetryAttempts: Int
        /// Lambda event filter patterns (any one matching lets a record through); empty = all records.
        var filters: [JSONValue]
    }

    /// A WebSocket route of the API.
    struct Route: Sendable, Decodable {
        var routeKey: String
        /// Whether the route has a route response, i.e. the function's body goes back to the caller.
        var hasResponse: Bool
        /// `AWS_PROXY` (DBUpdater) or `MOCK` (answered by API Gateway itself); nil reads as `AWS_PROXY`.
        var integrationType: String? = nil
        /// A MOCK route's answer: its integration response template (static text).
        var mockResponse: String? = nil

        /// Whether API Gateway answers this route itself, invoking nothing.
        var isMock: Bool { integrationType == "MOCK" }
    }

    var tables: [Table]
    var stream: StreamMapping
    var routes: [Route]

    /// The design defaults (docs/design.md §3, §4, §6), used when no tables file is given.
    static let defaults = TablesConfiguration(
        tables: [
            Table(
                name: "VisitorCount", envVar: "VISITOR_COUNT_TABLE",
                keySchema: [["AttributeName": "id", "KeyType": "HASH"]],
                attributeDefinitions: [["AttributeName": "id", "AttributeType": "S"]],
                streamViewType: "NEW_IMAGE", ttlAttribute: "expiresAt"),
            Table(
                name: "ConnectionIDs", envVar: "CONNECTIONS_TABLE",
                keySchema: [["AttributeName": "connectionId", "KeyType": "HASH"]],
                attributeDefinitions: [["AttributeName": "connectionId", "AttributeType": "S"]],
                streamViewType: nil, ttlAttribute: "expiresAt"),
        ],
        stream: StreamMapping(
            table: "VisitorCount", batchSize: 100, maximumBatchingWindowInSeconds: 1, maximumRetryAttempts: 2,
            filters: []),
        routes: [
            Route(routeKey: "$connect", hasResponse: false),
            Route(routeKey: "$disconnect", hasResponse: false),
            Route(routeKey: "sync", hasResponse: true),
            Route(routeKey: "history", hasResponse: true),
            Route(routeKey: "ping", hasResponse: true, integrationType: "MOCK", mockResponse: #"{"pong": true}"#),
        ]
    )

    /// Reads the file written by scripts/template_tables.py.
    static func load(path: String) throws(GatewayError) -> TablesConfiguration {
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            let configuration = try JSONDecoder().decode(TablesConfiguration.self, from: data)
            guard configuration.tables.contains(where: { $0.name == configuration.stream.table }) else {
                throw GatewayError(.configuration, "the stream mapping names an unknown table '\(configuration.stream.table)'")
            }
            return configuration
        } catch let error as GatewayError {
            throw error
        } catch {
            throw GatewayError(.configuration, "cannot read the tables file \(path)", underlying: error)
        }
    }

    /// The route for `key`, if the API has one.
    func route(_ key: String) -> Route? { routes.first { $0.routeKey == key } }
}

import AWSClient
import Foundation
import LambdaEvents
import SigV4
import TestSupport

/// moto with signature checking on, the two tables of docs/design.md §3, and a client on the same session
/// credentials the functions get (an STS session token, as Lambda hands out).
open class LocalAWS: @unchecked Sendable {
    public let moto: MotoServer
    /// A client straight to moto.
    public let client: DynamoDBClient
    public let credentials: MotoServer.Credentials
    public let counterTable = "VisitorCount"
    public let connectionsTable = "ConnectionIDs"

    /// Starts a moto of its own.
    public convenience init() throws {
        try self.init(moto: MotoServer())
    }

    /// Uses `moto` (signature checking on) and creates the tables in it.
    public init(moto: MotoServer) throws {
        self.moto = moto
        credentials = try require(moto.sessionCredentials, "STS session credentials")
        let configuration = AWSConfiguration(
            region: moto.region,
            credentials: AWSCredentials(
                accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey,
                sessionToken: credentials.sessionToken),
            dynamoDBEndpoint: moto.endpoint)
        client = try DynamoDBClient(configuration: configuration)
        _ = try client.createTable(TableDefinition(name: counterTable, partitionKey: ("id", .string), stream: .newImage))
        _ = try client.createTable(TableDefinition(name: connectionsTable, partitionKey: ("connectionId", .string)))
    }

    /// docs/design.md §2's environment for a function against this moto; `extra` adds or replaces variables.
    open func environment(runtimeAPI: String, extra: [String: String] = [:]) -> [String: String] {
        var env = moto.environment(credentials)
        env["AWS_LAMBDA_RUNTIME_API"] = runtimeAPI
        env["VISITOR_COUNT_TABLE"] = counterTable
        env["CONNECTIONS_TABLE"] = connectionsTable
        env["LOG_LEVEL"] = "warn"
        env["PATH"] = ProcessInfo.processInfo.environment["PATH"]
        return env.merging(extra) { $1 }
    }

    /// A loopback Management API (vctools/fixtures/management_api_server.py) that accepts requests signed with
    /// the functions' session credentials and checks every signature with botocore.
    public func managementAPI() throws -> ManagementAPITestServer {
        let api = try ManagementAPITestServer()
        try api.allow(
            accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey,
            sessionToken: credentials.sessionToken, region: moto.region)
        return api
    }

    /// Writes ConnectionIDs rows for `ids`, all connected at `connectedAt` (epoch ms), each with `extra` attributes.
    public func putConnections(_ ids: [String], connectedAt: Int64, extra: DynamoDBItem = [:]) throws {
        for id in ids {
            let item: DynamoDBItem = ["connectionId": .string(id), "connectedAt": .number(String(connectedAt))]
            try client.putItem(table: connectionsTable, item: item.merging(extra) { $1 })
        }
    }

    /// The counter item's `visits` and `live` (nil when absent).
    public func counter() throws -> (visits: Int?, live: Int?) {
        let item = try client.getItem(table: counterTable, key: ["id": .string("visitors")], consistentRead: true)
        return (item?["visits"]?.intValue, item?["live"]?.intValue)
    }

    /// Every connection id in ConnectionIDs.
    public func connectionIds() throws -> Set<String> {
        Set(try client.scan(table: connectionsTable, projection: "connectionId").allItems().compactMap { $0["connectionId"]?.stringValue })
    }
}

/// The `#require` of Swift Testing for non-test code paths.
public func require<T>(_ value: T?, _ what: String = #function) throws -> T {
    guard let value else { throw ChildProcessError("missing \(what)") }
    return value
}

import AWSClient
import Foundation
import LambdaEvents
import SigV4
import TestSupport

/// moto with signature checking on, the two tables of DESIGN §3, and a client on the same session
/// credentials the functions get (an STS session token, as Lambda hands out).
final class LocalAWS: @unchecked Sendable {
    let moto: MotoServer
    let client: DynamoDBClient
    let credentials: MotoServer.Credentials
    let counterTable = "VisitorCount"
    let connectionsTable = "ConnectionIDs"

    init() throws {
        moto = try MotoServer()
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

    /// DESIGN §2's environment for a function against this moto.
    func environment(runtimeAPI: String, extra: [String: String] = [:]) -> [String: String] {
        var env = moto.environment(credentials)
        env["AWS_LAMBDA_RUNTIME_API"] = runtimeAPI
        env["VISITOR_COUNT_TABLE"] = counterTable
        env["CONNECTIONS_TABLE"] = connectionsTable
        env["LOG_LEVEL"] = "warn"
        env["PATH"] = ProcessInfo.processInfo.environment["PATH"]
        return env.merging(extra) { $1 }
    }

    /// The counter item's `visits` and `live` (nil when absent).
    func counter() throws -> (visits: Int?, live: Int?) {
        let item = try client.getItem(table: counterTable, key: ["id": .string("visitors")], consistentRead: true)
        return (item?["visits"]?.intValue, item?["live"]?.intValue)
    }

    /// Every connection id in ConnectionIDs.
    func connectionIds() throws -> Set<String> {
        Set(try client.scan(table: connectionsTable, projection: "connectionId").allItems().compactMap { $0["connectionId"]?.stringValue })
    }
}

/// The `#require` of Swift Testing for non-test code paths.
func require<T>(_ value: T?, _ what: String = #function) throws -> T {
    guard let value else { throw ChildProcessError("missing \(what)") }
    return value
}

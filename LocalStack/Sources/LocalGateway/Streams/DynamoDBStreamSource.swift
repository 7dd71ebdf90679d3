import AWSClient
import Foundation
import LambdaEvents
import SigV4

/// The real `StreamSource`: our AWSClient against moto, DynamoDB Local or a real table. One per
/// thread (the client is blocking and keeps one keep-alive connection).
final class DynamoDBStreamSource: StreamSource {
    private let client: DynamoDBClient
    /// How long one call may take, retries included.
    private static let callTimeout: Duration = .seconds(10)

    init(settings: AWSSettings) throws(GatewayError) {
        client = try settings.makeDynamoDBClient()
    }

    private var deadline: ContinuousClock.Instant { .now + Self.callTimeout }

    func ensureTable(_ table: TablesConfiguration.Table) throws -> Bool {
        do {
            _ = try client.describeTable(table.name, deadline: deadline)
            return false
        } catch {
            guard error.awsCode == "ResourceNotFoundException" else { throw error }
        }
        guard let hash = table.keySchema.first(where: { $0["KeyType"] == "HASH" })?["AttributeName"] else {
            throw GatewayError(.tables, "table \(table.name) has no HASH key in the template")
        }
        func key(_ name: String) throws(GatewayError) -> (name: String, type: TableDefinition.KeyType) {
            let type = table.attributeDefinitions.first { $0["AttributeName"] == name }?["AttributeType"]
            guard let type, let keyType = TableDefinition.KeyType(rawValue: type) else {
                throw GatewayError(.tables, "table \(table.name): no attribute definition for key \(name)")
            }
            return (name, keyType)
        }
        let range = table.keySchema.first { $0["KeyType"] == "RANGE" }?["AttributeName"]
        let definition = TableDefinition(
            name: table.name, partitionKey: try key(hash), sortKey: try range.map { name throws(GatewayError) in try key(name) },
            stream: table.streamViewType.flatMap(TableDefinition.StreamViewType.init(rawValue:)))
        do {
            try client.createTable(definition, deadline: deadline)
            if let ttl = table.ttlAttribute { try client.updateTimeToLive(table: table.name, attribute: ttl, deadline: deadline) }
        } catch {
            throw GatewayError(.tables, "cannot create table \(table.name)", underlying: error)
        }
        return true
    }

    func latestStreamArn(table: String) throws -> String? {
        try client.describeTable(table, deadline: deadline).latestStreamArn
    }

    func shards(streamArn: String) throws -> [(id: String, isOpen: Bool)] {
        var shards: [(id: String, isOpen: Bool)] = []
        var start: String?
        repeat {
            let page = try client.describeStream(arn: streamArn, exclusiveStartShardId: start, deadline: deadline)
            shards += page.shards.map { ($0.shardId, $0.endingSequenceNumber == nil) }
            start = page.lastEvaluatedShardId
        } while start != nil
        return shards
    }

    func shardIterator(streamArn: String, shardId: String, after: String?) throws -> String {
        try client.getShardIterator(
            streamArn: streamArn, shardId: shardId, type: after == nil ? .trimHorizon : .afterSequenceNumber,
            sequenceNumber: after, deadline: deadline)
    }

    func records(iterator: String) throws -> (records: [JSONValue], next: String?) {
        let page = try client.getRecords(shardIterator: iterator, limit: 1000, deadline: deadline)
        // Re-encoded as plain JSON: the records decode into the Lambda event's record type, so the members are
        // Lambda's; the filter and the batch need JSON.
        let records = try JSONDecoder().decode([JSONValue].self, from: JSONEncoder().encode(page.records))
        return (records, page.nextShardIterator)
    }
}

import LambdaEvents

/// A batch from `GetRecords`. Its records have the shape of a Lambda DynamoDB Streams event's records
/// without `eventSourceARN`, so they decode into that one model (`DynamoDBStreamEvent.Record`), and the
/// local gateway re-encodes them into Lambda's batches as they are.
/// See https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetRecords.html
public struct StreamRecordsPage: Sendable, Decodable {
    /// The records, oldest first.
    public var records: [DynamoDBStreamEvent.Record]
    /// Where to read next; nil once the shard is closed and drained.
    public var nextShardIterator: String?

    enum CodingKeys: String, CodingKey { case records = "Records", nextShardIterator = "NextShardIterator" }

    /// Decodes a page; a missing record list reads as empty.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        records = try container.decodeIfPresent([DynamoDBStreamEvent.Record].self, forKey: .records) ?? []
        nextShardIterator = try container.decodeIfPresent(String.self, forKey: .nextShardIterator)
    }
}

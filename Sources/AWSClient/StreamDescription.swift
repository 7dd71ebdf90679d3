/// A stream of a table, as `ListStreams` reports it.
/// See https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_Stream.html
public struct StreamSummary: Sendable, Decodable {
    /// The stream's ARN.
    public var streamArn: String
    /// The table it belongs to.
    package var tableName: String?
    /// A timestamp that tells streams of the same table apart.
    package var streamLabel: String?

    enum CodingKeys: String, CodingKey { case streamArn = "StreamArn", tableName = "TableName", streamLabel = "StreamLabel" }
}

/// A stream and its shards. See https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_StreamDescription.html
public struct StreamDescription: Sendable, Decodable {
    /// One shard: a run of records with a sequence number range.
    public struct Shard: Sendable, Decodable {
        /// The shard's id.
        public var shardId: String
        /// The shard it split from, if any (read the parent first to keep order).
        package var parentShardId: String?
        /// First sequence number of the shard.
        package var startingSequenceNumber: String? { sequenceNumberRange?.startingSequenceNumber }
        /// Last sequence number; nil while the shard is open.
        public var endingSequenceNumber: String? { sequenceNumberRange?.endingSequenceNumber }
        var sequenceNumberRange: SequenceNumberRange?

        struct SequenceNumberRange: Sendable, Decodable {
            var startingSequenceNumber: String?
            var endingSequenceNumber: String?
            enum CodingKeys: String, CodingKey {
                case startingSequenceNumber = "StartingSequenceNumber", endingSequenceNumber = "EndingSequenceNumber"
            }
        }

        enum CodingKeys: String, CodingKey {
            case shardId = "ShardId", parentShardId = "ParentShardId", sequenceNumberRange = "SequenceNumberRange"
        }
    }

    /// The stream's ARN.
    public var streamArn: String
    /// `ENABLING`, `ENABLED`, `DISABLING`, `DISABLED`.
    package var streamStatus: String?
    /// What the records carry.
    public var streamViewType: TableDefinition.StreamViewType?
    /// The shards of this page.
    public var shards: [Shard]
    /// Set when more shards follow: pass it as `exclusiveStartShardId`.
    public var lastEvaluatedShardId: String?

    enum CodingKeys: String, CodingKey {
        case streamArn = "StreamArn", streamStatus = "StreamStatus", streamViewType = "StreamViewType"
        case shards = "Shards", lastEvaluatedShardId = "LastEvaluatedShardId"
    }

    /// Decodes a description; a missing shard list reads as empty.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        streamArn = try container.decode(String.self, forKey: .streamArn)
        streamStatus = try container.decodeIfPresent(String.self, forKey: .streamStatus)
        streamViewType = try container.decodeIfPresent(TableDefinition.StreamViewType.self, forKey: .streamViewType)
        shards = try container.decodeIfPresent([Shard].self, forKey: .shards) ?? []
        lastEvaluatedShardId = try container.decodeIfPresent(String.self, forKey: .lastEvaluatedShardId)
    }
}

/// Where a shard iterator starts. See https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetShardIterator.html
public enum ShardIteratorType: String, Sendable, Encodable {
    /// The oldest record still in the shard.
    case trimHorizon = "TRIM_HORIZON"
    /// Just after the newest record.
    case latest = "LATEST"
    /// At a given sequence number.
    case atSequenceNumber = "AT_SEQUENCE_NUMBER"
    /// Just after a given sequence number.
    case afterSequenceNumber = "AFTER_SEQUENCE_NUMBER"
}

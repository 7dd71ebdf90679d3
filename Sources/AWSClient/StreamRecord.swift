import LambdaEvents

/// One change record, with the same JSON member names as in a Lambda DynamoDB Streams event, so the
/// local gateway can re-encode it into one. See https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_Record.html
public struct StreamRecord: Sendable, Codable {
    /// The change itself. See https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_StreamRecord.html
    public struct Change: Sendable, Codable {
        /// Key attributes of the item.
        public var keys: DynamoDBItem?
        /// The item after the change (with `NEW_IMAGE` views).
        public var newImage: DynamoDBItem?
        /// The item before the change (with `OLD_IMAGE` views).
        package var oldImage: DynamoDBItem?
        /// Sequence number (a decimal string; compare as numbers).
        public var sequenceNumber: String?
        /// Size of the record in bytes.
        package var sizeBytes: Int?
        /// The stream's view type.
        public var streamViewType: String?
        /// When the change happened, epoch seconds (moto gives a fraction).
        package var approximateCreationDateTime: Double?

        enum CodingKeys: String, CodingKey {
            case keys = "Keys", newImage = "NewImage", oldImage = "OldImage", sequenceNumber = "SequenceNumber"
            case sizeBytes = "SizeBytes", streamViewType = "StreamViewType", approximateCreationDateTime = "ApproximateCreationDateTime"
        }
    }

    /// Unique id of the record.
    public var eventID: String?
    /// `INSERT`, `MODIFY` or `REMOVE`.
    public var eventName: String?
    /// Record format version.
    public var eventVersion: String?
    /// `aws:dynamodb`.
    public var eventSource: String?
    /// Region of the table.
    public var awsRegion: String?
    /// The change.
    public var dynamodb: Change
}

/// A batch from `GetRecords`.
public struct StreamRecordsPage: Sendable, Decodable {
    /// The records, oldest first.
    public var records: [StreamRecord]
    /// Where to read next; nil once the shard is closed and drained.
    public var nextShardIterator: String?

    enum CodingKeys: String, CodingKey { case records = "Records", nextShardIterator = "NextShardIterator" }

    /// Decodes a page; a missing record list reads as empty.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        records = try container.decodeIfPresent([StreamRecord].self, forKey: .records) ?? []
        nextShardIterator = try container.decodeIfPresent(String.self, forKey: .nextShardIterator)
    }
}

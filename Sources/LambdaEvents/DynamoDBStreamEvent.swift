/// The event Lambda sends for a batch of DynamoDB Streams records.
///
/// See https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html and the record shape in
/// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_Record.html
/// Unknown fields are ignored; the fields Lambda always sends are required. `Record` is also the record of
/// DynamoDB Streams' `GetRecords` (AWSClient's `getRecords`, the local gateway's poller): the same members
/// without `eventSourceARN`, which Lambda adds. Public for that reason: the gateway is another package.
public struct DynamoDBStreamEvent: Codable, Sendable, Hashable {
    /// The records of the batch, in the order Lambda delivered them (`Records`).
    public var records: [Record]

    /// Creates an event (the local gateway builds these from `GetRecords` output).
    public init(records: [Record]) {
        self.records = records
    }

    enum CodingKeys: String, CodingKey {
        case records = "Records"
    }

    /// The kind of change a record describes.
    public enum EventName: String, Codable, Sendable, Hashable {
        /// A new item was added.
        case insert = "INSERT"
        /// An existing item was updated.
        case modify = "MODIFY"
        /// An item was deleted (also by TTL; then ``Record/userIdentity`` names the DynamoDB service).
        case remove = "REMOVE"
    }

    /// What the stream writes into each record (the table's `StreamViewType`).
    public enum StreamViewType: String, Codable, Sendable, Hashable {
        /// Only the key attributes.
        case keysOnly = "KEYS_ONLY"
        /// The item as it is after the change.
        case newImage = "NEW_IMAGE"
        /// The item as it was before the change.
        case oldImage = "OLD_IMAGE"
        /// Both images.
        case newAndOldImages = "NEW_AND_OLD_IMAGES"
    }

    /// One change to one item, in a Lambda event or a `GetRecords` page.
    public struct Record: Codable, Sendable, Hashable {
        /// A unique id of the record (`eventID`).
        public var eventID: String
        /// The kind of change (`eventName`).
        public var eventName: EventName
        /// The record format version (`eventVersion`): `1.1` from AWS, `1.0` from moto.
        public var eventVersion: String
        /// `aws:dynamodb`.
        public var eventSource: String
        /// The region of the table (`awsRegion`).
        public var awsRegion: String
        /// The change itself (`dynamodb`).
        public var dynamodb: StreamRecord
        /// The stream's ARN; Lambda adds it, `GetRecords` (AWS and moto) does not send it.
        public var eventSourceARN: String?
        /// Who made the change; present for TTL deletions (`{"type":"Service","principalId":"dynamodb.amazonaws.com"}`).
        package var userIdentity: UserIdentity?

        /// Creates a record.
        public init(
            eventID: String, eventName: EventName, eventVersion: String = "1.1", eventSource: String = "aws:dynamodb",
            awsRegion: String, dynamodb: StreamRecord, eventSourceARN: String? = nil, userIdentity: UserIdentity? = nil
        ) {
            self.eventID = eventID
            self.eventName = eventName
            self.eventVersion = eventVersion
            self.eventSource = eventSource
            self.awsRegion = awsRegion
            self.dynamodb = dynamodb
            self.eventSourceARN = eventSourceARN
            self.userIdentity = userIdentity
        }
    }

    /// The identity that made a change.
    public struct UserIdentity: Codable, Sendable, Hashable {
        /// `Service` for changes DynamoDB made itself (TTL).
        public var type: String
        /// `dynamodb.amazonaws.com` for TTL deletions.
        package var principalId: String

        /// Creates an identity.
        public init(type: String, principalId: String) {
            self.type = type
            self.principalId = principalId
        }
    }

    /// The `dynamodb` member of a record: keys, images and stream metadata.
    public struct StreamRecord: Codable, Sendable, Hashable {
        /// The key attributes of the changed item (`Keys`).
        public var keys: DynamoDBItem
        /// The item after the change (`NewImage`), with `NEW_IMAGE` / `NEW_AND_OLD_IMAGES`, not for `REMOVE`.
        public var newImage: DynamoDBItem?
        /// The item before the change (`OldImage`), with `OLD_IMAGE` / `NEW_AND_OLD_IMAGES`, not for `INSERT`.
        package var oldImage: DynamoDBItem?
        /// The record's position in its shard (`SequenceNumber`): decimal digits, of varying length, larger
        /// for later changes. Compare with ``isSequenceNumber(_:before:)``, never as text or `Double`.
        public var sequenceNumber: String
        /// The size of the record in bytes (`SizeBytes`).
        package var sizeBytes: Int64
        /// What the stream records (`StreamViewType`).
        public var streamViewType: StreamViewType
        /// When the change was made, in seconds since 1970 (`ApproximateCreationDateTime`): AWS sends whole
        /// seconds, moto a fraction; both decode. Optional, as in the AWS documentation.
        package var approximateCreationDateTime: Double?

        /// Creates a stream record.
        public init(
            keys: DynamoDBItem, newImage: DynamoDBItem? = nil, oldImage: DynamoDBItem? = nil, sequenceNumber: String,
            sizeBytes: Int64, streamViewType: StreamViewType, approximateCreationDateTime: Double? = nil
        ) {
            self.keys = keys
            self.newImage = newImage
            self.oldImage = oldImage
            self.sequenceNumber = sequenceNumber
            self.sizeBytes = sizeBytes
            self.streamViewType = streamViewType
            self.approximateCreationDateTime = approximateCreationDateTime
        }

        enum CodingKeys: String, CodingKey {
            case keys = "Keys"
            case newImage = "NewImage"
            case oldImage = "OldImage"
            case sequenceNumber = "SequenceNumber"
            case sizeBytes = "SizeBytes"
            case streamViewType = "StreamViewType"
            case approximateCreationDateTime = "ApproximateCreationDateTime"
        }
    }
}

/// What `createTable` creates: an on-demand (`PAY_PER_REQUEST`) table with a partition key, an optional
/// sort key and an optional stream. See https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html
public struct TableDefinition: Sendable, Encodable {
    /// A key attribute's scalar type.
    public enum KeyType: String, Sendable, Encodable {
        /// `S`
        case string = "S"
        /// `N`
        case number = "N"
        /// `B`
        case binary = "B"
    }

    /// What the table's stream records carry.
    public enum StreamViewType: String, Sendable, Codable {
        /// Only the key attributes.
        case keysOnly = "KEYS_ONLY"
        /// The item after the change.
        case newImage = "NEW_IMAGE"
        /// The item before the change.
        case oldImage = "OLD_IMAGE"
        /// Both.
        case newAndOldImages = "NEW_AND_OLD_IMAGES"
    }

    /// Table name.
    public var name: String
    /// Partition (hash) key name and type.
    public var partitionKey: (name: String, type: KeyType)
    /// Sort (range) key name and type, if any.
    public var sortKey: (name: String, type: KeyType)?
    /// The stream to enable, if any.
    public var stream: StreamViewType?

    /// Creates a definition.
    public init(name: String, partitionKey: (name: String, type: KeyType), sortKey: (name: String, type: KeyType)? = nil, stream: StreamViewType? = nil) {
        self.name = name
        self.partitionKey = partitionKey
        self.sortKey = sortKey
        self.stream = stream
    }

    private enum CodingKeys: String, CodingKey {
        case tableName = "TableName", attributeDefinitions = "AttributeDefinitions", keySchema = "KeySchema"
        case billingMode = "BillingMode", streamSpecification = "StreamSpecification"
    }

    private struct AttributeDefinition: Encodable {
        let AttributeName: String
        let AttributeType: KeyType
    }

    private struct KeySchemaElement: Encodable {
        let AttributeName: String
        let KeyType: String
    }

    private struct StreamSpecification: Encodable {
        let StreamEnabled: Bool
        let StreamViewType: TableDefinition.StreamViewType
    }

    /// The CreateTable request.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .tableName)
        var definitions = [AttributeDefinition(AttributeName: partitionKey.name, AttributeType: partitionKey.type)]
        var schema = [KeySchemaElement(AttributeName: partitionKey.name, KeyType: "HASH")]
        if let sortKey {
            definitions.append(AttributeDefinition(AttributeName: sortKey.name, AttributeType: sortKey.type))
            schema.append(KeySchemaElement(AttributeName: sortKey.name, KeyType: "RANGE"))
        }
        try container.encode(definitions, forKey: .attributeDefinitions)
        try container.encode(schema, forKey: .keySchema)
        try container.encode("PAY_PER_REQUEST", forKey: .billingMode)
        if let stream {
            try container.encode(StreamSpecification(StreamEnabled: true, StreamViewType: stream), forKey: .streamSpecification)
        }
    }
}

/// What DynamoDB reports about a table (the members this project reads).
/// See https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TableDescription.html
public struct TableDescription: Sendable, Decodable {
    /// Table name.
    package var tableName: String
    /// `CREATING`, `ACTIVE`, `UPDATING`, `DELETING`, ...
    package var tableStatus: String?
    /// ARN of the current stream, when one is enabled.
    public var latestStreamArn: String?
    /// Approximate item count (updated about every six hours on AWS).
    package var itemCount: Int?

    enum CodingKeys: String, CodingKey {
        case tableName = "TableName", tableStatus = "TableStatus", latestStreamArn = "LatestStreamArn", itemCount = "ItemCount"
    }
}

import LambdaEvents

/// One page of a Scan: at most 1 MB of items (or `pageLimit` items).
public struct ScanPage<Item> {
    /// The items of this page.
    public var items: [Item]
    /// Where the next page starts; nil on the last page.
    package var lastEvaluatedKey: DynamoDBItem?
}

extension ScanPage: Sendable where Item: Sendable {}

/// A whole-table Scan that follows `LastEvaluatedKey` to the end, one request per page, lazily.
/// See https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Scan.html#Scan.Pagination
///
/// Iterating yields `.success(page)` for each page; a failed request (after the client's retries)
/// yields one `.failure` and ends the iteration. `allItems()` collects everything or throws.
/// Each iteration scans afresh. Bound to its client's thread.
///
/// `Item` is `DynamoDBItem` unless the caller asked for its own `Decodable` row type, decoded straight from
/// each item's JSON (`scan(table:projection:names:pageLimit:deadline:as:)`).
public struct ScanSequence<Item: Decodable>: Sequence {
    let client: DynamoDBClient
    let input: ScanInput
    let deadline: ContinuousClock.Instant?

    /// Makes an iterator that starts at the beginning of the table.
    public func makeIterator() -> Iterator {
        Iterator(sequence: self)
    }

    /// Every item of every page, in order.
    /// - Throws: the first failure; nothing partial is returned.
    public func allItems() throws(AWSClientError) -> [Item] {
        var items: [Item] = []
        for page in self {
            items += try page.get().items
        }
        return items
    }

    /// Pages lazily, one request at a time.
    public struct Iterator: IteratorProtocol {
        let sequence: ScanSequence
        private var nextStart: DynamoDBItem?
        private var finished = false

        init(sequence: ScanSequence) {
            self.sequence = sequence
        }

        /// Fetches the next page; nil after the last page or after a failure.
        public mutating func next() -> Result<ScanPage<Item>, AWSClientError>? {
            guard !finished else { return nil }
            var input = sequence.input
            input.exclusiveStartKey = nextStart
            do {
                let output = try sequence.client.call("Scan", input, deadline: sequence.deadline, as: ScanOutput<Item>.self)
                nextStart = output.lastEvaluatedKey.flatMap { $0.isEmpty ? nil : $0 }
                finished = nextStart == nil
                return .success(ScanPage(items: output.items ?? [], lastEvaluatedKey: nextStart))
            } catch {
                finished = true
                return .failure(error)
            }
        }
    }
}

extension DynamoDBClient {
    /// Scans the whole `table`, page by page, following `LastEvaluatedKey` to the end.
    /// - Parameters:
    ///   - projection: a `ProjectionExpression`, e.g. `connectionId, connectedAt`; nil reads every attribute.
    ///   - names: `ExpressionAttributeNames` for the projection.
    ///   - pageLimit: the most items per page (`Limit`); nil lets DynamoDB fill 1 MB pages.
    ///   - consistentRead: strongly consistent pages (twice the read units): every write acknowledged
    ///     before the page was read shows in it.
    ///   - deadline: bounds every request and retry of the scan.
    public func scan(
        table: String, projection: String? = nil, names: [String: String] = [:], pageLimit: Int? = nil,
        consistentRead: Bool = false, deadline: ContinuousClock.Instant? = nil
    ) -> ScanSequence<DynamoDBItem> {
        scan(
            table: table, projection: projection, names: names, pageLimit: pageLimit, consistentRead: consistentRead,
            deadline: deadline, as: DynamoDBItem.self)
    }

    /// `scan(table:projection:names:pageLimit:deadline:)` with each item decoded as `Item` (its `init(from:)`
    /// sees the item's attributes as keys, each value an attribute value object such as `{"S":"abc"}`).
    /// For large scans of a known shape: decoding into a struct skips building a dictionary per item.
    public func scan<Item: Decodable>(
        table: String, projection: String? = nil, names: [String: String] = [:], pageLimit: Int? = nil,
        consistentRead: Bool = false, deadline: ContinuousClock.Instant? = nil, as itemType: Item.Type
    ) -> ScanSequence<Item> {
        ScanSequence(
            client: self,
            input: ScanInput(
                tableName: table, projectionExpression: projection, expressionAttributeNames: names.nilIfEmpty,
                limit: pageLimit.map { max(1, $0) }, consistentRead: consistentRead ? true : nil),
            deadline: deadline)
    }
}

/// Scan's request.
struct ScanInput: Encodable {
    var tableName: String
    var projectionExpression: String?
    var expressionAttributeNames: [String: String]?
    var limit: Int?
    var consistentRead: Bool?
    var exclusiveStartKey: DynamoDBItem?

    enum CodingKeys: String, CodingKey {
        case tableName = "TableName", projectionExpression = "ProjectionExpression"
        case expressionAttributeNames = "ExpressionAttributeNames", limit = "Limit", consistentRead = "ConsistentRead"
        case exclusiveStartKey = "ExclusiveStartKey"
    }
}

/// Scan's answer.
struct ScanOutput<Item: Decodable>: Decodable {
    var items: [Item]?
    var lastEvaluatedKey: DynamoDBItem?
    enum CodingKeys: String, CodingKey { case items = "Items", lastEvaluatedKey = "LastEvaluatedKey" }
}

/// The DynamoDB calls the gateway makes on its own behalf: provisioning the tables and reading a
/// table's stream. A protocol so the poller's batching can be reasoned about apart from the wire;
/// `DynamoDBStreamSource` is the real one, over our AWSClient.
protocol StreamSource {
    /// Creates the table if it does not exist (PAY_PER_REQUEST, the template's keys and stream) and
    /// turns TTL on; returns whether it had to create it.
    func ensureTable(_ table: TablesConfiguration.Table) throws -> Bool

    /// The ARN of the table's latest stream, or nil when it has none.
    func latestStreamArn(table: String) throws -> String?

    /// The stream's shards: id and whether the shard is still open (no ending sequence number).
    func shards(streamArn: String) throws -> [(id: String, isOpen: Bool)]

    /// An iterator into `shardId` from its oldest record (`after` nil) or just after sequence number `after`.
    func shardIterator(streamArn: String, shardId: String, after: String?) throws -> String

    /// One GetRecords call: the records as JSON (as the Streams API returns them) and the next
    /// iterator (nil when the shard is closed and drained).
    func records(iterator: String) throws -> (records: [JSONValue], next: String?)
}

/// DynamoDB Streams: same endpoint and signing service (`dynamodb`) as DynamoDB on the local stack,
/// targets `DynamoDBStreams_20120810.<Operation>`. The local gateway polls a stream with these like an
/// event source mapping does. See https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Operations_Amazon_DynamoDB_Streams.html
extension DynamoDBClient {
    /// The streams of `table` (of every table when nil).
    public func listStreams(table: String? = nil, deadline: ContinuousClock.Instant? = nil) throws(AWSClientError) -> [StreamSummary] {
        try streamsCall("ListStreams", ListStreamsInput(TableName: table), deadline: deadline, as: ListStreamsOutput.self).streams ?? []
    }

    /// A stream's status and shards (one page; follow `lastEvaluatedShardId` for more).
    public func describeStream(
        arn: String, exclusiveStartShardId: String? = nil, deadline: ContinuousClock.Instant? = nil
    ) throws(AWSClientError) -> StreamDescription {
        let input = DescribeStreamInput(StreamArn: arn, ExclusiveStartShardId: exclusiveStartShardId)
        return try streamsCall("DescribeStream", input, deadline: deadline, as: DescribeStreamOutput.self).streamDescription
    }

    /// An iterator into `shardId`; `sequenceNumber` is needed with `.atSequenceNumber`/`.afterSequenceNumber`.
    public func getShardIterator(
        streamArn: String, shardId: String, type: ShardIteratorType, sequenceNumber: String? = nil,
        deadline: ContinuousClock.Instant? = nil
    ) throws(AWSClientError) -> String {
        let input = GetShardIteratorInput(
            StreamArn: streamArn, ShardId: shardId, ShardIteratorType: type, SequenceNumber: sequenceNumber)
        return try streamsCall("GetShardIterator", input, deadline: deadline, as: GetShardIteratorOutput.self).shardIterator
    }

    /// Reads records at `shardIterator` (at most `limit`, up to 1,000).
    public func getRecords(
        shardIterator: String, limit: Int? = nil, deadline: ContinuousClock.Instant? = nil
    ) throws(AWSClientError) -> StreamRecordsPage {
        let input = GetRecordsInput(ShardIterator: shardIterator, Limit: limit.map { min(max(1, $0), 1000) })
        return try streamsCall("GetRecords", input, deadline: deadline, as: StreamRecordsPage.self)
    }

    private func streamsCall<Output: Decodable>(
        _ operation: String, _ input: some Encodable, deadline: ContinuousClock.Instant?, as output: Output.Type
    ) throws(AWSClientError) -> Output {
        try call(operation, input, deadline: deadline, targetPrefix: Wire.streamsTargetPrefix, as: output)
    }
}

private struct ListStreamsInput: Encodable {
    let TableName: String?
}

private struct ListStreamsOutput: Decodable {
    let streams: [StreamSummary]?
    enum CodingKeys: String, CodingKey { case streams = "Streams" }
}

private struct DescribeStreamInput: Encodable {
    let StreamArn: String
    let ExclusiveStartShardId: String?
}

private struct DescribeStreamOutput: Decodable {
    let streamDescription: StreamDescription
    enum CodingKeys: String, CodingKey { case streamDescription = "StreamDescription" }
}

private struct GetShardIteratorInput: Encodable {
    let StreamArn: String
    let ShardId: String
    let ShardIteratorType: ShardIteratorType
    let SequenceNumber: String?
}

private struct GetShardIteratorOutput: Decodable {
    let shardIterator: String
    enum CodingKeys: String, CodingKey { case shardIterator = "ShardIterator" }
}

private struct GetRecordsInput: Encodable {
    let ShardIterator: String
    let Limit: Int?
}

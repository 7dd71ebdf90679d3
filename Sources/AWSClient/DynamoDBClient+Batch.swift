import LambdaEvents

extension DynamoDBClient {
    /// Reads up to 100 items of one table in one request, following `UnprocessedKeys` (DynamoDB may
    /// return part of a batch under load) with the client's backoff until every key is answered.
    /// See https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html
    ///
    /// With `consistentRead` every item read is strongly consistent; the items are still read one by one
    /// on the server, so the batch is not a snapshot across items (a transaction between two reads shows
    /// in one and not the other).
    /// - Returns: the items found (missing keys have no entry), in no particular order.
    /// - Throws: `.configuration` for more than 100 keys; `.deadlineExceeded` when unprocessed keys remain
    ///   at the deadline.
    package func batchGetItems(
        table: String, keys: [DynamoDBItem], consistentRead: Bool = false, projection: String? = nil,
        names: [String: String] = [:], deadline: ContinuousClock.Instant? = nil
    ) throws(AWSClientError) -> [DynamoDBItem] {
        let operation = "DynamoDB.BatchGetItem"
        guard keys.count <= 100 else {
            throw AWSClientError(code: .configuration, message: "BatchGetItem takes at most 100 keys, not \(keys.count)", operation: operation)
        }
        var pending = keys
        var found: [DynamoDBItem] = []
        var round = 0
        while !pending.isEmpty {
            round += 1
            let request = KeysAndAttributes(
                keys: pending, consistentRead: consistentRead ? true : nil, projectionExpression: projection,
                expressionAttributeNames: names.nilIfEmpty)
            let output = try call("BatchGetItem", BatchGetInput(requestItems: [table: request]), deadline: deadline, as: BatchGetOutput.self)
            found += output.responses?[table] ?? []
            pending = output.unprocessedKeys?[table]?.keys ?? []
            guard !pending.isEmpty else { break }
            guard let wait = sender.retryPolicy.delayBeforeRetry(after: round, now: sender.now(), deadline: deadline) else {
                throw AWSClientError(
                    code: .deadlineExceeded, message: "\(pending.count) keys still unprocessed", operation: operation)
            }
            sender.sleep(wait)
        }
        return found
    }
}

/// The keys of one table in a BatchGetItem request (and in its `UnprocessedKeys`).
struct KeysAndAttributes: Codable {
    var keys: [DynamoDBItem]
    var consistentRead: Bool?
    var projectionExpression: String?
    var expressionAttributeNames: [String: String]?

    enum CodingKeys: String, CodingKey {
        case keys = "Keys", consistentRead = "ConsistentRead", projectionExpression = "ProjectionExpression"
        case expressionAttributeNames = "ExpressionAttributeNames"
    }
}

/// BatchGetItem's request.
struct BatchGetInput: Encodable {
    var requestItems: [String: KeysAndAttributes]
    enum CodingKeys: String, CodingKey { case requestItems = "RequestItems" }
}

/// BatchGetItem's answer.
struct BatchGetOutput: Decodable {
    var responses: [String: [DynamoDBItem]]?
    var unprocessedKeys: [String: KeysAndAttributes]?
    enum CodingKeys: String, CodingKey { case responses = "Responses", unprocessedKeys = "UnprocessedKeys" }
}

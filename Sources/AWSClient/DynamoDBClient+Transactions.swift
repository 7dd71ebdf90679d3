extension DynamoDBClient {
    /// Applies up to 100 actions atomically: all or none.
    /// See https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html
    ///
    /// A `ClientRequestToken` makes retries idempotent for ten minutes; when none is given one is made
    /// (as the AWS SDKs do), so this client's own retries never apply a transaction twice.
    /// - Throws: `AWSClientError` with `awsCode` `TransactionCanceledException` and `cancellationReasons`
    ///   (one per action, in order; `None` for actions that did not cause it) when a condition fails.
    package func transactWriteItems(
        _ items: [TransactWriteItem], clientRequestToken: String? = nil, deadline: ContinuousClock.Instant? = nil
    ) throws(AWSClientError) {
        guard !items.isEmpty, items.count <= 100 else {
            throw AWSClientError(
                code: .configuration, message: "a transaction needs 1 to 100 actions, not \(items.count)",
                operation: "DynamoDB.TransactWriteItems")
        }
        let token = clientRequestToken ?? RandomUUID.string()
        _ = try call("TransactWriteItems", TransactWriteInput(transactItems: items, clientRequestToken: token), deadline: deadline, as: EmptyOutput.self)
    }
}

extension DynamoDBClient {
    /// As `transactWriteItems(_:clientRequestToken:deadline:)`, with the actions chosen anew for each
    /// attempt (1-based): after a `TransactionConflict` on one item, the retry may pick another, e.g.
    /// another counter shard.
    ///
    /// Each distinct list of actions gets its own `ClientRequestToken`, kept for every attempt that sends
    /// that same list: a retry of an identical request is idempotent in DynamoDB for ten minutes, and
    /// changed parameters under an old token would be refused (`IdempotentParameterMismatchException`).
    /// A retry with other actions is a new transaction: it is up to the actions' conditions to make it
    /// harmless when an earlier attempt did apply (its answer lost).
    package func transactWriteItems(
        deadline: ContinuousClock.Instant?, _ makeItems: (_ attempt: Int) -> [TransactWriteItem]
    ) throws(AWSClientError) {
        let operation = "DynamoDB.TransactWriteItems"
        var tokens: [[UInt8]: String] = [:]
        _ = try call("TransactWriteItems", deadline: deadline, as: EmptyOutput.self) { attempt throws(AWSClientError) in
            let items = makeItems(attempt)
            guard !items.isEmpty, items.count <= 100 else {
                throw AWSClientError(
                    code: .configuration, message: "a transaction needs 1 to 100 actions, not \(items.count)", operation: operation)
            }
            // Sorted keys: two lists with the same content have the same bytes, whatever the dictionaries' order.
            let actions = try Self.encode(items, operation: operation, sortedKeys: true)
            let token = tokens[actions] ?? RandomUUID.string()
            tokens[actions] = token
            return try Self.encode(TransactWriteInput(transactItems: items, clientRequestToken: token), operation: operation)
        }
    }
}

/// TransactWriteItems' request.
struct TransactWriteInput: Encodable {
    var transactItems: [TransactWriteItem]
    var clientRequestToken: String
    enum CodingKeys: String, CodingKey { case transactItems = "TransactItems", clientRequestToken = "ClientRequestToken" }
}

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension DynamoDBClient {
    /// Applies up to 100 actions atomically: all or none.
    /// See https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html
    ///
    /// A `ClientRequestToken` makes retries idempotent for ten minutes; when none is given one is made
    /// (as the AWS SDKs do), so this client's own retries never apply a transaction twice.
    /// - Throws: `AWSClientError` with `awsCode` `TransactionCanceledException` and `cancellationReasons`
    ///   (one per action, in order; `None` for actions that did not cause it) when a condition fails.
    public func transactWriteItems(
        _ items: [TransactWriteItem], clientRequestToken: String? = nil, deadline: ContinuousClock.Instant? = nil
    ) throws(AWSClientError) {
        guard !items.isEmpty, items.count <= 100 else {
            throw AWSClientError(
                code: .configuration, message: "a transaction needs 1 to 100 actions, not \(items.count)",
                operation: "DynamoDB.TransactWriteItems")
        }
        let token = clientRequestToken ?? UUID().uuidString
        _ = try call("TransactWriteItems", TransactWriteInput(transactItems: items, clientRequestToken: token), deadline: deadline, as: EmptyOutput.self)
    }
}

/// TransactWriteItems' request.
struct TransactWriteInput: Encodable {
    var transactItems: [TransactWriteItem]
    var clientRequestToken: String
    enum CodingKeys: String, CodingKey { case transactItems = "TransactItems", clientRequestToken = "ClientRequestToken" }
}

/// What a stream-triggered function returns to report partial batch failures.
///
/// With `FunctionResponseTypes: [ReportBatchItemFailures]` on the event source mapping, Lambda retries
/// from the first listed record; an empty list means the whole batch succeeded.
/// See https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html
package struct DynamoDBBatchResponse: Codable, Sendable, Hashable {
    /// One record that failed.
    package struct BatchItemFailure: Codable, Sendable, Hashable {
        /// The failed record's `SequenceNumber` (for DynamoDB Streams, not its `eventID`).
        package var itemIdentifier: String

        /// Creates a failure entry.
        public init(itemIdentifier: String) {
            self.itemIdentifier = itemIdentifier
        }
    }

    /// The records that failed (`batchItemFailures`); empty when all succeeded.
    public var batchItemFailures: [BatchItemFailure]

    /// Creates a response; the default reports success for the whole batch.
    public init(batchItemFailures: [BatchItemFailure] = []) {
        self.batchItemFailures = batchItemFailures
    }

    /// A response reporting the records with these sequence numbers as failed.
    public init(failedSequenceNumbers: [String]) {
        self.batchItemFailures = failedSequenceNumbers.map(BatchItemFailure.init(itemIdentifier:))
    }
}

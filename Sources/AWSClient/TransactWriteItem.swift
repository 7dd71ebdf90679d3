import LambdaEvents

/// One action of a `TransactWriteItems` call.
/// See https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItem.html
public enum TransactWriteItem: Sendable, Encodable {
    /// Writes a whole item.
    case put(table: String, item: DynamoDBItem, condition: String? = nil, names: [String: String] = [:], values: DynamoDBItem = [:])
    /// Applies an update expression.
    case update(
        table: String, key: DynamoDBItem, update: String, condition: String? = nil, names: [String: String] = [:],
        values: DynamoDBItem = [:])
    /// Deletes an item.
    case delete(table: String, key: DynamoDBItem, condition: String? = nil, names: [String: String] = [:], values: DynamoDBItem = [:])
    /// Requires a condition on an item without changing it.
    case conditionCheck(table: String, key: DynamoDBItem, condition: String, names: [String: String] = [:], values: DynamoDBItem = [:])

    private enum ActionKey: String, CodingKey { case put = "Put", update = "Update", delete = "Delete", conditionCheck = "ConditionCheck" }

    /// `{"Put": {...}}`, `{"Update": {...}}`, `{"Delete": {...}}` or `{"ConditionCheck": {...}}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: ActionKey.self)
        switch self {
        case let .put(table, item, condition, names, values):
            try container.encode(
                ItemInput(
                    tableName: table, item: item, conditionExpression: condition, expressionAttributeNames: names.nilIfEmpty,
                    expressionAttributeValues: values.nilIfEmpty), forKey: .put)
        case let .update(table, key, update, condition, names, values):
            try container.encode(
                ItemInput(
                    tableName: table, key: key, updateExpression: update, conditionExpression: condition,
                    expressionAttributeNames: names.nilIfEmpty, expressionAttributeValues: values.nilIfEmpty), forKey: .update)
        case let .delete(table, key, condition, names, values):
            try container.encode(
                ItemInput(
                    tableName: table, key: key, conditionExpression: condition, expressionAttributeNames: names.nilIfEmpty,
                    expressionAttributeValues: values.nilIfEmpty), forKey: .delete)
        case let .conditionCheck(table, key, condition, names, values):
            try container.encode(
                ItemInput(
                    tableName: table, key: key, conditionExpression: condition, expressionAttributeNames: names.nilIfEmpty,
                    expressionAttributeValues: values.nilIfEmpty), forKey: .conditionCheck)
        }
    }
}

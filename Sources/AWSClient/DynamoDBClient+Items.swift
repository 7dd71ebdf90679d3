import LambdaEvents

extension DynamoDBClient {
    /// Reads one item; nil when there is none with that key.
    /// See https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GetItem.html
    /// - Parameters:
    ///   - projection: a `ProjectionExpression`, e.g. `visits, #l`; nil reads every attribute.
    ///   - names: `ExpressionAttributeNames` for the projection.
    public func getItem(
        table: String, key: DynamoDBItem, consistentRead: Bool = false, projection: String? = nil,
        names: [String: String] = [:], deadline: ContinuousClock.Instant? = nil
    ) throws(AWSClientError) -> DynamoDBItem? {
        let input = ItemInput(
            tableName: table, key: key, consistentRead: consistentRead ? true : nil, projectionExpression: projection,
            expressionAttributeNames: names.nilIfEmpty)
        return try call("GetItem", input, deadline: deadline, as: ItemOutput.self).item
    }

    /// Writes a whole item, optionally only when `condition` holds.
    /// See https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html
    /// - Throws: `AWSClientError` with `awsCode` `ConditionalCheckFailedException` when the condition fails.
    public func putItem(
        table: String, item: DynamoDBItem, condition: String? = nil, names: [String: String] = [:],
        values: DynamoDBItem = [:], deadline: ContinuousClock.Instant? = nil
    ) throws(AWSClientError) {
        let input = ItemInput(
            tableName: table, item: item, conditionExpression: condition, expressionAttributeNames: names.nilIfEmpty,
            expressionAttributeValues: values.nilIfEmpty)
        _ = try call("PutItem", input, deadline: deadline, as: EmptyOutput.self)
    }

    /// Applies an `UpdateExpression` (e.g. `ADD visits :one`), creating the item when missing.
    /// See https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html
    /// - Returns: the attributes `returnValues` asks for; nil with `.none`.
    @discardableResult
    public func updateItem(
        table: String, key: DynamoDBItem, update: String, condition: String? = nil, names: [String: String] = [:],
        values: DynamoDBItem = [:], returnValues: ReturnValues = .none, deadline: ContinuousClock.Instant? = nil
    ) throws(AWSClientError) -> DynamoDBItem? {
        let input = ItemInput(
            tableName: table, key: key, updateExpression: update, conditionExpression: condition,
            expressionAttributeNames: names.nilIfEmpty, expressionAttributeValues: values.nilIfEmpty,
            returnValues: returnValues == .none ? nil : returnValues)
        return try call("UpdateItem", input, deadline: deadline, as: AttributesOutput.self).attributes
    }

    /// Deletes one item (deleting a missing item succeeds), optionally only when `condition` holds.
    /// See https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DeleteItem.html
    /// - Returns: the old item with `returnValues: .allOld`; nil otherwise or when there was none.
    @discardableResult
    public func deleteItem(
        table: String, key: DynamoDBItem, condition: String? = nil, names: [String: String] = [:],
        values: DynamoDBItem = [:], returnValues: ReturnValues = .none, deadline: ContinuousClock.Instant? = nil
    ) throws(AWSClientError) -> DynamoDBItem? {
        let input = ItemInput(
            tableName: table, key: key, conditionExpression: condition, expressionAttributeNames: names.nilIfEmpty,
            expressionAttributeValues: values.nilIfEmpty, returnValues: returnValues == .none ? nil : returnValues)
        return try call("DeleteItem", input, deadline: deadline, as: AttributesOutput.self).attributes
    }
}

/// The request of GetItem, PutItem, UpdateItem and DeleteItem: nil members are left out of the JSON
/// (DynamoDB rejects empty `ExpressionAttributeValues`).
struct ItemInput: Encodable {
    var tableName: String
    var key: DynamoDBItem?
    var item: DynamoDBItem?
    var consistentRead: Bool?
    var projectionExpression: String?
    var updateExpression: String?
    var conditionExpression: String?
    var expressionAttributeNames: [String: String]?
    var expressionAttributeValues: DynamoDBItem?
    var returnValues: DynamoDBClient.ReturnValues?

    init(
        tableName: String, key: DynamoDBItem? = nil, item: DynamoDBItem? = nil, consistentRead: Bool? = nil,
        projectionExpression: String? = nil, updateExpression: String? = nil, conditionExpression: String? = nil,
        expressionAttributeNames: [String: String]? = nil, expressionAttributeValues: DynamoDBItem? = nil,
        returnValues: DynamoDBClient.ReturnValues? = nil
    ) {
        self.tableName = tableName
        self.key = key
        self.item = item
        self.consistentRead = consistentRead
        self.projectionExpression = projectionExpression
        self.updateExpression = updateExpression
        self.conditionExpression = conditionExpression
        self.expressionAttributeNames = expressionAttributeNames
        self.expressionAttributeValues = expressionAttributeValues
        self.returnValues = returnValues
    }

    enum CodingKeys: String, CodingKey {
        case tableName = "TableName", key = "Key", item = "Item", consistentRead = "ConsistentRead"
        case projectionExpression = "ProjectionExpression", updateExpression = "UpdateExpression"
        case conditionExpression = "ConditionExpression", expressionAttributeNames = "ExpressionAttributeNames"
        case expressionAttributeValues = "ExpressionAttributeValues", returnValues = "ReturnValues"
    }
}

/// GetItem's answer.
struct ItemOutput: Decodable {
    var item: DynamoDBItem?
    enum CodingKeys: String, CodingKey { case item = "Item" }
}

/// UpdateItem's and DeleteItem's answer.
struct AttributesOutput: Decodable {
    var attributes: DynamoDBItem?
    enum CodingKeys: String, CodingKey { case attributes = "Attributes" }
}

extension Dictionary {
    /// nil for an empty dictionary, so optional JSON members are left out.
    var nilIfEmpty: Self? { isEmpty ? nil : self }
}

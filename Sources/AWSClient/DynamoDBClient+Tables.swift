extension DynamoDBClient {
    /// Creates a table (tests and the local stack; production tables come from the SAM template).
    /// See https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html
    @discardableResult
    public func createTable(_ definition: TableDefinition, deadline: ContinuousClock.Instant? = nil) throws(AWSClientError) -> TableDescription {
        try call("CreateTable", definition, deadline: deadline, as: CreateTableOutput.self).tableDescription
    }

    /// Describes a table. See https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DescribeTable.html
    /// - Throws: `awsCode` `ResourceNotFoundException` when there is no such table.
    public func describeTable(_ name: String, deadline: ContinuousClock.Instant? = nil) throws(AWSClientError) -> TableDescription {
        try call("DescribeTable", ["TableName": name], deadline: deadline, as: DescribeTableOutput.self).table
    }

    /// Turns Time to Live on (or off) for `attribute` (epoch seconds).
    /// See https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTimeToLive.html
    public func updateTimeToLive(
        table: String, attribute: String, enabled: Bool = true, deadline: ContinuousClock.Instant? = nil
    ) throws(AWSClientError) {
        let input = UpdateTimeToLiveInput(
            TableName: table, TimeToLiveSpecification: .init(AttributeName: attribute, Enabled: enabled))
        _ = try call("UpdateTimeToLive", input, deadline: deadline, as: EmptyOutput.self)
    }
}

private struct CreateTableOutput: Decodable {
    let tableDescription: TableDescription
    enum CodingKeys: String, CodingKey { case tableDescription = "TableDescription" }
}

private struct DescribeTableOutput: Decodable {
    let table: TableDescription
    enum CodingKeys: String, CodingKey { case table = "Table" }
}

private struct UpdateTimeToLiveInput: Encodable {
    struct Specification: Encodable {
        let AttributeName: String
        let Enabled: Bool
    }
    let TableName: String
    let TimeToLiveSpecification: Specification
}

import LambdaEvents

/// One ConnectionIDs item as the broadcast's Scan returns it (projection `connectionId, connectedAt, expiresAt`),
/// decoded straight into its attributes: a broadcast scans every row, and building a
/// `[String: AttributeValue]` per row was most of the Scan's decoding time (docs/benchmarks.md).
///
/// Same reading as the dictionary's: a row whose `connectionId` is missing or not a string has no id (it is
/// skipped); a `connectedAt` or `expiresAt` that is missing or not an integer number is nil; a malformed
/// attribute value is a decoding error, as for any item.
struct ConnectionRow: Decodable {
    let connectionId: String?
    let connectedAt: Int64?
    let expiresAt: Int64?

    private enum CodingKeys: String, CodingKey {
        case connectionId, connectedAt, expiresAt
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        connectionId = try container.decodeIfPresent(AttributeValue.self, forKey: .connectionId)?.stringValue
        connectedAt = try container.decodeIfPresent(AttributeValue.self, forKey: .connectedAt)?.int64Value
        expiresAt = try container.decodeIfPresent(AttributeValue.self, forKey: .expiresAt)?.int64Value
    }

    /// The connection, or nil for a row without an id.
    var stored: StoredConnection? {
        connectionId.map { StoredConnection(connectionId: $0, connectedAt: connectedAt, expiresAt: expiresAt) }
    }
}

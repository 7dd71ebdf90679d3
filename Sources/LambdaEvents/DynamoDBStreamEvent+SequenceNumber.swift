/// Validation and ordering of `SequenceNumber`s.
///
/// Sequence numbers are decimal integers of 21 to 40 digits (API_streams_StreamRecord): too long for
/// `Int64` or `Double` (two neighbours would compare equal), and of different lengths, so comparing the
/// text would put "99…" after "100…". They are compared here as unbounded integers.
extension DynamoDBStreamEvent.StreamRecord {
    /// Decodes a stream record; rejects a `SequenceNumber` that is not decimal digits, so that ordering
    /// records by it is always well defined.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let sequenceNumber = try container.decode(String.self, forKey: .sequenceNumber)
        guard Self.isValidSequenceNumber(sequenceNumber) else {
            let message = "SequenceNumber \"\(sequenceNumber)\" is not a decimal integer"
            let error = LambdaEventsError(code: .invalidStreamRecord, message: message)
            let path = container.codingPath + [CodingKeys.sequenceNumber]
            throw DecodingError.dataCorrupted(.init(codingPath: path, debugDescription: message, underlyingError: error))
        }
        self.init(
            keys: try container.decode(DynamoDBItem.self, forKey: .keys),
            newImage: try container.decodeIfPresent(DynamoDBItem.self, forKey: .newImage),
            oldImage: try container.decodeIfPresent(DynamoDBItem.self, forKey: .oldImage),
            sequenceNumber: sequenceNumber,
            sizeBytes: try container.decode(Int64.self, forKey: .sizeBytes),
            streamViewType: try container.decode(DynamoDBStreamEvent.StreamViewType.self, forKey: .streamViewType),
            approximateCreationDateTime: try container.decodeIfPresent(Double.self, forKey: .approximateCreationDateTime)
        )
    }

    /// Whether `text` is a well-formed sequence number: one or more ASCII decimal digits.
    package static func isValidSequenceNumber(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// Whether sequence number `lhs` is smaller (earlier) than `rhs`, comparing them as integers of any
    /// length: leading zeros are ignored, then the shorter number is the smaller, then digit by digit.
    /// Both must be ``isValidSequenceNumber(_:)``; decoded records always are.
    package static func isSequenceNumber(_ lhs: String, before rhs: String) -> Bool {
        let left = lhs.utf8.drop { $0 == UInt8(ascii: "0") }
        let right = rhs.utf8.drop { $0 == UInt8(ascii: "0") }
        if left.count != right.count {
            return left.count < right.count
        }
        return left.lexicographicallyPrecedes(right)
    }

    /// Whether this record comes before `other` in its shard (its sequence number is smaller).
    package func isBefore(_ other: Self) -> Bool {
        Self.isSequenceNumber(sequenceNumber, before: other.sequenceNumber)
    }
}

import JSONCoding

/// The wire form: an object with exactly one non-null type member.
///
/// Members whose value is JSON `null` are ignored, because some producers write every type member and
/// leave the unused ones null (`{"S":"x","N":null,"B":null,…}`, as in aws-lambda-go's recorded events).
/// Anything else — no member, two members, a member name that is not a DynamoDB type, a member of the
/// wrong JSON type, a malformed number or base64 — is a `DecodingError` whose description says what was
/// found; where the problem is not a plain JSON type mismatch its underlying error is a
/// ``LambdaEventsError`` with code ``LambdaEventsError/Code/invalidAttributeValue``.
extension AttributeValue: Codable {
    /// A coding key for any member name, so unknown ones can be reported by name.
    private struct MemberKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
        init(_ key: TypeKey) { self.stringValue = key.rawValue }
    }

    /// Decodes `{"<type>": <value>}`.
    public init(from decoder: any Decoder) throws {
        // JSONCoding's decoder (the bootstraps') hands over the JSON value: well-formed values skip the containers.
        if let json = (decoder as? any JSONValueDecoding)?.jsonValue, let value = AttributeValue(json: json) {
            self = value
            return
        }
        let container = try decoder.container(keyedBy: MemberKey.self)
        let keys = container.allKeys
        let key: MemberKey
        let type: TypeKey
        // The usual case, checked without building anything: one member, a known type, not null. A Scan of
        // thousands of items decodes thousands of these (docs/benchmarks.md).
        if keys.count == 1, let only = TypeKey(rawValue: keys[0].stringValue), try !container.decodeNil(forKey: keys[0]) {
            key = keys[0]
            type = only
        } else {
            var present: [MemberKey] = []
            for key in keys where try !container.decodeNil(forKey: key) {
                present.append(key)
            }
            present.sort { $0.stringValue < $1.stringValue }
            let known = TypeKey.allCases.map(\.rawValue).joined(separator: ", ")
            if let unknown = present.first(where: { TypeKey(rawValue: $0.stringValue) == nil }) {
                throw Self.corrupted(decoder, "attribute value has unknown type member \"\(unknown.stringValue)\" (known: \(known))")
            }
            guard present.count == 1, let first = present.first, let only = TypeKey(rawValue: first.stringValue) else {
                let found = present.isEmpty ? "none" : "\(present.count): " + present.map(\.stringValue).joined(separator: ", ")
                throw Self.corrupted(decoder, "attribute value needs exactly one non-null type member (\(known)); found \(found)")
            }
            key = first
            type = only
        }
        switch type {
        case .string:
            self = .string(try container.decode(String.self, forKey: key))
        case .number:
            let text = try container.decode(String.self, forKey: key)
            try Self.checkNumber(text, decoder)
            self = .number(text)
        case .binary:
            self = .binary(try Self.bytes(try container.decode(String.self, forKey: key), decoder))
        case .stringSet:
            self = .stringSet(try container.decode([String].self, forKey: key))
        case .numberSet:
            let texts = try container.decode([String].self, forKey: key)
            for text in texts {
                try Self.checkNumber(text, decoder)
            }
            self = .numberSet(texts)
        case .binarySet:
            self = .binarySet(try container.decode([String].self, forKey: key).map { try Self.bytes($0, decoder) })
        case .map:
            self = .map(try container.decode([String: AttributeValue].self, forKey: key))
        case .list:
            self = .list(try container.decode([AttributeValue].self, forKey: key))
        case .bool:
            self = .bool(try container.decode(Bool.self, forKey: key))
        case .null:
            // DynamoDB rejects {"NULL":false}; accepting it would invent a value that cannot exist.
            guard try container.decode(Bool.self, forKey: key) else {
                throw Self.corrupted(decoder, "attribute value NULL member must be true, found false")
            }
            self = .null
        }
    }

    /// Encodes `{"<type>": <value>}`; binary as base64, `.null` as `{"NULL":true}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: MemberKey.self)
        let key = MemberKey(typeKey)
        switch self {
        case .string(let text), .number(let text):
            try container.encode(text, forKey: key)
        case .binary(let bytes):
            try container.encode(Base64.encode(bytes), forKey: key)
        case .stringSet(let texts), .numberSet(let texts):
            try container.encode(texts, forKey: key)
        case .binarySet(let members):
            try container.encode(members.map(Base64.encode), forKey: key)
        case .map(let map):
            try container.encode(map, forKey: key)
        case .list(let list):
            try container.encode(list, forKey: key)
        case .bool(let value):
            try container.encode(value, forKey: key)
        case .null:
            try container.encode(true, forKey: key)
        }
    }

    private static func checkNumber(_ text: String, _ decoder: any Decoder) throws {
        guard isValidNumber(text) else {
            throw corrupted(decoder, "attribute value N member \"\(text)\" is not a number")
        }
    }

    private static func bytes(_ text: String, _ decoder: any Decoder) throws -> [UInt8] {
        guard let bytes = Base64.decode(text) else {
            throw corrupted(decoder, "attribute value binary member is not valid base64 (\(text.utf8.count) characters)")
        }
        return bytes
    }

    private static func corrupted(_ decoder: any Decoder, _ message: String) -> DecodingError {
        let error = LambdaEventsError(code: .invalidAttributeValue, message: message)
        return DecodingError.dataCorrupted(
            DecodingError.Context(codingPath: decoder.codingPath, debugDescription: message, underlyingError: error)
        )
    }
}

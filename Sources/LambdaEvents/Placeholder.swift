// TEMPORARY STAND-IN written by the aws helper so AWSClient can build before LambdaEvents lands.
// Follows /work/api-contracts.md; the real module replaces this file when merged.
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Stand-in: a DynamoDB attribute value.
public enum AttributeValue: Sendable, Hashable, Codable {
    case string(String), number(String), binary([UInt8]), stringSet([String]), numberSet([String]),
        binarySet([[UInt8]]), map([String: AttributeValue]), list([AttributeValue]), bool(Bool), null

    enum Key: String, CodingKey { case S, N, B, SS, NS, BS, M, L, BOOL, NULL }

    /// Decodes exactly one member.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        let present = c.allKeys.filter { (try? c.decodeNil(forKey: $0)) == false }
        guard present.count == 1, let key = present.first else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "AttributeValue needs exactly one member"))
        }
        func b64(_ s: String) throws -> [UInt8] {
            guard let d = Data(base64Encoded: s) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "bad base64"))
            }
            return [UInt8](d)
        }
        switch key {
        case .S: self = .string(try c.decode(String.self, forKey: key))
        case .N: self = .number(try c.decode(String.self, forKey: key))
        case .B: self = .binary(try b64(try c.decode(String.self, forKey: key)))
        case .SS: self = .stringSet(try c.decode([String].self, forKey: key))
        case .NS: self = .numberSet(try c.decode([String].self, forKey: key))
        case .BS: self = .binarySet(try c.decode([String].self, forKey: key).map(b64))
        case .M: self = .map(try c.decode([String: AttributeValue].self, forKey: key))
        case .L: self = .list(try c.decode([AttributeValue].self, forKey: key))
        case .BOOL: self = .bool(try c.decode(Bool.self, forKey: key))
        case .NULL: self = .null
        }
    }

    /// Encodes one member.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        switch self {
        case .string(let v): try c.encode(v, forKey: .S)
        case .number(let v): try c.encode(v, forKey: .N)
        case .binary(let v): try c.encode(Data(v).base64EncodedString(), forKey: .B)
        case .stringSet(let v): try c.encode(v, forKey: .SS)
        case .numberSet(let v): try c.encode(v, forKey: .NS)
        case .binarySet(let v): try c.encode(v.map { Data($0).base64EncodedString() }, forKey: .BS)
        case .map(let v): try c.encode(v, forKey: .M)
        case .list(let v): try c.encode(v, forKey: .L)
        case .bool(let v): try c.encode(v, forKey: .BOOL)
        case .null: try c.encode(true, forKey: .NULL)
        }
    }
}

/// Stand-in: an item.
public typealias DynamoDBItem = [String: AttributeValue]

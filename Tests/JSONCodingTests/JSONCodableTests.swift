import JSONCoding
import TestSupport
import Testing

/// The Codable layer: what the functions' models need, and Foundation's behaviour where it matters.
struct JSONCodableTests {
    struct Everything: Codable, Equatable {
        var bool: Bool
        var string: String
        var int: Int
        var int8: Int8
        var int16: Int16
        var int32: Int32
        var int64: Int64
        var uint: UInt
        var uint8: UInt8
        var uint16: UInt16
        var uint32: UInt32
        var uint64: UInt64
        var double: Double
        var float: Float
        var optional: String?
        var absent: Int?
        var list: [Int]
        var nested: [[String: [Bool]]]
        var map: [String: Everything]?
        var kind: Kind

        enum Kind: String, Codable { case one, two }
    }

    static let sample = Everything(
        bool: true, string: "a \"quoted\"\n\\ line é😀", int: -1, int8: .min, int16: .max, int32: .min, int64: .max, uint: .max,
        uint8: 255, uint16: 0, uint32: .max, uint64: .max, double: -1.5e-300, float: 0.1, optional: "x", absent: nil, list: [1, 2, 3],
        nested: [["a": [true, false]], [:]],
        map: ["inner": Everything(
            bool: false, string: "", int: 0, int8: 0, int16: 0, int32: 0, int64: .min, uint: 0, uint8: 0, uint16: 0, uint32: 0, uint64: 0,
            double: 0, float: -0, optional: nil, absent: nil, list: [], nested: [], map: nil, kind: .two)],
        kind: .one)

    @Test func everyPrimitiveAndContainerRoundTrips() throws {
        let bytes = try JSONByteEncoder().encode(Self.sample)
        #expect(try JSONByteDecoder().decode(Everything.self, from: bytes) == Self.sample)
        // nil optionals are left out, as synthesized Codable asks (encodeIfPresent).
        #expect(!String(decoding: bytes, as: UTF8.self).contains("absent"))
    }

    @Test func integersAreExactAtTheirLimits() throws {
        let decoder = JSONByteDecoder()
        #expect(try decoder.decode(Int64.self, from: Array("9223372036854775807".utf8)) == .max)
        #expect(try decoder.decode(Int64.self, from: Array("-9223372036854775808".utf8)) == .min)
        #expect(try decoder.decode(UInt64.self, from: Array("18446744073709551615".utf8)) == .max)
        #expect(try decoder.decode([Int].self, from: Array("[1e2, 100.0, -0, 2E+1]".utf8)) == [100, 100, 0, 20])
        for refused in ["9223372036854775808", "-9223372036854775809", "1.5", "1e400", "true", "\"1\"", "9007199254740993.0"] {
            #expect(throws: DecodingError.self, "\(refused)") { try decoder.decode(Int64.self, from: Array(refused.utf8)) }
        }
        #expect(throws: DecodingError.self) { try decoder.decode(UInt8.self, from: Array("256".utf8)) }
        #expect(throws: DecodingError.self) { try decoder.decode(UInt.self, from: Array("-1".utf8)) }
    }

    @Test func doublesRoundTripBitForBit() throws {
        var random = SplitMix64(seed: 8259)
        var values: [Double] = [0, -0.0, 1, -1, 0.1, 1e16, 1e-7, .leastNonzeroMagnitude, .leastNormalMagnitude, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .pi]
        for _ in 0..<20_000 {
            let candidate = Double(bitPattern: random.next())
            if candidate.isFinite { values.append(candidate) }
        }
        let bytes = try JSONByteEncoder().encode(values)
        let decoded = try JSONByteDecoder().decode([Double].self, from: bytes)
        #expect(decoded.map(\.bitPattern) == values.map(\.bitPattern))
        #expect(try JSONByteDecoder().decode(Double.self, from: Array("5e-324".utf8)) == .leastNonzeroMagnitude)
        #expect(try JSONByteDecoder().decode(Float.self, from: Array("3.4028235e38".utf8)) == .greatestFiniteMagnitude)
    }

    @Test func numbersAreWrittenAsFoundationWritesThem() throws {
        let text = String(decoding: try JSONByteEncoder().encode([1.0, -0.0, 1_700_000_000, 0.5, 1e16, 1e-7, 123.25]), as: UTF8.self)
        #expect(text == "[1,-0,1700000000,0.5,1e+16,1e-07,123.25]")
        #expect(String(decoding: try JSONByteEncoder().encode([Int64.min]), as: UTF8.self) == "[-9223372036854775808]")
    }

    @Test func nonFiniteNumbersAreRefusedBothWays() {
        #expect(throws: EncodingError.self) { try JSONByteEncoder().encode([Double.nan]) }
        #expect(throws: EncodingError.self) { try JSONByteEncoder().encode(["x": Float.infinity]) }
        #expect(throws: DecodingError.self) { try JSONByteDecoder().decode(Double.self, from: Array("1e400".utf8)) }
        #expect(throws: DecodingError.self) { try JSONByteDecoder().decode(Float.self, from: Array("1e39".utf8)) }
    }

    struct Pair: Codable, Equatable {
        var name: String
        var count: Int
    }

    @Test func errorsNameTheKeyAndThePath() throws {
        func error(_ text: String) -> DecodingError? {
            do {
                _ = try JSONByteDecoder().decode([String: [Pair]].self, from: Array(text.utf8))
                return nil
            } catch let error as DecodingError {
                return error
            } catch {
                return nil
            }
        }
        guard case .keyNotFound(let key, let context) = error(#"{"a":[{"name":"x","count":1},{"name":"y"}]}"#) else {
            Issue.record("expected keyNotFound")
            return
        }
        #expect(key.stringValue == "count")
        #expect(context.codingPath.map(\.stringValue) == ["a", "Index 1"])
        guard case .typeMismatch(_, let mismatch) = error(#"{"a":[{"name":5,"count":1}]}"#) else {
            Issue.record("expected typeMismatch")
            return
        }
        #expect(mismatch.codingPath.map(\.stringValue) == ["a", "Index 0", "name"])
        guard case .valueNotFound = error(#"{"a":[{"name":null,"count":1}]}"#) else {
            Issue.record("expected valueNotFound")
            return
        }
        guard case .dataCorrupted(let corrupted) = error(#"{"a":[}"#) else {
            Issue.record("expected dataCorrupted")
            return
        }
        #expect((corrupted.underlyingError as? JSONCodingError)?.code == .syntax)
    }

    @Test func largeObjectsDecodeByName() throws {
        // Past 12 members the keyed container indexes them; every member must still be found.
        var map: [String: Int] = [:]
        for index in 0..<5_000 { map["key\(index)"] = index }
        let bytes = try JSONByteEncoder(sortedKeys: true).encode(map)
        #expect(try JSONByteDecoder().decode([String: Int].self, from: bytes) == map)
        let many = try JSONByteDecoder().decode([String: Int].self, from: Array(#"{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7,"h":8,"i":9,"j":10,"k":11,"l":12,"m":13,"n":14}"#.utf8))
        #expect(many.count == 14 && many["n"] == 14 && many["a"] == 1)
    }

    @Test func sortedKeysGiveTheSameBytesForTheSameContent() throws {
        var first: [String: Int] = [:]
        var second: [String: Int] = [:]
        for index in 0..<50 { first["k\(index)"] = index }
        for index in (0..<50).reversed() { second["k\(index)"] = index }
        let encoder = JSONByteEncoder(sortedKeys: true)
        #expect(try encoder.encode(first) == encoder.encode(second))
        #expect(String(decoding: try encoder.encode(["b": 1, "a": 2, "B": 3]), as: UTF8.self) == #"{"B":3,"a":2,"b":1}"#)
    }

    class Animal: Codable {
        var name: String
        init(name: String) { self.name = name }
    }

    final class Dog: Animal {
        var good: Bool
        init(name: String, good: Bool) {
            self.good = good
            super.init(name: name)
        }
        enum CodingKeys: String, CodingKey { case good }
        required init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            good = try container.decode(Bool.self, forKey: .good)
            try super.init(from: container.superDecoder())
        }
        override func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(good, forKey: .good)
            try super.encode(to: container.superEncoder())
        }
    }

    @Test func superEncoderAndSuperDecoderNestUnderSuper() throws {
        let bytes = try JSONByteEncoder(sortedKeys: true).encode(Dog(name: "Rex", good: true))
        #expect(String(decoding: bytes, as: UTF8.self) == #"{"good":true,"super":{"name":"Rex"}}"#)
        let dog = try JSONByteDecoder().decode(Dog.self, from: bytes)
        #expect(dog.name == "Rex" && dog.good)
    }

    struct Manual: Encodable {
        func encode(to encoder: any Encoder) throws {
            var outer = encoder.container(keyedBy: JSONCodingTestsKey.self)
            var list = outer.nestedUnkeyedContainer(forKey: JSONCodingTestsKey("list"))
            try list.encode(1)
            var inner = list.nestedContainer(keyedBy: JSONCodingTestsKey.self)
            try inner.encodeNil(forKey: JSONCodingTestsKey("none"))
            // Filled after being placed: containers are references.
            try inner.encode("late", forKey: JSONCodingTestsKey("late"))
            try outer.encode(2, forKey: JSONCodingTestsKey("x"))
            try outer.encode(3, forKey: JSONCodingTestsKey("x"))  // replaces, as Foundation does
            var single = outer.superEncoder(forKey: JSONCodingTestsKey("s")).singleValueContainer()
            try single.encode(UInt64.max)
        }
    }

    @Test func nestedContainersFilledLaterAndReplacedKeys() throws {
        let text = String(decoding: try JSONByteEncoder().encode(Manual()), as: UTF8.self)
        #expect(text == #"{"list":[1,{"none":null,"late":"late"}],"x":3,"s":18446744073709551615}"#)
    }
}

struct JSONCodingTestsKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

import Foundation
import LambdaEvents
import Testing

/// `AttributeValue`: every type, exact numbers, base64, and rejection of anything but one type member.
@Suite struct AttributeValueTests {
    @Test func decodesEveryType() throws {
        let item = try Fixtures.decode(DynamoDBItem.self, json: """
            {"s":{"S":"Hello"},"n":{"N":"-12.5"},"b":{"B":"AAEqQQ=="},"ss":{"SS":["Giraffe","Zebra"]},
             "ns":{"NS":["1234","567.8"]},"bs":{"BS":["AAEqQQ==","QSoBAA=="]},"t":{"BOOL":true},"f":{"BOOL":false},
             "z":{"NULL":true},"m":{"M":{"Name":{"S":"Joe"},"Age":{"N":"35"}}},"l":{"L":[{"S":"Cookies"},{"N":"3.14159"}]}}
            """)
        #expect(item["s"] == .string("Hello"))
        #expect(item["n"] == .number("-12.5"))
        #expect(item["b"] == .binary([0x00, 0x01, 0x2A, 0x41]))
        #expect(item["ss"] == .stringSet(["Giraffe", "Zebra"]))
        #expect(item["ns"] == .numberSet(["1234", "567.8"]))
        #expect(item["bs"] == .binarySet([[0x00, 0x01, 0x2A, 0x41], [0x41, 0x2A, 0x01, 0x00]]))
        #expect(item["t"] == .bool(true))
        #expect(item["f"] == .bool(false))
        #expect(item["z"] == .null)
        #expect(item["m"] == .map(["Name": .string("Joe"), "Age": .number("35")]))
        #expect(item["l"] == .list([.string("Cookies"), .number("3.14159")]))
    }

    @Test func nestedMapsAndListsRoundTrip() throws {
        let value = AttributeValue.map([
            "list": .list([.map(["deep": .list([.null, .bool(false), .numberSet(["1", "2"])])]), .list([])]),
            "empty": .map([:]),
            "bytes": .binarySet([[], [0xFF, 0x00, 0x7F]]),
        ])
        #expect(try Fixtures.roundTrip(value) == value)
        let decoded = try Fixtures.decode(AttributeValue.self, json: #"{"M":{"a":{"L":[{"M":{"b":{"L":[{"N":"1"}]}}}]}}}"#)
        #expect(decoded.mapValue?["a"]?.listValue?.first?.mapValue?["b"]?.listValue == [.number("1")])
    }

    @Test func everyCaseRoundTrips() throws {
        let values: [AttributeValue] = [
            .string(""), .string("visit#ü"), .number("0"), .binary([]), .binary(Array(UInt8.min...UInt8.max)),
            .stringSet([]), .numberSet(["-1E+3"]), .binarySet([[1]]), .map([:]), .list([]), .bool(true), .null,
        ]
        for value in values {
            #expect(try Fixtures.roundTrip(value) == value)
        }
    }

    @Test func encodesTheWireForm() throws {
        #expect(try Fixtures.json(AttributeValue.null) == #"{"NULL":true}"#)
        #expect(try Fixtures.json(AttributeValue(int: 42)) == #"{"N":"42"}"#)
        #expect(try Fixtures.json(AttributeValue.binary([0x00, 0x01, 0x2A, 0x41])) == #"{"B":"AAEqQQ=="}"#)
        #expect(try Fixtures.json(AttributeValue.binarySet([[0x66], [0x66, 0x6F]])) == #"{"BS":["Zg==","Zm8="]}"#)
        #expect(try Fixtures.json(AttributeValue.list([.bool(false), .string("x")])) == #"{"L":[{"BOOL":false},{"S":"x"}]}"#)
    }

    @Test func hugeNumbersStayExact() throws {
        let text = "123456789012345678901234567890.000001"
        let value = try Fixtures.decode(AttributeValue.self, json: #"{"N":"\#(text)"}"#)
        #expect(value.numberValue == text)
        #expect(value.int64Value == nil)
        #expect(try Fixtures.json(value) == #"{"N":"\#(text)"}"#)
        let set = try Fixtures.decode(AttributeValue.self, json: #"{"NS":["\#(text)","-0.000000000000000000000000000000000001"]}"#)
        #expect(set.numberSetValue == [text, "-0.000000000000000000000000000000000001"])
    }

    @Test func integerAccessors() {
        #expect(AttributeValue(int: Int64.max).int64Value == Int64.max)
        #expect(AttributeValue(int: -7).intValue == -7)
        #expect(AttributeValue(int: UInt8(200)) == .number("200"))
        #expect(AttributeValue.number("9223372036854775808").int64Value == nil)
        #expect(AttributeValue.number("12.5").intValue == nil)
        #expect(AttributeValue.string("12").intValue == nil)
        #expect(AttributeValue.string("x").stringValue == "x")
        #expect(AttributeValue.number("1").stringValue == nil)
        #expect(AttributeValue.bool(true).boolValue == true)
        #expect(AttributeValue.null.isNull)
        #expect(!AttributeValue.bool(false).isNull)
    }

    @Test func nullMembersAreTolerated() throws {
        #expect(try Fixtures.decode(AttributeValue.self, json: #"{"S":"x","N":null}"#) == .string("x"))
        let allNullButOne = #"{"B":null,"BOOL":null,"BS":null,"L":null,"M":null,"N":"35","NS":null,"NULL":null,"S":null,"SS":null}"#
        #expect(try Fixtures.decode(AttributeValue.self, json: allNullButOne) == .number("35"))
    }

    @Test(arguments: [
        (#"{}"#, "found none"),
        (#"{"S":null,"N":null}"#, "found none"),
        (#"{"S":"x","N":"1"}"#, "found 2: N, S"),
        (#"{"S":"x","BOOL":true,"NULL":true}"#, "found 3: BOOL, NULL, S"),
        (#"{"X":"1"}"#, #"unknown type member "X""#),
        (#"{"S":"a","s":"b"}"#, #"unknown type member "s""#),
        (#"{"N":"abc"}"#, #"N member "abc" is not a number"#),
        (#"{"N":""}"#, "is not a number"),
        (#"{"NS":["1","1e"]}"#, #""1e" is not a number"#),
        (#"{"B":"not base64!"}"#, "not valid base64"),
        (#"{"NULL":false}"#, "NULL member must be true"),
    ])
    func rejectsWithAClearMessage(json: String, expected: String) throws {
        let error = try #require(throws: DecodingError.self) {
            try Fixtures.decode(AttributeValue.self, json: json)
        }
        guard case .dataCorrupted(let context) = error else {
            Issue.record("expected dataCorrupted, got \(error)")
            return
        }
        #expect(context.debugDescription.contains(expected), "\(context.debugDescription)")
        let underlying = try #require(context.underlyingError as? LambdaEventsError)
        #expect(underlying.code == .invalidAttributeValue)
    }

    @Test(arguments: [#"{"N":12}"#, #"{"S":true}"#, #"{"BOOL":"true"}"#, #"{"SS":"a"}"#, #"{"M":[]}"#, #""S""#, #"["S","x"]"#])
    func rejectsWrongJSONTypes(json: String) {
        #expect(throws: DecodingError.self) {
            try Fixtures.decode(AttributeValue.self, json: json)
        }
    }

    @Test func errorsInsideItemsNameThePath() throws {
        let error = try #require(throws: DecodingError.self) {
            try Fixtures.decode(DynamoDBItem.self, json: #"{"visits":{"N":"1","S":"1"}}"#)
        }
        guard case .dataCorrupted(let context) = error else {
            Issue.record("expected dataCorrupted, got \(error)")
            return
        }
        #expect(context.codingPath.map(\.stringValue) == ["visits"])
    }

    @Test func base64Forms() throws {
        #expect(try Fixtures.decode(AttributeValue.self, json: #"{"B":""}"#) == .binary([]))
        #expect(try Fixtures.decode(AttributeValue.self, json: #"{"B":"Zm8="}"#) == .binary(Array("fo".utf8)))
        #expect(try Fixtures.decode(AttributeValue.self, json: #"{"B":"Zm8"}"#) == .binary(Array("fo".utf8)))
        #expect(try Fixtures.decode(AttributeValue.self, json: #"{"B":"Zm9vYg=="}"#) == .binary(Array("foob".utf8)))
        for invalid in ["Z", "Zm8=Zm8=", "Z=m8", "Zm9vYg===", "Zm9v\\nYg==", "Zm-_"] {
            #expect(throws: DecodingError.self, "\(invalid)") {
                try Fixtures.decode(AttributeValue.self, json: #"{"B":"\#(invalid)"}"#)
            }
        }
    }

    @Test func numberSyntax() {
        for valid in ["0", "-1", "+1", "1.", ".5", "1.5e10", "1E-3", "123456789012345678901234567890.000001"] {
            #expect(AttributeValue.isValidNumber(valid), "\(valid)")
        }
        for invalid in ["", "-", ".", "1e", "e1", "1.2.3", " 1", "1 ", "0x10", "NaN", "Infinity", "1,5"] {
            #expect(!AttributeValue.isValidNumber(invalid), "\(invalid)")
        }
    }
}

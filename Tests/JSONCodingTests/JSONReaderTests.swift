import JSONCoding
import Testing

/// The reader on JSONTestSuite-style cases (https://github.com/nst/JSONTestSuite: `y_` must be accepted,
/// `n_` refused), written out here with the value each accepted text must give.
struct JSONReaderTests {
    private func read(_ text: String) throws(JSONCodingError) -> JSONValue {
        try JSONReader.read(Array(text.utf8))
    }

    private func refusal(_ bytes: [UInt8]) -> JSONCodingError? {
        do {
            _ = try JSONReader.read(bytes)
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: [
        ("[]", JSONValue.array([])),
        ("{}", .object(JSONObject())),
        (" [1] ", .array([.number("1")])),
        ("\t\n\r [null,true,false]\n", .array([.null, .bool(true), .bool(false)])),
        ("\"\"", .string("")),
        ("0", .number("0")),
        ("-0", .number("-0")),
        ("-12.5e+3", .number("-12.5e+3")),
        ("1E-2", .number("1E-2")),
        ("[[[]]]", .array([.array([.array([])])])),
        ("\"\\u0000\"", .string("\u{0}")),
        ("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", .string("\"\\/\u{8}\u{c}\n\r\t")),
        ("\"\\u00e9\\u20AC\"", .string("é€")),
        ("\"\\ud83d\\ude00\"", .string("😀")),
        ("\"\\uDBFF\\uDFFF\"", .string("\u{10FFFF}")),
        ("\"é€😀\"", .string("é€😀")),
        ("\"\u{7F}\"", .string("\u{7F}")),
    ])
    func acceptsValidTexts(text: String, expected: JSONValue) throws {
        #expect(try read(text) == expected)
    }

    @Test func keepsObjectMembersInOrder() throws {
        guard case .object(let object) = try read(#"{"b":1,"a":{"c":[]},"":"x"}"#) else {
            Issue.record("not an object")
            return
        }
        #expect(object.keys == ["b", "a", ""])
        #expect(object["a"] == .object(try #require({ () -> JSONObject? in
            if case .object(let inner) = try? read(#"{"c":[]}"#) { return inner }
            return nil
        }())))
        #expect(object[""] == .string("x"))
        #expect(object["missing"] == nil)
    }

    @Test(arguments: [
        ("", JSONCodingError.Code.empty), (" ", .empty),
        ("[1,]", .syntax), ("{\"a\":1,}", .syntax), ("[1 2]", .syntax), ("{\"a\" 1}", .syntax), ("{a:1}", .syntax),
        ("{'a':1}", .syntax), ("[01]", .syntax), ("[-]", .syntax), ("[+1]", .syntax), ("[.5]", .syntax),
        ("[1.]", .syntax), ("[1e]", .syntax), ("[1e+]", .syntax), ("[-01]", .syntax), ("[0x10]", .syntax),
        ("NaN", .syntax), ("Infinity", .syntax), ("[-Infinity]", .syntax), ("tru", .syntax), ("nulll", .syntax),
        ("True", .syntax), ("[1] x", .syntax), ("[1][2]", .syntax), ("/* c */ 1", .syntax), ("[1] // c", .syntax),
        ("\"abc", .syntax), ("[\"a\\x\"]", .syntax), ("[\"\\u12\"]", .syntax), ("[\"\\u12G4\"]", .syntax),
        ("[\"a\tb\"]", .syntax), ("[\"a\nb\"]", .syntax), ("\"\\", .syntax), ("[", .syntax), ("{", .syntax),
        ("{\"a\"", .syntax), ("{\"a\":", .syntax), ("]", .syntax), ("[\"\\ud83d\"]", .invalidUnicode),
        ("[\"\\ude00\"]", .invalidUnicode), ("[\"\\ud83d\\u0041\"]", .invalidUnicode), ("[\"\\ud83dx\"]", .invalidUnicode),
        ("{\"a\":1,\"a\":2}", .duplicateKey), ("{\"a\":1,\"b\":{\"c\":1,\"c\":1}}", .duplicateKey),
    ])
    func refusesInvalidTexts(text: String, code: JSONCodingError.Code) {
        #expect(refusal(Array(text.utf8))?.code == code, "\(text.debugDescription)")
    }

    @Test(arguments: [
        [0x22, 0xFF, 0x22],  // never valid in UTF-8
        [0x22, 0xC0, 0xAF, 0x22],  // overlong '/'
        [0x22, 0xE0, 0x80, 0xAF, 0x22],  // overlong, three bytes
        [0x22, 0xED, 0xA0, 0x80, 0x22],  // an encoded surrogate (U+D800)
        [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22],  // past U+10FFFF
        [0x22, 0xC3, 0x22],  // truncated sequence
        [0x22, 0xE2, 0x82, 0x22],  // truncated sequence
        [0x22, 0x80, 0x22],  // a lone continuation byte
        [0x22, 0xF0, 0x9F, 0x98],  // truncated at the end of input
    ] as [[UInt8]])
    func refusesInvalidUTF8(bytes: [UInt8]) {
        #expect(refusal(bytes)?.code == .invalidUnicode, "\(bytes)")
    }

    @Test func refusesAByteOrderMarkAndBytesOutsideStrings() {
        #expect(refusal([0xEF, 0xBB, 0xBF] + Array("[]".utf8))?.code == .syntax)
        #expect(refusal(Array("[1]".utf8) + [0xC3, 0xA9])?.code == .syntax)
    }

    @Test func refusesDuplicatesInLargeObjectsToo() throws {
        // Past 16 members the reader checks with a set; the duplicate sits in each position.
        let keys = (0..<40).map { "k\($0)" }
        for duplicate in [0, 15, 16, 17, 39] {
            var members = keys.map { "\"\($0)\":1" }
            members.append("\"k\(duplicate)\":2")
            #expect(refusal(Array(("{" + members.joined(separator: ",") + "}").utf8))?.code == .duplicateKey)
        }
        let unique = try read("{" + keys.map { "\"\($0)\":1" }.joined(separator: ",") + "}")
        guard case .object(let object) = unique else {
            Issue.record("not an object")
            return
        }
        #expect(object.keys == keys)
    }

    @Test func nestingUpToTheLimitIsReadAndDeeperIsRefused() throws {
        let limit = JSONReader.maximumDepth
        var value = try read(String(repeating: "[", count: limit) + String(repeating: "]", count: limit))
        var depth = 0
        while case .array(let items) = value, let first = items.first {
            value = first
            depth += 1
        }
        #expect(depth == limit - 1)
        #expect(refusal(Array((String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1)).utf8))?.code == .tooDeep)
        #expect(refusal(Array((String(repeating: "{\"a\":", count: limit + 1) + "1" + String(repeating: "}", count: limit + 1)).utf8))?.code == .tooDeep)
        // A very deep unterminated input fails fast at the limit, without using the stack for the rest.
        #expect(refusal(Array(repeating: UInt8(ascii: "["), count: 1_000_000))?.code == .tooDeep)
    }

    @Test func errorsSayWhere() {
        let error = refusal(Array("[1, 2, x]".utf8))
        #expect(error?.offset == 7)
        #expect(error?.description.hasPrefix("syntax at byte 7:") == true)
    }

    @Test func numbersKeepTheirText() throws {
        for text in ["9223372036854775807", "-9223372036854775808", "18446744073709551616", "1e400", "5e-324", "0.1", "-0.0", "123456789012345678901234567890"] {
            #expect(try read(text) == .number(text))
        }
    }
}

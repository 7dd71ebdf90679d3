import JSONCoding
import TestSupport
import Testing

/// The writer: escapes exactly what RFC 8259 requires, and what it writes reads back the same.
struct JSONWriterTests {
    private func text(_ value: JSONValue, sortedKeys: Bool = false) -> String {
        String(decoding: JSONWriter.write(value, sortedKeys: sortedKeys), as: UTF8.self)
    }

    @Test func escapesQuotesBackslashesAndControlCharacters() {
        #expect(text(.string("a\"b\\c/d")) == #""a\"b\\c/d""#)
        #expect(text(.string("\n\r\t\u{8}\u{c}")) == #""\n\r\t\b\f""#)
        #expect(text(.string("\u{0}\u{1}\u{1F}\u{7F}")) == #""\u0000\u0001\u001f"# + "\u{7F}\"")
        #expect(text(.string("é€😀")) == "\"é€😀\"")
    }

    @Test func writesStructuresCompactlyInOrderOrSorted() throws {
        let value = try JSONReader.read(Array(#"{ "b" : [1, true, null], "a" : {"é": "x", "Z": -0.5e3} }"#.utf8))
        #expect(text(value) == #"{"b":[1,true,null],"a":{"é":"x","Z":-0.5e3}}"#)
        #expect(text(value, sortedKeys: true) == #"{"a":{"Z":-0.5e3,"é":"x"},"b":[1,true,null]}"#)
    }

    @Test func everyStringOfEveryPlaneRoundTrips() throws {
        var random = SplitMix64(seed: 13)
        for _ in 0..<2_000 {
            var scalars = String.UnicodeScalarView()
            for _ in 0..<Int(random.next() % 12) {
                // Each UTF-8 length and both sides of the surrogate gap.
                let ranges: [ClosedRange<UInt32>] = [0...0x7F, 0x80...0x7FF, 0x800...0xD7FF, 0xE000...0xFFFF, 0x10000...0x10FFFF]
                let range = ranges[Int(random.next() % UInt64(ranges.count))]
                let offset = UInt32(truncatingIfNeeded: random.next() % UInt64(range.upperBound - range.lowerBound + 1))
                scalars.append(try #require(Unicode.Scalar(range.lowerBound + offset)))
            }
            let string = String(scalars)
            #expect(try JSONReader.read(JSONWriter.write(.string(string))) == .string(string))
        }
    }
}

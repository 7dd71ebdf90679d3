import SystemSupport
import Testing

/// The one percent-encoding: RFC 3986 unreserved bytes stay, everything else becomes `%XX` uppercase.
@Suite struct PercentEncodingTests {
    @Test func connectionIDsAndRequestIDsAreOneSegment() {
        // (Moved from the Management API's seam tests: connection ids are base64 with `/`, `+`, `=`.)
        #expect(PercentEncoding.encodedSegment("a/b+c=") == "a%2Fb%2Bc%3D")
        #expect(PercentEncoding.encodedSegment("Ab9-_") == "Ab9-_")
        #expect(PercentEncoding.encodedSegment("8476a536-e9f4-11e8-9739-2dfe598c3fcd") == "8476a536-e9f4-11e8-9739-2dfe598c3fcd")
        #expect(PercentEncoding.encodedSegment("a b%~.é") == "a%20b%25~.%C3%A9")
        #expect(PercentEncoding.encodedSegment("") == "")
    }

    @Test func everyByteOnce() {
        var out: [UInt8] = []
        PercentEncoding.appendEncoded(Array(UInt8.min...UInt8.max), keepingSlash: true, to: &out)
        let text = String(decoding: out, as: UTF8.self)
        #expect(text.hasPrefix("%00%01%02"))
        #expect(text.contains("%2C-./0123456789%3A"))
        #expect(text.contains("xyz%7B%7C%7D~%7F%80") && text.hasSuffix("%FD%FE%FF"))
        // 67 bytes stay (62 alphanumerics, - _ . ~ and the kept /), the other 189 take three bytes each.
        #expect(out.count == 67 + 189 * 3)
    }

    @Test func asciiAlphanumeric() {
        let accepted = (UInt8.min...UInt8.max).filter(\.isASCIIAlphanumeric)
        #expect(accepted == Array(UInt8(ascii: "0")...UInt8(ascii: "9")) + Array(UInt8(ascii: "A")...UInt8(ascii: "Z"))
            + Array(UInt8(ascii: "a")...UInt8(ascii: "z")))
    }
}

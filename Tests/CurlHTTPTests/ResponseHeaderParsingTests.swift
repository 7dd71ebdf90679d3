@testable import CurlHTTP
import Testing

/// The response header lines kept as bytes and parsed when a response needs its fields.
@Suite struct ResponseHeaderParsingTests {
    private func parse(_ text: String) -> [String] {
        CurlTransfer.parseHeaderLines(Array(text.utf8)).fields.map { "\($0.name)=\($0.value)" }
    }

    @Test func fieldsKeepOrderCaseAndDuplicatesAndAreTrimmed() {
        #expect(parse("Content-Type: application/json\r\nX-Amzn-ErrorType:  GoneException \r\nSet-Cookie: a\r\nset-cookie: b\r\n\r\n")
            == ["Content-Type=application/json", "X-Amzn-ErrorType=GoneException", "Set-Cookie=a", "set-cookie=b"])
    }

    @Test func foldedLinesContinueTheFieldAndJunkIsSkipped() {
        #expect(parse("X-Long: one\r\n\t two \r\nno colon here\r\n  \r\nEmpty:\r\n") == ["X-Long=one two", "Empty="])
        #expect(parse(" leading fold\r\nA: 1\n") == ["A=1"])
        #expect(parse("").isEmpty)
    }

    @Test func contentLengthIsReadFromItsLineOnly() {
        func length(_ line: String) -> Int? {
            Array(line.utf8).withUnsafeBufferPointer { CurlTransfer.contentLength($0) }
        }
        #expect(length("Content-Length: 1234\r\n") == 1234)
        #expect(length("content-LENGTH:0\r\n") == 0)
        #expect(length("Content-Length: \r\n") == nil)
        #expect(length("Content-Length: 12a\r\n") == nil)
        #expect(length("Content-Length: 9999999999999999999\r\n") == nil)
        #expect(length("Content-Type: 12\r\n") == nil)
        #expect(length("Content-Lengthy: 12\r\n") == nil)
    }
}

@testable import CurlHTTP
import Testing

/// The byte-level checks every request passes before curl sees it.
@Suite struct RequestValidationTests {
    @Test func tokenBytesAreExactlyRFC9110Tchar() {
        let tchar = Set("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)
        for byte in UInt8.min...UInt8.max {
            #expect(CurlTransfer.isTokenByte(byte) == tchar.contains(byte), "byte \(byte)")
        }
    }

    @Test func schemesAreHTTPAndHTTPSInAnyCase() {
        for url in ["http://a", "https://a", "HTTP://a", "hTtPs://a/b?c"] { #expect(CurlTransfer.hasHTTPScheme(url), "\(url)") }
        for url in ["", "http", "http:/a", "https:/a", "httpx://a", "ftp://a", "http:a//", " http://a", "https//a", "httpss://a"] {
            #expect(!CurlTransfer.hasHTTPScheme(url), "\(url)")
        }
    }

    @Test func fieldsWithControlsOrBadNamesAreRefused() {
        let ok: [(name: String, value: String)] = [(name: "X-Amz-Date", value: "20261129T120000Z"), (name: "A", value: "tab\there"), (name: "E", value: "")]
        #expect(throws: Never.self) { try CurlTransfer.validateFields(ok, url: "http://h/") }
        for bad: (name: String, value: String) in [("", "v"), ("Bad Name", "v"), ("Bad:Name", "v"), ("Ü", "v"), ("N", "a\rb"), ("N", "a\nb"), ("N", "a\u{0}b"), ("N", "a\u{7F}")] {
            let error = #expect(throws: HTTPClientError.self) { try CurlTransfer.validateFields([bad], url: "http://h/") }
            #expect(error?.code == .invalidRequest)
        }
    }
}

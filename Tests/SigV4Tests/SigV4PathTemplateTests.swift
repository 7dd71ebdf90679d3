import Foundation
@testable import SigV4
import Testing
import TestSupport

/// `SigV4PathTemplate` must sign exactly as `SigV4Signer.sign(_:date:)` does for the full request.
@Suite struct SigV4PathTemplateTests {
    static let tokenSigner = SigV4Signer(
        credentials: AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", sessionToken: "FwoGZXIvYXdzEJr//////////token=="),
        region: "eu-west-1", service: "execute-api")
    static let plainSigner = SigV4Signer(
        credentials: AWSCredentials(accessKeyId: "AKIDPLAIN", secretAccessKey: "secret", sessionToken: ""),
        region: "us-east-1", service: "execute-api", normalizePath: true)

    /// The Authorization and X-Amz-Date the generic signer gives for `base + segment`.
    private func reference(
        _ signer: SigV4Signer, method: String, url: String, headers: [(name: String, value: String)], body: [UInt8], date: UnixTime
    ) throws -> (date: String?, authorization: String?, headers: [(name: String, value: String)]) {
        var request = try #require(SigV4Request(method: method, url: url, headers: headers, body: body))
        signer.sign(&request, date: date)
        return (request.header("X-Amz-Date"), request.header("Authorization"), request.headers)
    }

    @Test func signsEveryGeneratedRequestAsTheSignerDoes() throws {
        var random = SplitMix64(seed: 20261129)
        let bases = [
            "https://abc123.execute-api.eu-west-1.amazonaws.com/prod/%40connections/",
            "http://127.0.0.1:4510/local/%40connections/",
            "https://Host.Example:443/a/./b/../c//",
            "https://h.example/",
            "https://h.example/a/../",
            "https://h.example/%E2%82%AC/x%2Fy/",
        ]
        let headerSets: [[(name: String, value: String)]] = [
            [],
            [(name: "Content-Type", value: "application/json")],
            [(name: "zz-last", value: "  spaced   value "), (name: "A-First", value: "1"), (name: "a-first", value: "2")],
            [(name: "X-Amz-Date", value: "stale"), (name: "Authorization", value: "stale"), (name: "User-Agent", value: "ua")],
        ]
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~%=+!$'()*,;:@".utf8)
        var checked = 0
        for _ in 0..<400 {
            let signer = Bool.random(using: &random) ? Self.tokenSigner : Self.plainSigner
            let base = bases.randomElement(using: &random)!
            let headers = headerSets.randomElement(using: &random)!
            let body = (0..<Int.random(in: 0...40, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            let method = ["POST", "PUT", "GET"].randomElement(using: &random)!
            var segment = (0..<Int.random(in: 1...24, using: &random)).map { _ in alphabet.randomElement(using: &random)! }
            if segment.allSatisfy({ $0 == UInt8(ascii: ".") }) { segment.append(UInt8(ascii: "x")) }
            // Dates across a day boundary, so the template's day key is remade as the signer's would be.
            let date = UnixTime(timeIntervalSince1970: 1_764_374_390 + Double(Int.random(in: 0...20, using: &random)))
            let template = try #require(SigV4PathTemplate(signer: signer, method: method, baseURL: base, headers: headers, body: body))
            let url = base + String(decoding: segment, as: UTF8.self)
            let expected = try reference(signer, method: method, url: url, headers: headers, body: body, date: date)
            let signed = try #require(template.sign(segment: segment, date: date))
            #expect(signed.amzDate == expected.date, "\(url)")
            #expect(signed.authorization == expected.authorization, "\(url)")
            // Fixed fields + the two signed ones are exactly what the signer leaves on the request.
            let sent = (template.fixedHeaders + [(name: "X-Amz-Date", value: signed.amzDate), (name: "Authorization", value: signed.authorization)])
            #expect(Set(sent.map { "\($0.name.lowercased()):\($0.value)" }) == Set(expected.headers.map { "\($0.name.lowercased()):\($0.value)" }))
            checked += 1
        }
        #expect(checked == 400)
    }

    @Test func oneTemplateSignsManySegmentsAndDays() throws {
        let base = "https://abc.execute-api.eu-west-1.amazonaws.com/prod/%40connections/"
        let body = Array(#"{"visits":42,"live":3}"#.utf8)
        let template = try #require(SigV4PathTemplate(signer: Self.tokenSigner, method: "POST", baseURL: base, body: body))
        let start = 1_764_374_000.0  // 2025-11-28T23:53:20Z: the run crosses midnight
        var authorizations = Set<String>()
        for index in 0..<1_000 {
            let id = "c\(index)A%3D"
            let date = UnixTime(timeIntervalSince1970: start + Double(index))
            let expected = try reference(Self.tokenSigner, method: "POST", url: base + id, headers: [], body: body, date: date)
            let signed = try #require(template.sign(segment: Array(id.utf8), date: date))
            #expect(signed.authorization == expected.authorization)
            #expect(signed.amzDate == expected.date)
            authorizations.insert(signed.authorization)
        }
        #expect(authorizations.count == 1_000)
    }

    @Test func matchesTheAWSExampleKeyAndScope() throws {
        // The test suite's credentials and date (get-vanilla): the scope and key come from the same code.
        let signer = SigV4Signer(
            credentials: AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
            region: "us-east-1", service: "service")
        let template = try #require(SigV4PathTemplate(signer: signer, method: "GET", baseURL: "https://example.amazonaws.com/", body: []))
        let date = UnixTime(timeIntervalSince1970: 1_440_938_160)  // 20150830T123600Z
        let signed = try #require(template.sign(segment: Array("x".utf8), date: date))
        let expected = try reference(signer, method: "GET", url: "https://example.amazonaws.com/x", headers: [], body: [], date: date)
        #expect(signed.amzDate == "20150830T123600Z")
        #expect(signed.authorization == expected.authorization)
        #expect(signed.authorization.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature="))
    }

    @Test func refusesBaseURLsItCannotExtend() {
        for base in ["https://h.example/prod", "https://h.example/a?x=1/", "https://h.example/a#f/", "ftp://h.example/a/",
                     "h.example/a/", "https://h.example/a b/", "https:///a/"] {
            #expect(SigV4PathTemplate(signer: Self.tokenSigner, method: "POST", baseURL: base, body: []) == nil, "\(base)")
        }
    }

    @Test func refusesSegmentsThatAreNotOnePlainSegment() throws {
        let template = try #require(SigV4PathTemplate(signer: Self.plainSigner, method: "POST", baseURL: "https://h.example/a/", body: []))
        let date = UnixTime(timeIntervalSince1970: 1_764_374_390)
        for segment in ["", ".", "..", "a/b", "a?b", "a#b", "a b", "a\u{7F}", "é", "a\nb"] {
            #expect(template.sign(segment: Array(segment.utf8), date: date) == nil, "\(segment.debugDescription)")
        }
        for segment in ["...", ".a", "a.", "%2E%2E", "~"] {
            #expect(template.sign(segment: Array(segment.utf8), date: date) != nil, "\(segment)")
        }
    }

    @Test func theTokenIsAFixedFieldAndNeverInTheSignedValues() throws {
        let template = try #require(SigV4PathTemplate(signer: Self.tokenSigner, method: "POST", baseURL: "https://h.example/p/", body: [1]))
        #expect(template.fixedHeaders.map(\.name) == ["Host", "X-Amz-Security-Token"])
        #expect(template.fixedHeaders.first?.value == "h.example")
        let signed = try #require(template.sign(segment: Array("id".utf8), date: .now()))
        #expect(!signed.authorization.contains(Self.tokenSigner.credentials.sessionToken!))
        #expect(!signed.authorization.contains(Self.tokenSigner.credentials.secretAccessKey))
        #expect(signed.authorization.contains("SignedHeaders=host;x-amz-date;x-amz-security-token,"))
    }
}

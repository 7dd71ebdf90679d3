import Foundation
import SigV4
import Testing
import TestSupport

/// Behaviour the suite and the cross-check do not pin: re-signing, stale fields, query spellings,
/// dates, path normalization, and keeping secrets out of descriptions.
@Suite struct SigV4SignerBehaviourTests {
    static let credentials = AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret", sessionToken: "tok")
    static let signer = SigV4Signer(credentials: credentials, region: "us-east-1", service: "dynamodb")

    private func lines(_ request: SigV4Request, _ signer: SigV4Signer = signer) -> [Substring] {
        signer.canonicalRequest(request).split(separator: "\n", omittingEmptySubsequences: false)
    }

    @Test func signingAgainReplacesTheFieldsItAdded() throws {
        var request = try #require(SigV4Request(method: "POST", url: "https://h.example/", body: [1]))
        Self.signer.sign(&request, date: UnixTime(secondsSince1970: 1_000_000_000))
        Self.signer.sign(&request, date: UnixTime(secondsSince1970: 1_700_000_000))
        var fresh = try #require(SigV4Request(method: "POST", url: "https://h.example/", body: [1]))
        Self.signer.sign(&fresh, date: UnixTime(secondsSince1970: 1_700_000_000))

        #expect(request.headers.filter { $0.name == "Authorization" }.count == 1)
        #expect(request.headers.filter { $0.name == "X-Amz-Date" }.count == 1)
        #expect(request.headers.filter { $0.name == "X-Amz-Security-Token" }.count == 1)
        #expect(request.header("Authorization") == fresh.header("Authorization"))
        #expect(request.header("X-Amz-Date") == "20231114T221320Z")
    }

    @Test func replacesStaleFieldsInAnyCase() throws {
        var request = try #require(SigV4Request(method: "GET", url: "https://h.example/", headers: [
            (name: "authorization", value: "old"), (name: "X-AMZ-DATE", value: "old"),
            (name: "x-amz-security-token", value: "old"),
        ]))
        Self.signer.sign(&request, date: UnixTime(secondsSince1970: 0))
        #expect(request.headers.map(\.name) == ["Host", "X-Amz-Date", "X-Amz-Security-Token", "Authorization"])
        #expect(request.header("x-amz-security-token") == "tok")
    }

    @Test func withoutCredentialTokenAnExistingTokenFieldIsKeptAndSigned() throws {
        let signer = SigV4Signer(
            credentials: AWSCredentials(accessKeyId: "A", secretAccessKey: "s", sessionToken: ""),
            region: "r", service: "s")
        var request = try #require(SigV4Request(method: "GET", url: "https://h.example/", headers: [
            (name: "X-Amz-Security-Token", value: "caller's"),
        ]))
        signer.sign(&request, date: UnixTime(secondsSince1970: 0))
        #expect(request.header("X-Amz-Security-Token") == "caller's")
        #expect(request.header("Authorization")?.contains("SignedHeaders=host;x-amz-date;x-amz-security-token,") == true)
    }

    @Test func queryNamesAndValuesGetOneCanonicalSpelling() {
        let request = SigV4Request(
            method: "GET", path: "/", query: "b=%7e&a=%e1%88%b4&c=x+y&d&e=%zz&a=%41&&f=%2",
            headers: [(name: "Host", value: "h")])
        #expect(lines(request)[2] == "=&a=%E1%88%B4&a=A&b=~&c=x%2By&d=&e=%25zz&f=%252")
    }

    @Test func unsignedAndHopByHopFieldsAreLeftOut() {
        let request = SigV4Request(method: "GET", path: "/", headers: [
            (name: "Host", value: "h"), (name: "User-Agent", value: "x"), (name: "Expect", value: "100-continue"),
            (name: "Authorization", value: "x"), (name: "X-Amzn-Trace-Id", value: "x"), (name: "Connection", value: "close"),
        ])
        #expect(lines(request)[3...5] == ["host:h", "", "host"])
    }

    @Test(arguments: [
        ("/a/./b/../c//", "/a/c/"), ("/..", "/"), ("//", "/"), ("", "/"), ("/a/b/..", "/a"), ("/%2E%2E/x", "/%252E%252E/x"),
    ])
    func normalizesPathsWhenAsked(_ path: String, _ canonical: String) {
        let signer = SigV4Signer(credentials: Self.credentials, region: "r", service: "s", normalizePath: true)
        #expect(lines(SigV4Request(method: "GET", path: path, headers: []), signer)[1] == Substring(canonical))
    }

    @Test func requestTimeMatchesFoundationsCalendarForManyDates() throws {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withYear, .withMonth, .withDay, .withTime, .withTimeZone]
        var rng = SplitMix64(seed: 42)
        // From 1600 on: Foundation's calendar is Julian before the 1582 cutover, while SigV4 (ISO 8601)
        // and our code use the proleptic Gregorian calendar.
        let dates = [-11_676_096_000, -1, 0, 68_256_000, 951_782_400, 253_402_300_799]
            + (0..<2000).map { _ in Int64.random(in: -11_676_096_000...253_402_300_799, using: &rng) }
        for seconds in dates {
            let date = UnixTime(timeIntervalSince1970: Double(seconds) + 0.75)
            var request = SigV4Request(method: "GET", path: "/", headers: [])
            Self.signer.sign(&request, date: date)
            // These options give Foundation's basic format in UTC, e.g. 20240229T235959Z.
            let expected = formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
            #expect(request.header("X-Amz-Date") == expected, "\(seconds)")
        }
    }

    @Test func descriptionsNeverShowTheSecretOrTheToken() {
        let credentials = AWSCredentials(accessKeyId: "AKIDSHOWN", secretAccessKey: "SECRET-VALUE", sessionToken: "TOKEN-VALUE")
        var dumped = ""
        dump(credentials, to: &dumped)
        for text in ["\(credentials)", String(reflecting: credentials), dumped] {
            #expect(text.contains("AKIDSHOWN"))
            #expect(!text.contains("SECRET-VALUE") && !text.contains("TOKEN-VALUE"))
        }
    }
}

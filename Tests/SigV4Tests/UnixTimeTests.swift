import Foundation
import SigV4
import Testing

/// `UnixTime`, the signer's clock: the C library's wall clock in whole seconds, as Foundation's `Date` gave it.
struct UnixTimeTests {
    @Test func nowIsFoundationsNowInWholeSeconds() {
        let before = Int64(Date().timeIntervalSince1970.rounded(.down))
        let now = UnixTime.now().secondsSince1970
        let after = Int64(Date().timeIntervalSince1970.rounded(.down))
        #expect(before <= now && now <= after)
    }

    @Test func fractionsGoTowardsThePastAndOddValuesClamp() {
        #expect(UnixTime(timeIntervalSince1970: 1.75).secondsSince1970 == 1)
        #expect(UnixTime(timeIntervalSince1970: -1.25).secondsSince1970 == -2)
        #expect(UnixTime(timeIntervalSince1970: .nan).secondsSince1970 == 0)
        #expect(UnixTime(timeIntervalSince1970: .infinity).secondsSince1970 > 9_000_000_000_000_000_000)
        #expect(UnixTime(timeIntervalSince1970: -.infinity).secondsSince1970 < -9_000_000_000_000_000_000)
        #expect(UnixTime(secondsSince1970: 10).adding(seconds: -11) == UnixTime(secondsSince1970: -1))
        #expect(UnixTime(secondsSince1970: 1) < UnixTime(secondsSince1970: 2))
    }

    @Test func datesPastTheFourDigitYearsAreSignedAtTheEdges() throws {
        // AMZDate clamps to 0001-01-01T00:00:00Z ... 9999-12-31T23:59:59Z (the format has four-digit years).
        let signer = SigV4Signer(
            credentials: AWSCredentials(accessKeyId: "AKID", secretAccessKey: "secret", sessionToken: nil), region: "us-east-1",
            service: "execute-api")
        for (time, expected) in [(Int64.max, "99991231T235959Z"), (Int64.min, "00010101T000000Z")] {
            var request = try #require(SigV4Request(method: "GET", url: "https://example.com/", headers: [], body: []))
            signer.sign(&request, date: UnixTime(secondsSince1970: time))
            #expect(request.headers.first { $0.name == "X-Amz-Date" }?.value == expected)
        }
    }
}

import Foundation
import SigV4
import Testing

@testable import LocalGateway

/// The Management API's signature check against requests signed by our own signer (pure tier; the
/// end-to-end tests sign with botocore).
struct SignatureVerifierTests {
    let credentials = AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret", sessionToken: "token")
    let date = UnixTime(secondsSince1970: 1_732_871_415)

    func signed(path: String = "/local/%40connections/abc%3D", body: [UInt8] = Array("hi".utf8)) -> SigV4Request {
        var request = SigV4Request(method: "POST", path: path, headers: [(name: "host", value: "127.0.0.1:8080")], body: body)
        SigV4Signer(credentials: credentials, region: "us-east-1", service: "execute-api").sign(&request, date: date)
        return request
    }

    func verify(_ request: SigV4Request, with verifier: SignatureVerifier) -> String? {
        do {
            try verifier.verify(
                method: request.method, path: request.path, query: request.query, headers: request.headers,
                body: request.body)
            return nil
        } catch {
            return error.message
        }
    }

    @Test func acceptsItsOwnSignature() {
        #expect(verify(signed(), with: SignatureVerifier(credentials: credentials, region: "us-east-1")) == nil)
    }

    @Test func refusesATamperedBodyPathOrWrongKey() {
        let verifier = SignatureVerifier(credentials: credentials, region: "us-east-1")
        var tampered = signed()
        tampered.body = Array("ho".utf8)
        #expect(verify(tampered, with: verifier)?.contains("signature") == true)
        var moved = signed()
        moved.path = "/local/%40connections/abd%3D"
        #expect(verify(moved, with: verifier) != nil)
        let other = AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "other", sessionToken: "token")
        #expect(verify(signed(), with: SignatureVerifier(credentials: other, region: "us-east-1")) != nil)
        #expect(verify(signed(), with: SignatureVerifier(credentials: credentials, region: "eu-west-1")) != nil)
    }

    @Test func refusesAnUnsignedRequest() {
        let request = SigV4Request(method: "GET", path: "/local/%40connections/abc%3D", headers: [(name: "host", value: "h")])
        #expect(verify(request, with: SignatureVerifier(credentials: credentials, region: "us-east-1")) == "Missing Authentication Token")
    }

    @Test func parsesAmzDates() {
        #expect(SignatureVerifier.date("20241129T091015Z")?.timeIntervalSince1970 == Double(date.secondsSince1970))
        #expect(SignatureVerifier.date("2024-11-29") == nil)
    }
}

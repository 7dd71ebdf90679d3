import Foundation
@testable import SigV4
import Testing

/// The day's signing key kept between signatures (`sign(_:date:signingKey:)`) and the HMAC under it.
@Suite struct SigV4SigningKeyTests {
    static let signer = SigV4Signer(
        credentials: AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret", sessionToken: "tok"),
        region: "eu-west-1", service: "execute-api")
    static let dayOne = UnixTime(secondsSince1970: 1_732_871_415)  // 2024-11-29T09:10:15Z
    static let dayTwo = UnixTime(secondsSince1970: 1_732_871_415 + 86_400)

    private func authorization(_ signer: SigV4Signer, _ date: UnixTime, key: inout SigV4Signer.SigningKey?) throws -> String? {
        var request = try #require(SigV4Request(method: "POST", url: "https://h.example/prod/%40connections/a%3D", body: [1, 2]))
        signer.sign(&request, date: date, signingKey: &key)
        return request.header("Authorization")
    }

    private func fresh(_ signer: SigV4Signer, _ date: UnixTime) throws -> String? {
        var request = try #require(SigV4Request(method: "POST", url: "https://h.example/prod/%40connections/a%3D", body: [1, 2]))
        signer.sign(&request, date: date)
        return request.header("Authorization")
    }

    @Test func aKeptKeySignsAsAFreshOneAndIsReusedWithinTheDay() throws {
        var key: SigV4Signer.SigningKey?
        let first = try authorization(Self.signer, Self.dayOne, key: &key)
        let derived = try #require(key)
        let second = try authorization(Self.signer, Self.dayOne.adding(seconds: 3_600), key: &key)
        #expect(first == (try fresh(Self.signer, Self.dayOne)))
        #expect(second == (try fresh(Self.signer, Self.dayOne.adding(seconds: 3_600))))
        #expect(key?.bytes == derived.bytes)
        #expect(String(decoding: derived.day, as: UTF8.self) == "20241129")
    }

    @Test func theNextDayDerivesANewKey() throws {
        var key: SigV4Signer.SigningKey?
        _ = try authorization(Self.signer, Self.dayOne, key: &key)
        let before = key?.bytes
        let signed = try authorization(Self.signer, Self.dayTwo, key: &key)
        #expect(signed == (try fresh(Self.signer, Self.dayTwo)))
        #expect(key?.bytes != before)
        #expect(key.map { String(decoding: $0.day, as: UTF8.self) } == "20241130")
    }

    @Test func aKeyOfAnotherSignerIsNotUsed() throws {
        let others = [
            SigV4Signer(credentials: AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "other", sessionToken: nil),
                        region: "eu-west-1", service: "execute-api"),
            SigV4Signer(credentials: Self.signer.credentials, region: "us-east-1", service: "execute-api"),
            SigV4Signer(credentials: Self.signer.credentials, region: "eu-west-1", service: "dynamodb"),
            SigV4Signer(credentials: AWSCredentials(accessKeyId: "AKIDOTHER", secretAccessKey: "secret", sessionToken: nil),
                        region: "eu-west-1", service: "execute-api"),
        ]
        for other in others {
            var key: SigV4Signer.SigningKey?
            _ = try authorization(Self.signer, Self.dayOne, key: &key)
            #expect(try authorization(other, Self.dayOne, key: &key) == (try fresh(other, Self.dayOne)))
        }
    }

    /// RFC 4231 test cases 1, 2 and 6 (a key longer than the block size is hashed first).
    @Test(arguments: [
        ([UInt8](repeating: 0x0B, count: 20), Array("Hi There".utf8),
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        (Array("Jefe".utf8), Array("what do ya want for nothing?".utf8),
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        ([UInt8](repeating: 0xAA, count: 131), Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
    ])
    func hmacMatchesRFC4231(key: [UInt8], data: [UInt8], expected: String) {
        #expect(Hex.lowercase(Digest.hmacSHA256(key: key, data: data)) == expected)
    }

    @Test func sha256MatchesFIPS180() {
        #expect(Hex.lowercase(Digest.sha256(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Hex.lowercase(Digest.sha256([])) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }
}

import Foundation
import SigV4
import Testing

/// Requests this project sends that AWS's suite does not cover: Management API paths with escaped
/// bytes (the non-S3 double encoding), a session token, and a DynamoDB JSON 1.0 call.
///
/// Expected values were derived independently, once: the canonical requests were typed out by hand
/// following https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
/// and hashed/HMAC'd with Python's hashlib/hmac; every signature was then confirmed by botocore 1.43
/// (vctools/fixtures/botocore_sign.py). Time: 2024-02-29T23:59:59Z (a leap day, one second before March).
@Suite struct SigV4GoldenTests {
    static let date = UnixTime(secondsSince1970: 1_709_251_199)
    static let accessKey = "AKIDEXAMPLE"
    static let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
    static let token = "IQoJb3JpZ2luX2VjEXAMPLE//////////wEaCXVzLWVhc3QtMSJHMEUCIQD+example/token=="
    static let endpoint = "https://abc123defg.execute-api.eu-west-1.amazonaws.com"

    struct PostToConnection: Sendable, CustomTestStringConvertible {
        var connectionId: String, wireId: String, canonicalId: String, stringToSignHash: String, signature: String
        var testDescription: String { connectionId }
    }

    static let connections = [
        PostToConnection(
            connectionId: "LLOXxdOBrPEAbBw=", wireId: "LLOXxdOBrPEAbBw%3D", canonicalId: "LLOXxdOBrPEAbBw%253D",
            stringToSignHash: "99a0052332d26187c9a0e63c7a4a649642cfc36e913f8c69438f5998eb31fba4",
            signature: "0199f52be9eced402c318d7b6e71f365420b5e2ba2fe7e326f396eb2c769cd1e"),
        PostToConnection(
            connectionId: "Ab-Cd_EfGhIjKlM=", wireId: "Ab-Cd_EfGhIjKlM%3D", canonicalId: "Ab-Cd_EfGhIjKlM%253D",
            stringToSignHash: "f3afa642d9922d405f8db47c1268f96f96cae826416c776d98d546c5df87ac64",
            signature: "fa99f112c2a29c35677c3e37b8237e86f30e5f237d10b611f8f2897ea5c1b39e"),
        PostToConnection(
            connectionId: "_-x-_y_Zz09-AAA=", wireId: "_-x-_y_Zz09-AAA%3D", canonicalId: "_-x-_y_Zz09-AAA%253D",
            stringToSignHash: "789d7141e6175af6a00146c5acfdfb72d51c02f103cd351693d9ed7070ea92e8",
            signature: "29c9aecd077fe800b483bb44f95b0e5f36fe5d1434ff4b757d213047ecf5cb20"),
    ]

    @Test(arguments: connections)
    func postToConnection(_ golden: PostToConnection) throws {
        let signer = SigV4Signer(
            credentials: AWSCredentials(accessKeyId: Self.accessKey, secretAccessKey: Self.secret),
            region: "eu-west-1", service: "execute-api")
        var request = try #require(SigV4Request(
            method: "POST", url: "\(Self.endpoint)/prod/%40connections/\(golden.wireId)",
            headers: [(name: "Content-Type", value: "application/json")], body: Array(#"{"visits":42}"#.utf8)))
        signer.sign(&request, date: Self.date)

        let canonical = signer.canonicalRequest(request)
        #expect(canonical == """
            POST
            /prod/%2540connections/\(golden.canonicalId)

            content-type:application/json
            host:abc123defg.execute-api.eu-west-1.amazonaws.com
            x-amz-date:20240229T235959Z

            content-type;host;x-amz-date
            d9f1c38b4d9fe52c01e3f10910d41824590c59b827746d313ea38856221e53d5
            """)
        #expect(signer.stringToSign(canonicalRequest: canonical, date: Self.date) == """
            AWS4-HMAC-SHA256
            20240229T235959Z
            20240229/eu-west-1/execute-api/aws4_request
            \(golden.stringToSignHash)
            """)
        #expect(request.header("X-Amz-Date") == "20240229T235959Z")
        #expect(request.header("X-Amz-Security-Token") == nil)
        #expect(request.header("Authorization") == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240229/eu-west-1/"
            + "execute-api/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=\(golden.signature)")
    }

    @Test func getConnectionWithSessionToken() throws {
        let signer = SigV4Signer(
            credentials: AWSCredentials(accessKeyId: Self.accessKey, secretAccessKey: Self.secret, sessionToken: Self.token),
            region: "eu-west-1", service: "execute-api")
        var request = try #require(SigV4Request(method: "GET", url: "\(Self.endpoint)/prod/%40connections/LLOXxdOBrPEAbBw%3D"))
        signer.sign(&request, date: Self.date)

        #expect(signer.canonicalRequest(request) == """
            GET
            /prod/%2540connections/LLOXxdOBrPEAbBw%253D

            host:abc123defg.execute-api.eu-west-1.amazonaws.com
            x-amz-date:20240229T235959Z
            x-amz-security-token:\(Self.token)

            host;x-amz-date;x-amz-security-token
            e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            """)
        #expect(request.header("X-Amz-Security-Token") == Self.token)
        #expect(request.header("Authorization") == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240229/eu-west-1/"
            + "execute-api/aws4_request, SignedHeaders=host;x-amz-date;x-amz-security-token, "
            + "Signature=1a5ef59c0c51b4d9d2604a6a8672be2bd33358b136130449b4184bc7aba0fdbe")
    }

    @Test func dynamoDBGetItem() throws {
        let signer = SigV4Signer(
            credentials: AWSCredentials(accessKeyId: Self.accessKey, secretAccessKey: Self.secret, sessionToken: Self.token),
            region: "us-east-1", service: "dynamodb")
        let body = #"{"TableName":"VisitorCount","Key":{"id":{"S":"visitors"}},"ConsistentRead":true}"#
        var request = try #require(SigV4Request(
            method: "POST", url: "https://dynamodb.us-east-1.amazonaws.com/",
            headers: [
                (name: "Content-Type", value: "application/x-amz-json-1.0"),
                (name: "X-Amz-Target", value: "DynamoDB_20120810.GetItem"),
            ],
            body: Array(body.utf8)))
        signer.sign(&request, date: Self.date)

        let canonical = signer.canonicalRequest(request)
        #expect(canonical == """
            POST
            /

            content-type:application/x-amz-json-1.0
            host:dynamodb.us-east-1.amazonaws.com
            x-amz-date:20240229T235959Z
            x-amz-security-token:\(Self.token)
            x-amz-target:DynamoDB_20120810.GetItem

            content-type;host;x-amz-date;x-amz-security-token;x-amz-target
            64ce759beb2dc747c1e4ba114060c7c08b90bd86c9441c8a2b698cf5c6526ac7
            """)
        let stringToSign = signer.stringToSign(canonicalRequest: canonical, date: Self.date)
        #expect(stringToSign.hasSuffix("c9e980cc46ced5aeca88094ab369f4ba6350b2f16b603769bc94c548643b4da7"))
        #expect(signer.signature(stringToSign: stringToSign, date: Self.date)
            == "695fe0a3dafa09a293b4b6cab9bdddaea1263178a48ca09e7a906d2729482e64")
        #expect(request.header("Authorization") == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240229/us-east-1/"
            + "dynamodb/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, "
            + "Signature=695fe0a3dafa09a293b4b6cab9bdddaea1263178a48ca09e7a906d2729482e64")
    }
}

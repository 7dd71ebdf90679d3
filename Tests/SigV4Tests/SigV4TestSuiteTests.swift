import Foundation
import SigV4
import Testing

/// AWS's own SigV4 test vectors (aws-c-auth's v4 suite): every case folder is one test case.
@Suite struct SigV4TestSuiteTests {
    /// The suite at the pinned commit (see SOURCE.md) has 38 v4 cases; a lost folder must fail here
    /// rather than silently shrink the parameterized test below.
    @Test func everyCaseFolderIsPresent() {
        #expect(SuiteCase.folderNames().count == 38)
    }

    @Test(arguments: SuiteCase.folderNames())
    func matchesTheSuite(_ name: String) throws {
        let suiteCase = try SuiteCase(name: name)
        let context = suiteCase.context
        var request = suiteCase.request
        if context.sign_body {
            // aws-c-auth's "sign_body" adds x-amz-content-sha256; our signer leaves that header to the
            // caller (DynamoDB and execute-api do not need it), so the test adds it as a caller would.
            request.headers.append((name: "x-amz-content-sha256", value: payloadHash(request.body)))
        }
        // "omit_session_token": the token is sent but not signed (added after signing). Our signer
        // always signs a token, so sign without it and add the header afterwards, as the suite does.
        let omitToken = context.omit_session_token == true
        let credentials = AWSCredentials(
            accessKeyId: context.credentials.access_key_id,
            secretAccessKey: context.credentials.secret_access_key,
            sessionToken: omitToken ? nil : context.credentials.token
        )
        let signer = SigV4Signer(
            credentials: credentials, region: context.region, service: context.service,
            normalizePath: context.normalize
        )

        signer.sign(&request, date: suiteCase.date)
        let canonicalRequest = signer.canonicalRequest(request)
        if omitToken, let token = context.credentials.token {
            request.headers.append((name: "X-Amz-Security-Token", value: token))
        }

        #expect(canonicalRequest == suiteCase.expectedCanonicalRequest)
        let stringToSign = signer.stringToSign(canonicalRequest: canonicalRequest, date: suiteCase.date)
        #expect(stringToSign == suiteCase.expectedStringToSign)
        #expect(signer.signature(stringToSign: stringToSign, date: suiteCase.date) == suiteCase.expectedSignature)
        // The whole signed request: same fields (Authorization, X-Amz-Date, token, ...) with the same values.
        #expect(fieldSet(request) == fieldSet(suiteCase.expectedSignedRequest))
        #expect(request.header("Authorization")?.hasSuffix("Signature=\(suiteCase.expectedSignature)") == true)
    }

    /// Lowercased names with their values, sorted: the signed request's fields regardless of order.
    private func fieldSet(_ request: SigV4Request) -> [String] {
        request.headers.map { "\($0.name.lowercased()):\($0.value)" }.sorted()
    }
}

/// The hex SHA-256 of `body`, read off the last line of a canonical request (the payload hash), so the
/// tests need no SHA-256 of their own; the suite's expected canonical requests check that line.
func payloadHash(_ body: [UInt8]) -> String {
    let signer = SigV4Signer(credentials: AWSCredentials(accessKeyId: "a", secretAccessKey: "b"), region: "r", service: "s")
    let canonical = signer.canonicalRequest(SigV4Request(method: "GET", path: "/", headers: [], body: body))
    return String(canonical.split(separator: "\n", omittingEmptySubsequences: false).last ?? "")
}

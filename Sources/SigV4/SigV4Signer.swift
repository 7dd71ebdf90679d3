/// Signs requests with AWS Signature Version 4 (header form, non-S3 services such as `dynamodb` and
/// `execute-api`). A value type with no I/O and no shared mutable state: create one per credentials
/// and use it from any thread; the date is passed in so tests can pin it.
///
/// The steps follow https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html:
/// canonical request → string to sign → signing key → signature.
public struct SigV4Signer: Sendable {
    /// The algorithm name that starts the string to sign and the Authorization header.
    static let algorithm = "AWS4-HMAC-SHA256"

    /// The credentials requests are signed with.
    public let credentials: AWSCredentials
    /// The region of the credential scope, e.g. `us-east-1`.
    public let region: String
    /// The service of the credential scope, e.g. `dynamodb` or `execute-api`.
    public let service: String
    /// Whether the canonical URI removes dot segments and repeated slashes first (AWS services other
    /// than S3 expect it; it only matters for paths that contain `.`/`..` segments or `//`).
    package let normalizePath: Bool

    /// Creates a signer for one credential scope.
    public init(credentials: AWSCredentials, region: String, service: String, normalizePath: Bool = false) {
        self.credentials = credentials
        self.region = region
        self.service = service
        self.normalizePath = normalizePath
    }

    /// Adds `X-Amz-Date`, `X-Amz-Security-Token` (when the credentials have a token) and
    /// `Authorization`, replacing any earlier ones, so a retried request can simply be signed again.
    public func sign(_ request: inout SigV4Request, date: UnixTime) {
        var key: SigningKey?
        sign(&request, date: date, signingKey: &key)
    }

    /// `sign(_:date:)` with the signing key kept in `signingKey` between calls: derived when it is nil or
    /// was made for another day or another signer, reused otherwise (it only changes at 00:00 UTC).
    /// The owner of a long-lived signer keeps the variable, so a fan-out signs each message with one HMAC
    /// for the signature instead of five.
    public func sign(_ request: inout SigV4Request, date: UnixTime, signingKey: inout SigningKey?) {
        let amzDate = AMZDate(date)
        request.headers = signedFields(request.headers, amzDate: amzDate.dateTimeString)

        let canonical = canonicalRequestBytes(request)
        let stringToSign = stringToSignBytes(canonicalRequestHash: Digest.sha256(canonical.bytes), date: amzDate)
        let key = signingKey.flatMap { $0.isValid(for: self, day: amzDate.date) ? $0 : nil } ?? SigningKey(signer: self, day: amzDate.date)
        signingKey = key
        let signature = Digest.hmacSHA256(key: key.bytes, data: stringToSign)

        var authorization: [UInt8] = []
        appendAuthorizationPrefix(date: amzDate, signedHeaders: canonical.signedHeaders, to: &authorization)
        Hex.appendLowercase(signature, to: &authorization)
        request.headers.append((name: "Authorization", value: String(decoding: authorization, as: UTF8.self)))
    }

    /// The fields a request is signed with: `headers` without any earlier signing fields, then `X-Amz-Date`
    /// and, when the credentials have one, `X-Amz-Security-Token`. `sign` and `SigV4PathTemplate` both use it.
    func signedFields(_ headers: [(name: String, value: String)], amzDate: String) -> [(name: String, value: String)] {
        var fields = removingSigningFields(headers)
        fields.append((name: "X-Amz-Date", value: amzDate))
        if let token = credentials.effectiveSessionToken { fields.append((name: "X-Amz-Security-Token", value: token)) }
        return fields
    }

    /// `headers` without the fields signing adds (`Authorization`, `X-Amz-Date`, and `X-Amz-Security-Token`
    /// when the credentials have a token), so that signing again replaces them.
    func removingSigningFields(_ headers: [(name: String, value: String)]) -> [(name: String, value: String)] {
        let hasToken = credentials.effectiveSessionToken != nil
        return headers.filter { header in
            !(ASCII.equalsIgnoringCase(header.name, "authorization") || ASCII.equalsIgnoringCase(header.name, "x-amz-date")
                || (hasToken && ASCII.equalsIgnoringCase(header.name, "x-amz-security-token")))
        }
    }

    /// The Authorization value up to the signature:
    /// `AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/service/aws4_request, SignedHeaders=..., Signature=`.
    func appendAuthorizationPrefix(date: AMZDate, signedHeaders: [UInt8], to out: inout [UInt8]) {
        out.append(contentsOf: "\(Self.algorithm) Credential=\(credentials.accessKeyId)/".utf8)
        appendScope(date: date, to: &out)
        out.append(contentsOf: ", SignedHeaders=".utf8)
        out.append(contentsOf: signedHeaders)
        out.append(contentsOf: ", Signature=".utf8)
    }

    /// Step 2, the string to sign: algorithm, request time, credential scope and the hex SHA-256 of the
    /// canonical request, one per line.
    public func stringToSign(canonicalRequest: String, date: UnixTime) -> String {
        let hash = Digest.sha256(Array(canonicalRequest.utf8))
        return String(decoding: stringToSignBytes(canonicalRequestHash: hash, date: AMZDate(date)), as: UTF8.self)
    }

    /// Steps 3 and 4: the signature of `stringToSign` under the signing key of `date`, lowercase hex.
    public func signature(stringToSign: String, date: UnixTime) -> String {
        Hex.lowercase(Digest.hmacSHA256(key: signingKey(date: AMZDate(date)), data: Array(stringToSign.utf8)))
    }

    /// The string to sign as bytes, from the canonical request's hash (what `sign` uses, without Strings).
    func stringToSignBytes(canonicalRequestHash: [UInt8], date: AMZDate) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(160)
        appendStringToSign(canonicalRequestHash: canonicalRequestHash, date: date, to: &out)
        return out
    }

    /// Appends the string to sign (for callers that reuse one buffer).
    func appendStringToSign(canonicalRequestHash: some Collection<UInt8>, date: AMZDate, to out: inout [UInt8]) {
        out.append(contentsOf: Self.algorithm.utf8)
        out.append(UInt8(ascii: "\n"))
        out.append(contentsOf: date.dateTime)
        out.append(UInt8(ascii: "\n"))
        appendScope(date: date, to: &out)
        out.append(UInt8(ascii: "\n"))
        Hex.appendLowercase(canonicalRequestHash, to: &out)
    }

    /// The credential scope, `yyyyMMdd/region/service/aws4_request`.
    func appendScope(date: AMZDate, to out: inout [UInt8]) {
        out.append(contentsOf: date.date)
        out.append(UInt8(ascii: "/"))
        out.append(contentsOf: region.utf8)
        out.append(UInt8(ascii: "/"))
        out.append(contentsOf: service.utf8)
        out.append(contentsOf: "/aws4_request".utf8)
    }

    /// Step 3, the signing key: HMAC chain "AWS4"+secret → date → region → service → "aws4_request".
    /// Derived per call here, so the signer stays an immutable value; `SigningKey` keeps one for a day.
    func signingKey(date: AMZDate) -> [UInt8] {
        signingKey(day: date.date)
    }

    /// The signing key for the `yyyyMMdd` day `day`.
    func signingKey(day: ArraySlice<UInt8>) -> [UInt8] {
        let secret = Array("AWS4\(credentials.secretAccessKey)".utf8)
        let dateKey = Digest.hmacSHA256(key: secret, data: Array(day))
        let regionKey = Digest.hmacSHA256(key: dateKey, data: Array(region.utf8))
        let serviceKey = Digest.hmacSHA256(key: regionKey, data: Array(service.utf8))
        return Digest.hmacSHA256(key: serviceKey, data: Array("aws4_request".utf8))
    }
}

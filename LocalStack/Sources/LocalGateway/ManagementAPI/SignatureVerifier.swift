import Foundation
import SigV4

/// Checks a Management API request's SigV4 signature the way API Gateway does for IAM-authorised
/// calls: recompute it with our own signer over the headers the caller says it signed, and compare.
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
struct SignatureVerifier: Sendable {
    let credentials: AWSCredentials
    let region: String
    let service = "execute-api"

    /// Why a request was refused (the text goes into the 403 body; it never contains a signature).
    struct Refusal: Error { let message: String }

    /// Parsed `Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...`.
    struct Authorization {
        var accessKeyId: String
        var scope: [Substring]
        var signedHeaders: [String]
        var signature: String

        init?(_ header: String) {
            let prefix = "AWS4-HMAC-SHA256 "
            guard header.hasPrefix(prefix) else { return nil }
            var fields: [String: String] = [:]
            for part in header.dropFirst(prefix.count).split(separator: ",") {
                let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
                if pair.count == 2 { fields[String(pair[0])] = String(pair[1]) }
            }
            guard let credential = fields["Credential"], let signed = fields["SignedHeaders"],
                let signature = fields["Signature"]
            else { return nil }
            let parts = credential.split(separator: "/")
            guard parts.count == 5 else { return nil }
            accessKeyId = String(parts[0])
            scope = Array(parts[1...])
            signedHeaders = signed.split(separator: ";").map(String.init)
            self.signature = signature
        }
    }

    /// Throws a `Refusal` unless the request carries a valid signature by our credentials.
    func verify(
        method: String, path: String, query: String, headers: [(name: String, value: String)], body: [UInt8]
    ) throws(Refusal) {
        func header(_ name: String) -> String? {
            let values = headers.filter { $0.name.lowercased() == name }.map(\.value)
            return values.isEmpty ? nil : values.joined(separator: ",")
        }
        guard let authorization = header("authorization").flatMap(Authorization.init) else {
            throw Refusal(message: "Missing Authentication Token")
        }
        guard authorization.accessKeyId == credentials.accessKeyId else {
            throw Refusal(message: "The security token included in the request is invalid.")
        }
        guard authorization.scope.count == 4, authorization.scope[1] == region, authorization.scope[2] == service,
            let amzDate = header("x-amz-date"), let date = Self.date(amzDate),
            authorization.scope[0] == amzDate.prefix(8)
        else {
            throw Refusal(message: "Credential should be scoped to a valid region, service and date.")
        }
        if let token = credentials.sessionToken, header("x-amz-security-token") != token {
            throw Refusal(message: "The security token included in the request is invalid.")
        }
        guard authorization.signedHeaders.contains("host") else {
            throw Refusal(message: "'Host' must be a signed header.")
        }
        var signedHeaders: [(name: String, value: String)] = []
        for name in authorization.signedHeaders {
            guard let value = header(name) else { throw Refusal(message: "Signed header '\(name)' is missing.") }
            signedHeaders.append((name: name, value: value))
        }
        let signer = SigV4Signer(credentials: credentials, region: region, service: service)
        let request = SigV4Request(method: method, path: path, query: query, headers: signedHeaders, body: body)
        let canonical = signer.canonicalRequest(request)
        let time = UnixTime(timeIntervalSince1970: date.timeIntervalSince1970)
        let expected = signer.signature(stringToSign: signer.stringToSign(canonicalRequest: canonical, date: time), date: time)
        guard expected == authorization.signature else {
            throw Refusal(
                message: "The request signature we calculated does not match the signature you provided. "
                    + "Check your AWS Secret Access Key and signing method.")
        }
    }

    /// Parses an `X-Amz-Date` (`yyyyMMdd'T'HHmmss'Z'`).
    static func date(_ text: String) -> Date? {
        let digits = Array(text.utf8)
        guard digits.count == 16, digits[8] == UInt8(ascii: "T"), digits[15] == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int? { Int(String(decoding: digits[range], as: UTF8.self)) }
        guard let year = number(0..<4), let month = number(4..<6), let day = number(6..<8),
            let hour = number(9..<11), let minute = number(11..<13), let second = number(13..<15)
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second))
    }
}

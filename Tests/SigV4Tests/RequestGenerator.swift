import Foundation
import SigV4
import TestSupport

/// One generated request: what goes to botocore (JSON) and to our signer.
struct GeneratedRequest: Encodable {
    struct Credentials: Encodable { var access_key_id: String, secret_access_key: String, session_token: String? }
    var method: String
    var url: String
    var headers: [[String]]
    var body: String  // base64
    var region: String
    var service: String
    var credentials: Credentials
    var timestamp: Int64
    /// Botocore always normalizes; we normalize when the path needs it and otherwise pick at random.
    var normalize: Bool
}

/// Varied requests for the botocore cross-check: methods, hosts and ports, paths with reserved,
/// unicode, already-encoded and dot/empty segments (sent encoded strictly or leaving sub-delims raw),
/// queries with repeated/empty/encoded keys, header case and whitespace, duplicate, stale and unsigned
/// headers, bodies, with and without a session token, two services, several regions and dates.
enum RequestGenerator {
    static let methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"]
    static let regions = ["us-east-1", "eu-west-1", "ap-southeast-2", "sa-east-1", "us-gov-west-1", "cn-north-1"]
    static let segments = [
        "prod", "@connections", "LLOXxdOBrPEAbBw=", "Ab-Cd_Ef~gh.ij", "café", "ሴ", "日本語", "a b", "!$&'()*+,;=:@",
        "%2F", "%41%42", "100%", "?q", "#frag", "[x]", "\"quoted\"", "<>{}|\\^`", "a/b", "", ".", "..",
    ]
    static let queryNames = ["Param", "param", "a", "A", "ሴ", "key with space", "x+y", "%41", "=eq", "&amp", "~t", "ü", ""]
    static let queryValues = ["", "1", "v a l", "é", "a=b", "%", "+", "~-._", "/path?x", "%2F", "Value2"]
    static let headerNames = [
        "Content-Type", "X-Amz-Target", "My-Header", "x-custom-VALUE", "Accept", "X-Amz-Meta-Thing", "My-Header",
        "User-Agent", "Expect", "X-Amzn-Trace-Id", "Connection", "Authorization", "X-Amz-Date", "X-Amz-Security-Token",
    ]
    static let headerValues = [
        "  a   b  ", "\tx\t y ", "", "application/x-amz-json-1.0", "DynamoDB_20120810.GetItem", "\"quoted   string\"",
        "v1,v2", "café", "100-continue", "Root=1-5759e988-bd862e3fe1be46a994272793",
    ]
    /// Edge dates first (epoch, leap days, year ends), then random ones up to 2100.
    static let edgeTimestamps: [Int64] = [0, 951_782_400, 951_868_799, 1_709_251_199, 1_735_689_599, 4_107_542_399]

    static func make(count: Int, seed: UInt64) -> [GeneratedRequest] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { index in make(index: index, rng: &rng) }
    }

    private static func make(index: Int, rng: inout SplitMix64) -> GeneratedRequest {
        let region = regions.randomElement(using: &rng)!
        let service = Bool.random(using: &rng) ? "dynamodb" : "execute-api"
        let authority = [
            "https://\(service == "dynamodb" ? "dynamodb" : "a1b2c3d4e5.execute-api").\(region).amazonaws.com",
            "http://localhost:8000", "http://127.0.0.1:4566", "https://Example.COM:443", "http://[::1]:8080",
            "http://LocalHost:80", "https://user:pw@dynamodb.local:8443",
        ].randomElement(using: &rng)!

        let pathSegments = (0..<Int.random(in: 0...5, using: &rng)).map { _ in segments.randomElement(using: &rng)! }
        let strict = Bool.random(using: &rng)
        var path = pathSegments.map { "/" + encode($0, keeping: strict ? "" : "!$&'()*+,;=:@") }.joined()
        if Int.random(in: 0..<4, using: &rng) == 0 { path += "/" }
        let needsNormalizing = pathSegments.contains { $0.isEmpty || $0 == "." || $0 == ".." }

        let parameters = (0..<Int.random(in: 0...5, using: &rng)).map { _ -> String in
            let name = encode(queryNames.randomElement(using: &rng)!, keeping: "")
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: return name  // no "="
            case 1: return name + "="
            default: return name + "=" + encode(queryValues.randomElement(using: &rng)!, keeping: "")
            }
        }
        let url = authority + path + (parameters.isEmpty ? (Bool.random(using: &rng) ? "?" : "") : "?" + parameters.joined(separator: "&"))

        var headers = (0..<Int.random(in: 0...6, using: &rng)).map { _ in
            [randomCase(headerNames.randomElement(using: &rng)!, &rng), headerValues.randomElement(using: &rng)!]
        }
        if Int.random(in: 0..<8, using: &rng) == 0 { headers.insert(["HOST", " Explicit.Host.example "], at: 0) }

        let body: [UInt8] = switch Int.random(in: 0..<4, using: &rng) {
        case 0: []
        case 1: Array(#"{"TableName":"VisitorCount","Key":{"id":{"S":"visitors"}}}"#.utf8)
        case 2: (0..<Int.random(in: 1...64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        default: Array("visits=42&naïve=ü".utf8)
        }
        let base64 = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        func randomString(_ alphabet: [Character], _ count: Int) -> String {
            String((0..<count).map { _ in alphabet.randomElement(using: &rng)! })
        }
        let credentials = GeneratedRequest.Credentials(
            access_key_id: "AKIA" + randomString(Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), 16),
            secret_access_key: randomString(base64, 40),
            session_token: Bool.random(using: &rng) ? randomString(base64, Int.random(in: 100...400, using: &rng)) + "==" : nil
        )
        let timestamp = index < edgeTimestamps.count ? edgeTimestamps[index] : Int64.random(in: 0..<4_102_444_800, using: &rng)
        return GeneratedRequest(
            method: methods.randomElement(using: &rng)!, url: url, headers: headers,
            body: Data(body).base64EncodedString(), region: region, service: service, credentials: credentials,
            timestamp: timestamp, normalize: needsNormalizing || Bool.random(using: &rng)
        )
    }

    /// Percent-encodes `text` (UTF-8) as a client would for the wire: unreserved bytes and `keeping` raw.
    static func encode(_ text: String, keeping: String) -> String {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~".utf8).union(keeping.utf8)
        return text.utf8.map { allowed.contains($0) ? String(UnicodeScalar($0)) : String(format: "%%%02X", $0) }.joined()
    }

    private static func randomCase(_ name: String, _ rng: inout SplitMix64) -> String {
        String(name.map { Bool.random(using: &rng) ? Character($0.uppercased()) : Character($0.lowercased()) })
    }
}

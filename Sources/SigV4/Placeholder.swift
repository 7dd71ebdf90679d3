// TEMPORARY STAND-IN written by the aws helper so AWSClient can build before the SigV4 module lands.
// Follows /work/api-contracts.md; the real module replaces this file when merged.
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import CCrypto

/// Stand-in: AWS credentials.
public struct AWSCredentials: Sendable, Equatable {
    /// Access key id.
    public var accessKeyId: String
    /// Secret key.
    public var secretAccessKey: String
    /// Session token.
    public var sessionToken: String?
    /// Creates credentials.
    public init(accessKeyId: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }
}

/// Stand-in: a request to sign.
public struct SigV4Request: Sendable {
    /// Method.
    public var method: String
    /// Wire path.
    public var path: String
    /// Wire query.
    public var query: String
    /// Headers.
    public var headers: [(name: String, value: String)]
    /// Body.
    public var body: [UInt8]
    /// Creates a request.
    public init(method: String, path: String, query: String = "", headers: [(name: String, value: String)], body: [UInt8] = []) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }
    /// Splits an absolute URL.
    public init?(method: String, url: String, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        guard let sep = url.firstRange(of: "://") else { return nil }
        let scheme = url[..<sep.lowerBound].lowercased()
        let rest = url[sep.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" }
        let afterAuthority = rest.dropFirst(authority.count)
        let pathPart = afterAuthority.prefix { $0 != "?" }
        let queryPart = afterAuthority.dropFirst(pathPart.count).dropFirst()
        var host = String(authority)
        if scheme == "http", host.hasSuffix(":80") { host.removeLast(3) }
        if scheme == "https", host.hasSuffix(":443") { host.removeLast(4) }
        var all = headers
        if !all.contains(where: { $0.name.lowercased() == "host" }) { all.append((name: "host", value: host)) }
        self.init(method: method, path: pathPart.isEmpty ? "/" : String(pathPart), query: String(queryPart), headers: all, body: body)
    }
}

/// Stand-in: the signer.
public struct SigV4Signer: Sendable {
    let credentials: AWSCredentials
    let region: String
    let service: String
    /// Creates a signer.
    public init(credentials: AWSCredentials, region: String, service: String, normalizePath: Bool = false) {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// Signs.
    public func sign(_ request: inout SigV4Request, date: Date) {
        request.headers.removeAll { ["authorization", "x-amz-date", "x-amz-security-token"].contains($0.name.lowercased()) }
        request.headers.append((name: "X-Amz-Date", value: Self.timestamp(date)))
        if let token = credentials.sessionToken { request.headers.append((name: "X-Amz-Security-Token", value: token)) }
        let canonical = canonicalRequest(request)
        let sts = stringToSign(canonicalRequest: canonical, date: date)
        let sig = signature(stringToSign: sts, date: date)
        let scope = "\(String(Self.timestamp(date).prefix(8)))/\(region)/\(service)/aws4_request"
        request.headers.append((name: "Authorization",
            value: "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyId)/\(scope), SignedHeaders=\(signedHeaders(request)), Signature=\(sig)"))
    }

    func signedHeaders(_ request: SigV4Request) -> String {
        Set(request.headers.map { $0.name.lowercased() }).sorted().joined(separator: ";")
    }

    /// Canonical request.
    public func canonicalRequest(_ request: SigV4Request) -> String {
        var grouped: [String: [String]] = [:]
        for h in request.headers {
            let v = h.value.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            grouped[h.name.lowercased(), default: []].append(v)
        }
        let headers = grouped.keys.sorted().map { "\($0):\(grouped[$0]!.joined(separator: ","))\n" }.joined()
        let query = request.query.isEmpty ? "" : request.query.split(separator: "&").map(String.init).sorted().joined(separator: "&")
        return [request.method, Self.encode(request.path), query, headers, signedHeaders(request), Self.hex(Self.sha256(request.body))]
            .joined(separator: "\n")
    }

    /// String to sign.
    public func stringToSign(canonicalRequest: String, date: Date) -> String {
        let ts = Self.timestamp(date)
        return "AWS4-HMAC-SHA256\n\(ts)\n\(ts.prefix(8))/\(region)/\(service)/aws4_request\n\(Self.hex(Self.sha256(Array(canonicalRequest.utf8))))"
    }

    /// Signature.
    public func signature(stringToSign: String, date: Date) -> String {
        let day = String(Self.timestamp(date).prefix(8))
        var key = Self.hmac(Array("AWS4\(credentials.secretAccessKey)".utf8), Array(day.utf8))
        key = Self.hmac(key, Array(region.utf8))
        key = Self.hmac(key, Array(service.utf8))
        key = Self.hmac(key, Array("aws4_request".utf8))
        return Self.hex(Self.hmac(key, Array(stringToSign.utf8)))
    }

    static func encode(_ path: String) -> String {
        var out = ""
        for b in path.utf8 {
            if b.isLetterOrDigitASCII || b == 0x2D || b == 0x5F || b == 0x2E || b == 0x7E || b == 0x2F {
                out.unicodeScalars.append(Unicode.Scalar(b))
            } else {
                out += "%" + hex([b]).uppercased()
            }
        }
        return out
    }

    static func timestamp(_ date: Date) -> String {
        let secs = Int64(date.timeIntervalSince1970.rounded(.down))
        let days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400
        let rem = secs - days * 86400
        let z = days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        func p(_ v: Int64, _ w: Int) -> String { let s = String(v); return String(repeating: "0", count: max(0, w - s.count)) + s }
        return "\(p(y, 4))\(p(m, 2))\(p(d, 2))T\(p(rem / 3600, 2))\(p(rem / 60 % 60, 2))\(p(rem % 60, 2))Z"
    }

    static func sha256(_ data: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        _ = data.withUnsafeBufferPointer { SHA256($0.baseAddress, data.count, &out) }
        return out
    }

    static func hmac(_ key: [UInt8], _ data: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        var len: UInt32 = 32
        _ = HMAC(EVP_sha256(), key, Int32(key.count), data, data.count, &out, &len)
        return out
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var s = [UInt8]()
        for b in bytes { s.append(digits[Int(b >> 4)]); s.append(digits[Int(b & 15)]) }
        return String(decoding: s, as: UTF8.self)
    }
}

extension UInt8 {
    var isLetterOrDigitASCII: Bool { (self >= 0x30 && self <= 0x39) || (self >= 0x41 && self <= 0x5A) || (self >= 0x61 && self <= 0x7A) }
}

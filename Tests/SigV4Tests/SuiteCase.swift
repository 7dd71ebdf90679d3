import Foundation
import SigV4
import TestSupport

/// One case folder of AWS's SigV4 test suite (Tests/Fixtures/sigv4-test-suite, see SOURCE.md there),
/// read from disk at test time.
struct SuiteCase {
    /// The suite's folder.
    static let directory = RepoPaths.path("Tests/Fixtures/sigv4-test-suite")

    /// The case folders (every sub-folder), sorted, so each becomes one parameterized test.
    static func folderNames() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { name in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: "\(directory)/\(name)", isDirectory: &isDirectory)
                && isDirectory.boolValue
        }.sorted()
    }

    /// context.json: what aws-c-auth's signer was configured with.
    struct Context: Decodable {
        struct Credentials: Decodable {
            var access_key_id: String
            var secret_access_key: String
            var token: String?
        }
        var credentials: Credentials
        var region: String
        var service: String
        var timestamp: String
        var normalize: Bool
        var sign_body: Bool
        var omit_session_token: Bool?
    }

    let name: String
    let context: Context
    let request: SigV4Request
    let date: UnixTime
    let expectedCanonicalRequest: String
    let expectedStringToSign: String
    let expectedSignature: String
    let expectedSignedRequest: SigV4Request

    /// Reads every file the test needs; throws if one is missing or malformed.
    init(name: String) throws {
        let folder = "\(Self.directory)/\(name)"
        func read(_ file: String) throws -> String { try String(contentsOfFile: "\(folder)/\(file)", encoding: .utf8) }
        self.name = name
        context = try JSONDecoder().decode(Context.self, from: Data(read("context.json").utf8))
        request = try Self.parseHTTP(read("request.txt"))
        guard let date = ISO8601DateFormatter().date(from: context.timestamp) else {
            throw ChildProcessError("\(name): bad timestamp \(context.timestamp)")
        }
        self.date = UnixTime(timeIntervalSince1970: date.timeIntervalSince1970)
        expectedCanonicalRequest = try read("header-canonical-request.txt")
        expectedStringToSign = try read("header-string-to-sign.txt")
        expectedSignature = try read("header-signature.txt")
        expectedSignedRequest = try Self.parseHTTP(read("header-signed-request.txt"))
    }

    /// Parses a raw HTTP/1.1 request as the suite writes it: `METHOD target HTTP/1.1`, `Name:value`
    /// lines (a line starting with whitespace continues the previous value: obs-fold, which RFC 9110
    /// says to replace by one space), an empty line, then the body. The target may contain spaces.
    static func parseHTTP(_ text: String) throws -> SigV4Request {
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n")
        var lines = normalized.components(separatedBy: "\n")
        let requestLine = lines.removeFirst()
        guard let firstSpace = requestLine.firstIndex(of: " "), let lastSpace = requestLine.lastIndex(of: " "),
            firstSpace < lastSpace
        else { throw ChildProcessError("bad request line: \(requestLine)") }
        let method = String(requestLine[..<firstSpace])
        let target = requestLine[requestLine.index(after: firstSpace)..<lastSpace]
        var headers: [(name: String, value: String)] = []
        while let line = lines.first, !line.isEmpty {
            lines.removeFirst()
            if line.first == " " || line.first == "\t" {
                guard !headers.isEmpty else { throw ChildProcessError("continuation before any header") }
                headers[headers.count - 1].value += " " + line.drop { $0 == " " || $0 == "\t" }
            } else if let colon = line.firstIndex(of: ":") {
                headers.append((String(line[..<colon]), String(line[line.index(after: colon)...])))
            } else {
                throw ChildProcessError("bad header line: \(line)")
            }
        }
        let body = lines.dropFirst().joined(separator: "\n")
        let question = target.firstIndex(of: "?")
        return SigV4Request(
            method: method,
            path: String(target[..<(question ?? target.endIndex)]),
            query: question.map { String(target[target.index(after: $0)...]) } ?? "",
            headers: headers,
            body: Array(body.utf8)
        )
    }
}

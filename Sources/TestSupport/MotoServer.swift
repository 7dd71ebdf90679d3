import Foundation

/// A moto server on loopback with signature checking on, started by scripts/moto_server.py for one
/// test suite and stopped with it. Exposes the credentials the script created through moto's IAM/STS.
public final class MotoServer: @unchecked Sendable {
    /// AWS credentials as the environment would carry them.
    public struct Credentials: Sendable, Decodable {
        public let accessKeyId: String
        public let secretAccessKey: String
        public let sessionToken: String?
    }

    private struct Info: Decodable {
        let endpoint: String
        let region: String
        let accessKeyId: String
        let secretAccessKey: String
        let session: Credentials?
    }

    public let endpoint: String
    public let region: String
    /// Long-term keys of an IAM user (no session token).
    public let userCredentials: Credentials
    /// Temporary keys from STS AssumeRole, with a session token (what Lambda hands a function).
    public let sessionCredentials: Credentials?
    private let child: ChildProcess

    /// Starts a server; `auth: false` turns signature checking off. Its transactions are O(1) and rolled back
    /// in place (vctools/moto_transactions.py), so a spike of hundreds of them measures the functions, not
    /// moto's copying of tables.
    public init(auth: Bool = true) throws {
        var arguments = [RepoPaths.path("scripts/moto_server.py")]
        if !auth { arguments.append("--no-auth") }
        child = try ChildProcess(RepoPaths.python, arguments)
        let line = try child.firstLine(timeout: 60)
        let info = try JSONDecoder().decode(Info.self, from: Data(line.utf8))
        endpoint = info.endpoint
        region = info.region
        userCredentials = Credentials(accessKeyId: info.accessKeyId, secretAccessKey: info.secretAccessKey, sessionToken: nil)
        sessionCredentials = info.session
    }

    /// The environment a function would see against this server (docs/design.md §2 names).
    public func environment(_ credentials: Credentials? = nil) -> [String: String] {
        let creds = credentials ?? userCredentials
        var env = [
            "AWS_REGION": region,
            "AWS_ACCESS_KEY_ID": creds.accessKeyId,
            "AWS_SECRET_ACCESS_KEY": creds.secretAccessKey,
            "AWS_ENDPOINT_URL_DYNAMODB": endpoint,
        ]
        if let token = creds.sessionToken { env["AWS_SESSION_TOKEN"] = token }
        return env
    }

    /// Everything moto logged (one line per request).
    public var log: String { child.stderr }

    public func stop() { child.terminate() }
}

/// The credentials a request is signed with: an access key pair and, for temporary credentials
/// (a Lambda execution role, STS), the session token that must travel with every request.
///
/// Printing, interpolating or dumping credentials shows only the access key id, so the secret and the
/// token never end up in a log by accident.
public struct AWSCredentials: Sendable, Equatable {
    /// The access key id, e.g. `AKIDEXAMPLE`; it is sent in clear in the `Credential=` scope.
    public var accessKeyId: String
    /// The secret key; never sent, only used to derive the signing key.
    public var secretAccessKey: String
    /// The session token of temporary credentials; sent and signed as `X-Amz-Security-Token`.
    public var sessionToken: String?

    /// Creates credentials. An empty `sessionToken` is treated as no token when signing.
    public init(accessKeyId: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }

    /// The token to send, or nil when there is none (nil or empty).
    var effectiveSessionToken: String? {
        guard let sessionToken, !sessionToken.isEmpty else { return nil }
        return sessionToken
    }
}

extension AWSCredentials: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The access key id and whether there is a token; never the secret or the token.
    public var description: String {
        "AWSCredentials(accessKeyId: \(accessKeyId), secretAccessKey: <redacted>, sessionToken: "
            + (sessionToken == nil ? "nil)" : "<redacted>)")
    }

    /// Same as `description`.
    public var debugDescription: String { description }

    /// A mirror without the secret and the token, so `dump` cannot print them either.
    public var customMirror: Mirror {
        Mirror(self, children: ["accessKeyId": accessKeyId, "hasSessionToken": sessionToken != nil])
    }
}

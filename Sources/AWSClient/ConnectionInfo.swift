/// What `GetConnection` tells about a WebSocket connection.
/// See https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid-connections-connectionid.html
package struct ConnectionInfo: Sendable, Equatable, Decodable {
    /// When the client connected, ISO 8601 as the service sent it.
    public var connectedAt: String?
    /// When the connection last sent or received a message, ISO 8601.
    public var lastActiveAt: String?
    /// The client's IP address.
    public var sourceIp: String?
    /// The client's User-Agent.
    public var userAgent: String?

    /// Creates the info.
    public init(connectedAt: String? = nil, lastActiveAt: String? = nil, sourceIp: String? = nil, userAgent: String? = nil) {
        self.connectedAt = connectedAt
        self.lastActiveAt = lastActiveAt
        self.sourceIp = sourceIp
        self.userAgent = userAgent
    }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Decodes `{"connectedAt", "lastActiveAt", "identity": {"sourceIp", "userAgent"}}`; the capitalised
    /// spellings some emulators use are accepted too.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        func string(_ c: KeyedDecodingContainer<Key>, _ name: String) throws -> String? {
            let capitalised = name.prefix(1).uppercased() + name.dropFirst()
            return try c.decodeIfPresent(String.self, forKey: Key(stringValue: name))
                ?? c.decodeIfPresent(String.self, forKey: Key(stringValue: capitalised))
        }
        connectedAt = try string(container, "connectedAt")
        lastActiveAt = try string(container, "lastActiveAt")
        let identityKey = container.contains(Key(stringValue: "identity")) ? "identity" : "Identity"
        if container.contains(Key(stringValue: identityKey)) {
            let identity = try container.nestedContainer(keyedBy: Key.self, forKey: Key(stringValue: identityKey))
            sourceIp = try string(identity, "sourceIp")
            userAgent = try string(identity, "userAgent")
        }
    }
}

/// A validated service base URL: `http(s)://host[:port][/path]`, without user info, query or fragment.
///
/// Both clients build request URLs by appending an already percent-encoded path to `normalized`,
/// so the URL must not carry anything after the path. User info is refused because it would put a
/// secret where error messages and logs show the target.
struct EndpointURL: Sendable, Equatable {
    /// `http` or `https`.
    let scheme: String
    /// `host` or `host:port`.
    let authority: String
    /// The path without a trailing `/`; empty for the root.
    let path: String

    /// Parses `url`; nil when it is not an acceptable endpoint.
    init?(_ url: String) {
        let lower = url.lowercased()
        let scheme: String
        if lower.hasPrefix("https://") {
            scheme = "https"
        } else if lower.hasPrefix("http://") {
            scheme = "http"
        } else {
            return nil
        }
        // Only printable ASCII goes on the wire unencoded (and only that can be signed as is).
        guard url.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return nil }
        let rest = url.dropFirst(scheme.count + 3)
        guard !rest.contains("?"), !rest.contains("#") else { return nil }
        let authority = rest.prefix { $0 != "/" }
        guard !authority.isEmpty, !authority.contains("@") else { return nil }
        let host = authority.hasPrefix("[") ? authority.prefix { $0 != "]" }.dropFirst() : authority.prefix { $0 != ":" }
        guard !host.isEmpty else { return nil }
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            let afterBracket = authority[authority.index(after: close)...]
            guard afterBracket.isEmpty || Self.isPort(afterBracket.dropFirst()) && afterBracket.first == ":" else { return nil }
        } else if let colon = authority.firstIndex(of: ":") {
            guard Self.isPort(authority[authority.index(after: colon)...]) else { return nil }
        }
        var path = String(rest.dropFirst(authority.count))
        while path.hasSuffix("/") { path.removeLast() }
        self.scheme = scheme
        self.authority = String(authority).lowercased()
        self.path = path
    }

    /// `scheme://authority/path` without a trailing slash.
    var normalized: String { "\(scheme)://\(authority)\(path)" }

    /// The host without brackets or port: `127.0.0.1`, `::1`, `dynamodb.eu-west-1.amazonaws.com`.
    var host: Substring {
        if authority.hasPrefix("[") { return authority.dropFirst().prefix { $0 != "]" } }
        return authority.prefix { $0 != ":" }
    }

    /// Whether the host is this machine: `localhost`, `::1` or an IPv4 address in 127.0.0.0/8. Only
    /// there may requests go out as plain `http` (the local stack, tests); anything else carries
    /// signed requests and data over a network and must be `https`.
    var isLoopback: Bool {
        let host = self.host
        if host == "localhost" || host == "::1" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, octets.first == "127" else { return false }
        return octets.allSatisfy { octet in
            !octet.isEmpty && octet.count <= 3 && octet.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } && Int(octet)! <= 255
        }
    }

    private static func isPort(_ text: Substring) -> Bool {
        guard !text.isEmpty, text.count <= 5, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let port = Int(text) else {
            return false
        }
        return port > 0 && port <= 65535
    }
}

extension SigV4Request {
    /// Splits an absolute URL (`scheme://[userinfo@]host[:port][/path][?query][#fragment]`, already
    /// percent-encoded as it will go on the wire) and adds a `Host` field (lowercase host, `:port` only
    /// when it is not the scheme's default) unless `headers` already has one.
    /// Returns nil for anything that is not such a URL: no scheme or host, a bad port, or bytes that
    /// cannot appear on the wire unencoded (spaces, controls, non-ASCII).
    public init?(
        method: String,
        url: String,
        headers: [(name: String, value: String)] = [],
        body: [UInt8] = []
    ) {
        let bytes = Array(url.utf8)
        guard bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F }),
            let schemeEnd = Self.schemeEnd(bytes)
        else { return nil }
        let scheme = String(decoding: bytes[..<schemeEnd].map(ASCII.lowercased), as: UTF8.self)
        let authorityStart = schemeEnd + 3
        let authorityEnd = bytes[authorityStart...].firstIndex {
            $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#")
        } ?? bytes.endIndex
        guard let host = Self.hostField(bytes[authorityStart..<authorityEnd], scheme: scheme) else { return nil }

        let rest = bytes[authorityEnd...]
        let fragmentStart = rest.firstIndex(of: UInt8(ascii: "#")) ?? rest.endIndex
        let beforeFragment = rest[..<fragmentStart]
        let queryMark = beforeFragment.firstIndex(of: UInt8(ascii: "?"))
        let path = beforeFragment[..<(queryMark ?? beforeFragment.endIndex)]
        let query = queryMark.map { beforeFragment[($0 + 1)...] } ?? []

        var fields = headers
        if !fields.contains(where: { ASCII.equalsIgnoringCase($0.name, "host") }) {
            fields.insert((name: "Host", value: host), at: 0)
        }
        self.init(
            method: method,
            path: path.isEmpty ? "/" : String(decoding: path, as: UTF8.self),
            query: String(decoding: query, as: UTF8.self),
            headers: fields,
            body: body
        )
    }

    /// The index of `://` after a valid scheme (RFC 3986: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )).
    private static func schemeEnd(_ bytes: [UInt8]) -> Int? {
        guard let first = bytes.first, ASCII.lowercased(first) &- 97 < 26 else { return nil }
        var index = 1
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: ":") {
                return bytes[index...].starts(with: "://".utf8) ? index : nil
            }
            let allowed = ASCII.lowercased(byte) &- 97 < 26 || ASCII.isDigit(byte)
                || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
            guard allowed else { return nil }
            index += 1
        }
        return nil
    }

    /// The Host field value for an authority, or nil when it has no host or a bad port.
    private static func hostField(_ authority: ArraySlice<UInt8>, scheme: String) -> String? {
        // The userinfo (before the last `@`) is never part of Host.
        let hostAndPort = authority.lastIndex(of: UInt8(ascii: "@")).map { authority[($0 + 1)...] } ?? authority
        let hostEnd: Int
        if hostAndPort.first == UInt8(ascii: "[") {  // IPv6 literal: the port colon comes after `]`
            guard let close = hostAndPort.firstIndex(of: UInt8(ascii: "]")) else { return nil }
            hostEnd = close + 1
        } else {
            hostEnd = hostAndPort.firstIndex(of: UInt8(ascii: ":")) ?? hostAndPort.endIndex
        }
        let host = hostAndPort[..<hostEnd]
        let portPart = hostAndPort[hostEnd...]
        guard !host.isEmpty, portPart.isEmpty || portPart.first == UInt8(ascii: ":") else { return nil }
        let digits = portPart.dropFirst()
        guard digits.count <= 5, digits.allSatisfy(ASCII.isDigit) else { return nil }
        var field = String(decoding: host.map(ASCII.lowercased), as: UTF8.self)
        if !digits.isEmpty {
            let port = digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
            guard port <= 65_535 else { return nil }
            let defaultPort = scheme == "https" || scheme == "wss" ? 443 : scheme == "http" || scheme == "ws" ? 80 : nil
            if port != defaultPort { field += ":\(port)" }
        }
        return field
    }
}

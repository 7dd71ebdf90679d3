import Foundation
import HTTPTypes

/// What the gateway knows about one WebSocket connection from its handshake: enough to build every
/// event of its life and to answer the Management API's GET.
struct GatewayConnection: Sendable {
    var id: String
    /// Epoch milliseconds of the handshake.
    var connectedAt: Int64
    var sourceIp: String
    var userAgent: String?
    /// The handshake's headers, names as the client spelled them, repeated headers kept in order.
    var headers: [String: [String]]
    /// The handshake's query parameters (decoded), repeated parameters kept in order.
    var query: [String: [String]]
    /// Host the client connected to, e.g. `127.0.0.1:8080` (API Gateway's `domainName`).
    var domainName: String
    /// The API's id; locally always `local`.
    var apiId: String

    /// Reads the handshake request.
    init(id: String, request: HTTPRequest, sourceIp: String, now: Date, apiId: String = "local") {
        self.id = id
        self.connectedAt = Int64(now.timeIntervalSince1970 * 1000)
        self.sourceIp = sourceIp
        self.userAgent = request.headerFields[.userAgent]
        var headers: [String: [String]] = [:]
        // HTTPTypes moves Host into the :authority pseudo-header; API Gateway shows it as Host.
        if let authority = request.authority { headers["Host"] = [authority] }
        for field in request.headerFields {
            headers[field.name.rawName, default: []].append(field.value)
        }
        // API Gateway adds these; functions (and our DBUpdater's logs) may look at them.
        headers["X-Forwarded-For", default: []].append(sourceIp)
        headers["X-Forwarded-Proto", default: []].append("http")
        self.headers = headers
        self.domainName = request.authority ?? "localhost"
        self.apiId = apiId
        self.query = Self.queryParameters(of: request.path ?? "")
    }

    /// Splits the query of `path` into decoded name/value lists (`+` is a space, as browsers send it).
    static func queryParameters(of path: String) -> [String: [String]] {
        guard let mark = path.firstIndex(of: "?") else { return [:] }
        var result: [String: [String]] = [:]
        for pair in path[path.index(after: mark)...].split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                let spaced = text.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            let name = decode(parts[0])
            result[name, default: []].append(parts.count > 1 ? decode(parts[1]) : "")
        }
        return result
    }
}

import CurlHTTP

/// The Runtime API over a plain socket: HTTP/1.1 with one keep-alive connection to
/// `AWS_LAMBDA_RUNTIME_API`, reused for every call; no proxy, no library to load before `/next`.
public final class SocketRuntimeAPIClient: RuntimeAPIClient {
    private let connection: RuntimeAPIConnection
    /// The `Host` header: the address as given.
    private let address: String
    /// Posts are small and local; a stuck one should not hang the function forever.
    private let postTimeout: Duration
    /// Runs each time a `/next` request is on the wire, before the wait for its answer.
    private let nextRequested: () -> Void

    /// - Parameters:
    ///   - address: `host:port` from `AWS_LAMBDA_RUNTIME_API` (`[::1]:9001` for IPv6).
    ///   - nextRequested: runs each time a `/next` request has been sent, before the wait for the event: work
    ///     started there overlaps that wait instead of delaying the request (the runtime starts libcurl's load).
    /// - Throws: `.configuration` for an address that is not `host:port`.
    public init(address: String, postTimeout: Duration = .seconds(30), nextRequested: @escaping () -> Void = {}) throws(LambdaRuntimeError) {
        guard let (host, port) = Self.hostPort(address) else {
            throw LambdaRuntimeError(code: .configuration, message: "\(RuntimeAPI.addressVariable) must be host:port, not \(JSONText.quoted(address))")
        }
        // /next carries the event: Lambda's payload limit, like the response's.
        connection = RuntimeAPIConnection(host: host, port: port, bodyLimit: RuntimeAPI.maxResponseBytes)
        self.address = address
        self.postTimeout = postTimeout
        self.nextRequested = nextRequested
    }

    /// `GET /runtime/invocation/next`, without a timeout.
    public func nextInvocation() throws(LambdaRuntimeError) -> Invocation {
        // No timeout: Lambda may freeze the environment while /next is pending (runtimes-api.html).
        let response = try connection.exchange(request("GET", RuntimeAPI.Path.next), timeout: nil, sent: nextRequested)
        guard response.status == 200 else {
            throw LambdaRuntimeError(code: .runtimeAPIUnavailable, message: "/next answered \(response.status)", status: response.status)
        }
        return Invocation(headers: response.headers, event: response.body)
    }

    /// `POST /runtime/invocation/{id}/response` with the body as is.
    public func postResponse(requestID: String, body: [UInt8]) throws(LambdaRuntimeError) {
        try post(RuntimeAPI.Path.response(requestID), headers: [], body: body)
    }

    /// `POST /runtime/invocation/{id}/error` with the JSON report and `Lambda-Runtime-Function-Error-Type`.
    public func postError(requestID: String, report: ErrorReport) throws(LambdaRuntimeError) {
        try post(RuntimeAPI.Path.error(requestID), headers: Self.errorHeaders(report), body: report.jsonBody)
    }

    /// `POST /runtime/init/error` with the JSON report and `Lambda-Runtime-Function-Error-Type`.
    package func postInitError(_ report: ErrorReport) throws(LambdaRuntimeError) {
        try post(RuntimeAPI.Path.initError, headers: Self.errorHeaders(report), body: report.jsonBody)
    }

    private func post(_ path: String, headers: [(String, String)], body: [UInt8]) throws(LambdaRuntimeError) {
        let response = try connection.exchange(request("POST", path, headers: headers, body: body), timeout: postTimeout)
        guard (200..<300).contains(response.status) else {
            let detail = String(decoding: response.body.prefix(512), as: UTF8.self)
            throw LambdaRuntimeError(code: .rejected, message: "\(path) refused: \(detail)", status: response.status)
        }
    }

    /// The request's bytes: request line, `Host`, the fields, `Content-Length` for a POST, the body.
    /// Paths and header values are ours (`RuntimeAPI.Path` percent-encodes the request id; `ErrorReport`
    /// keeps the error type header-safe), so nothing here can break the framing.
    private func request(_ method: String, _ path: String, headers: [(String, String)] = [], body: [UInt8] = []) -> [UInt8] {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(address)\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if method == "POST" { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        var bytes: [UInt8] = []
        bytes.reserveCapacity(head.utf8.count + body.count)
        bytes.append(contentsOf: head.utf8)
        bytes.append(contentsOf: body)
        return bytes
    }

    private static func errorHeaders(_ report: ErrorReport) -> [(String, String)] {
        [(RuntimeAPI.Header.functionErrorType, report.errorType), ("Content-Type", "application/json")]
    }

    /// `host:port` with a non-empty host of name or address characters (brackets around an IPv6 address)
    /// and a port of 1...65535; nil otherwise.
    static func hostPort(_ address: String) -> (host: String, port: Int)? {
        guard let colon = address.lastIndex(of: ":"), let port = HTTPResponseHead.decimal(address[address.index(after: colon)...]),
            (1...65535).contains(port)
        else { return nil }
        var host = address[..<colon]
        guard !host.isEmpty,
            host.unicodeScalars.allSatisfy({ $0.properties.isASCIIHexDigit || ("a"..."z").contains($0)
                || ("A"..."Z").contains($0) || $0 == "." || $0 == "-" || $0 == "[" || $0 == "]" || $0 == ":" })
        else { return nil }
        if host.hasPrefix("[") {
            guard host.hasSuffix("]"), host.count > 2 else { return nil }
            host = host.dropFirst().dropLast()
        } else if host.contains(":") || host.contains("[") || host.contains("]") {
            return nil
        }
        return (String(host), port)
    }
}

import CurlHTTP

/// The Runtime API over HTTP/1.1 with libcurl: one keep-alive connection, reused for every call.
public final class CurlRuntimeAPIClient: RuntimeAPIClient {
    private let http: HTTPClient
    private let baseURL: String
    /// Posts are small and local; a stuck one should not hang the function forever.
    private let postTimeout: Duration

    /// - Parameter address: `host:port` from `AWS_LAMBDA_RUNTIME_API`.
    /// - Throws: `.configuration` for an address that is not `host:port`, or when libcurl is unavailable.
    public init(address: String, postTimeout: Duration = .seconds(30)) throws(LambdaRuntimeError) {
        guard Self.isHostPort(address) else {
            throw LambdaRuntimeError(code: .configuration, message: "\(RuntimeAPI.addressVariable) must be host:port, not \(JSONText.quoted(address))")
        }
        do {
            http = try HTTPClient(connectTimeout: .seconds(2))
        } catch {
            throw LambdaRuntimeError(code: .configuration, message: "HTTP client unavailable", underlying: error)
        }
        baseURL = "http://" + address
        self.postTimeout = postTimeout
    }

    /// `GET /runtime/invocation/next`, without a timeout.
    public func nextInvocation() throws(LambdaRuntimeError) -> Invocation {
        // No timeout: Lambda may freeze the environment while /next is pending (runtimes-api.html).
        let response = try send(HTTPRequest(method: .get, url: baseURL + RuntimeAPI.Path.next, timeout: nil))
        guard response.status == 200 else {
            throw LambdaRuntimeError(code: .runtimeAPIUnavailable, message: "/next answered \(response.status)", status: response.status)
        }
        return Invocation(headers: response.headers, event: response.body)
    }

    /// `POST /runtime/invocation/{id}/response` with the body as is.
    public func postResponse(requestID: String, body: [UInt8]) throws(LambdaRuntimeError) {
        try post(RuntimeAPI.Path.response(requestID), headers: HTTPHeaders(), body: body)
    }

    /// `POST /runtime/invocation/{id}/error` with the JSON report and `Lambda-Runtime-Function-Error-Type`.
    public func postError(requestID: String, report: ErrorReport) throws(LambdaRuntimeError) {
        try post(RuntimeAPI.Path.error(requestID), headers: Self.errorHeaders(report), body: report.jsonBody)
    }

    /// `POST /runtime/init/error` with the JSON report and `Lambda-Runtime-Function-Error-Type`.
    public func postInitError(_ report: ErrorReport) throws(LambdaRuntimeError) {
        try post(RuntimeAPI.Path.initError, headers: Self.errorHeaders(report), body: report.jsonBody)
    }

    private func post(_ path: String, headers: HTTPHeaders, body: [UInt8]) throws(LambdaRuntimeError) {
        let response = try send(HTTPRequest(method: .post, url: baseURL + path, headers: headers, body: body, timeout: postTimeout))
        guard (200..<300).contains(response.status) else {
            let detail = String(decoding: response.body.prefix(512), as: UTF8.self)
            throw LambdaRuntimeError(code: .rejected, message: "\(path) refused: \(detail)", status: response.status)
        }
    }

    private func send(_ request: HTTPRequest) throws(LambdaRuntimeError) -> HTTPResponse {
        do {
            return try http.execute(request)
        } catch {
            throw LambdaRuntimeError(code: .runtimeAPIUnavailable, message: "Runtime API unreachable", underlying: error)
        }
    }

    private static func errorHeaders(_ report: ErrorReport) -> HTTPHeaders {
        HTTPHeaders([(RuntimeAPI.Header.functionErrorType, report.errorType), ("Content-Type", "application/json")])
    }

    /// `host:port` with a non-empty host of URL-safe characters and a port of 1...65535.
    static func isHostPort(_ address: String) -> Bool {
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]),
            (1...65535).contains(port)
        else { return false }
        let host = address[..<colon]
        return !host.isEmpty
            && host.unicodeScalars.allSatisfy { $0.properties.isASCIIHexDigit || ("a"..."z").contains($0)
                || ("A"..."Z").contains($0) || $0 == "." || $0 == "-" || $0 == "[" || $0 == "]" || $0 == ":" }
    }
}

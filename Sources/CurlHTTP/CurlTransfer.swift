import CCurl

/// One libcurl easy handle, configured per request and reused across requests.
///
/// `curl_easy_reset` clears the options but keeps the handle's connection cache, so reusing a
/// transfer keeps the TCP (and TLS) connection alive between requests to the same host. Inside a
/// multi handle the multi's connection cache is used instead, with the same effect.
/// Shared by the blocking client and the multi pool; not thread-safe (confined to its owner's thread).
final class CurlTransfer {
    let handle: UnsafeMutableRawPointer
    /// The URL of the current (or last) request, for error targets.
    private(set) var url = ""
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private var body: [UInt8] = []
    /// The final response's header lines as received (status line excluded), parsed only when needed.
    private var rawHeaders: [UInt8] = []
    /// Whether a 2xx response's headers are parsed (a template run needs only the status of a success).
    private var parsesSuccessHeaders = true
    /// curl writes a failure's detail here; allocated once so its address stays valid for curl.
    let errorBuffer: UnsafeMutablePointer<CChar>
    /// The request body, kept alive and at a stable address while curl reads it.
    private var requestBody: UnsafeMutableRawBufferPointer?
    private let connectTimeoutMilliseconds: Int
    /// The template run whose constant options the handle carries (`PreparedTemplate.id`), 0 for none:
    /// a template attempt then sets only its URL, timeout and header list.
    var configuredTemplate: UInt64 = 0
    /// The header lines and list nodes of a template attempt, reused (and grown) across attempts.
    var attemptLines = AttemptHeaderLines()

    init(connectTimeout: Duration) throws(HTTPClientError) {
        try CurlTransfer.loadLibrary()
        guard let handle = vc_easy_init() else {
            throw HTTPClientError(code: .libraryUnavailable, message: "curl_easy_init failed", target: "-")
        }
        self.handle = handle
        // 0 would mean curl's default of 300 s, so the shortest limit is 1 ms.
        connectTimeoutMilliseconds = max(1, connectTimeout.milliseconds)
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit {
        clear()
        vc_easy_cleanup(handle)
        errorBuffer.deallocate()
        attemptLines.deallocate()
    }

    /// Waits for libcurl (loading it here unless a background load is under way).
    static func loadLibrary() throws(HTTPClientError) {
        var message = [CChar](repeating: 0, count: 4096)
        if vc_curl_load(&message, message.count) != 0 {
            throw HTTPClientError(code: .libraryUnavailable, message: String(cChars: message), target: "-")
        }
    }

    /// Sets every option for `request`; the transfer is then ready for `curl_easy_perform` or a multi handle.
    func prepare(_ request: HTTPRequest) throws(HTTPClientError) {
        clear()
        vc_easy_reset(handle)
        configuredTemplate = 0
        parsesSuccessHeaders = true
        url = request.url
        try Self.validate(request)
        try check(vc_easy_setopt_string(handle, CURLOPT_URL, request.url), "URL")
        try configureConstants()
        // 0 = no limit (the Runtime API's long poll); any given limit is at least 1 ms.
        try check(vc_easy_setopt_long(handle, CURLOPT_TIMEOUT_MS, request.timeout.map { max(1, $0.milliseconds) } ?? 0), "timeout")
        if let body = try configureMethod(request.method, body: request.body) { requestBody = body }

        for line in Self.headerLines(request.headers, bodyCount: request.body.count) { appendHeader(line) }
        try check(vc_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList), "headers")
    }

    /// The custom header lines for curl: `Name: value` per field (`Name;`, curl's form for an empty value,
    /// as `Name:` would remove the field), then the lines that stop curl adding what is not wanted: `Expect:`
    /// for a body over 1 KiB (curl would add `Expect: 100-continue`, a round trip, from 1 KiB in old versions
    /// and 1 MiB in newer ones; below that no line is needed, and curl searches every custom line for a dozen
    /// names on each request) and `Content-Type:` unless the fields set one (curl would send a form type).
    static func headerLines(_ headers: HTTPHeaders, bodyCount: Int) -> [String] {
        var lines = headers.fields.map { $0.value.isEmpty ? "\($0.name);" : "\($0.name): \($0.value)" }
        if bodyCount > 1024 { lines.append("Expect:") }
        if headers["content-type"] == nil { lines.append("Content-Type:") }
        return lines
    }

    /// Fails with an `.invalidRequest` error naming `what` when curl refused an option.
    func check(_ code: CURLcode, _ what: String) throws(HTTPClientError) {
        if code != CURLE_OK {
            throw HTTPClientError(
                code: .invalidRequest, curlCode: Int(code.rawValue),
                message: "\(what): \(String(cString: vc_easy_strerror(code)))", target: Self.target(of: url))
        }
    }

    /// The options every request has, whatever its URL, method, body and headers.
    func configureConstants() throws(HTTPClientError) {
        try check(vc_easy_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https"), "protocols")
        // TLS verification is always on; nothing in the project turns it off.
        try check(vc_easy_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1), "verify peer")
        try check(vc_easy_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 2), "verify host")
        // Signals and threads do not mix; timeouts then rely on the threaded resolver.
        try check(vc_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1), "nosignal")
        try check(vc_easy_setopt_long(handle, CURLOPT_TCP_KEEPALIVE, 1), "keepalive")
        try check(vc_easy_setopt_long(handle, CURLOPT_TCP_NODELAY, 1), "nodelay")
        try check(vc_easy_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, connectTimeoutMilliseconds), "connect timeout")
        errorBuffer[0] = 0
        try check(vc_easy_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer), "error buffer")
        // Redirects are not followed (curl's default after reset): AWS endpoints do not redirect, and a
        // followed redirect would resend signed headers to another host.
        let me = Unmanaged.passUnretained(self).toOpaque()
        try check(vc_easy_setopt_callback(handle, CURLOPT_WRITEFUNCTION, curlWriteBody), "write callback")
        try check(vc_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, me), "write data")
        try check(vc_easy_setopt_callback(handle, CURLOPT_HEADERFUNCTION, curlWriteHeader), "header callback")
        try check(vc_easy_setopt_pointer(handle, CURLOPT_HEADERDATA, me), "header data")
    }

    /// Sets the method and, for POST and PUT (and a DELETE with a body), the body: a copy at a stable
    /// address that the caller keeps alive until the transfer is done (returned; nil without a body).
    func configureMethod(_ method: HTTPRequest.Method, body: [UInt8]) throws(HTTPClientError) -> UnsafeMutableRawBufferPointer? {
        guard Self.sendsBody(method, count: body.count) else {
            try setMethod(method, body: nil, count: 0)
            return nil
        }
        let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, body.count), alignment: 1)
        body.withUnsafeBytes { copy.copyMemory(from: $0) }
        do {
            try setMethod(method, body: copy.baseAddress, count: body.count)
        } catch {
            copy.deallocate()
            throw error
        }
        return copy
    }

    /// POST and PUT always carry a body (`Content-Length: 0` when empty); DELETE only when given one.
    static func sendsBody(_ method: HTTPRequest.Method, count: Int) -> Bool {
        method == .post || method == .put || (method == .delete && count > 0)
    }

    /// Sets the method, and the body when `sendsBody`: `body` must stay valid until the transfer is done.
    func setMethod(_ method: HTTPRequest.Method, body: UnsafeMutableRawPointer?, count: Int) throws(HTTPClientError) {
        switch method {
        case .get: try check(vc_easy_setopt_long(handle, CURLOPT_HTTPGET, 1), "GET")
        case .head: try check(vc_easy_setopt_long(handle, CURLOPT_NOBODY, 1), "HEAD")
        case .post: break
        case .put, .delete: try check(vc_easy_setopt_string(handle, CURLOPT_CUSTOMREQUEST, method.rawValue), "method")
        }
        if Self.sendsBody(method, count: count) {
            try check(vc_easy_setopt_offset(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(count)), "body size")
            try check(vc_easy_setopt_pointer(handle, CURLOPT_POSTFIELDS, body), "body")
        }
    }

    /// Starts a template attempt: what a previous request left behind is dropped, and a 2xx response's
    /// headers are not parsed (`parsesSuccessHeaders`).
    func beginTemplateAttempt(url: String) {
        clear()
        self.url = url
        parsesSuccessHeaders = false
    }

    /// The outcome of the transfer after curl reported `code`; frees per-request memory.
    func finish(_ code: CURLcode) -> Result<HTTPResponse, HTTPClientError> {
        defer { clear() }
        guard code == CURLE_OK else {
            let detail = String(cString: errorBuffer)
            let message = detail.isEmpty ? String(cString: vc_easy_strerror(code)) : detail
            return .failure(HTTPClientError(code: Self.classify(code), curlCode: Int(code.rawValue), message: message, target: Self.target(of: url)))
        }
        var status = 0
        _ = vc_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        let headers = parsesSuccessHeaders || !(200...299).contains(status) ? Self.parseHeaderLines(rawHeaders) : HTTPHeaders()
        return .success(HTTPResponse(status: status, headers: headers, body: body))
    }

    /// Ends a transfer that will not run to completion (the pool's deadline passed): the handle must
    /// already be out of any multi handle. Frees per-request memory and returns a `.timeout` error.
    func abandon(_ message: String) -> HTTPClientError {
        defer { clear() }
        return HTTPClientError(code: .timeout, message: message, target: Self.target(of: url))
    }

    private func appendHeader(_ line: String) {
        // A nil result means curl could not allocate; keep the list so far rather than leak it.
        if let list = vc_slist_append(headerList, line) { headerList = list }
    }

    private func clear() {
        if let headerList { vc_slist_free_all(headerList) }
        headerList = nil
        requestBody?.deallocate()
        requestBody = nil
        body = []
        rawHeaders.removeAll(keepingCapacity: true)
    }

    fileprivate func appendBody(_ bytes: UnsafeRawBufferPointer) {
        body.append(contentsOf: bytes)
    }

    /// curl hands every header line of every response it reads, including interim ones (100 Continue)
    /// and, with chunked encoding, trailers; only the final response's lines are kept, as bytes (a
    /// fan-out reads thousands of responses and needs the fields of none that succeeded).
    fileprivate func appendHeaderLine(_ raw: UnsafeRawBufferPointer) {
        let bytes = raw.bindMemory(to: UInt8.self)
        if bytes.count >= 5, bytes[0] == 0x48, bytes[1] == 0x54, bytes[2] == 0x54, bytes[3] == 0x50, bytes[4] == 0x2F {
            // "HTTP/": a new status line: an interim 1xx response came before, or this is the final response.
            rawHeaders.removeAll(keepingCapacity: true)
            return
        }
        rawHeaders.append(contentsOf: bytes)
        // Size the body buffer once when the length is announced (capped: the header is untrusted).
        if let length = Self.contentLength(bytes), length > 0 {
            body.reserveCapacity(min(length, 1 << 24))
        }
    }
}

private func curlWriteBody(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    guard let data, let context else { return 0 }
    // The transfer outlives every callback of its own perform: borrowed, without a retain per call.
    Unmanaged<CurlTransfer>.fromOpaque(context)._withUnsafeGuaranteedRef {
        $0.appendBody(UnsafeRawBufferPointer(start: data, count: size * count))
    }
    return size * count
}

private func curlWriteHeader(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    guard let data, let context else { return 0 }
    Unmanaged<CurlTransfer>.fromOpaque(context)._withUnsafeGuaranteedRef {
        $0.appendHeaderLine(UnsafeRawBufferPointer(start: data, count: size * count))
    }
    return size * count
}

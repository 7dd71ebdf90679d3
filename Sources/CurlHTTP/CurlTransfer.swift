import CCurl

/// One libcurl easy handle, configured per request and reused across requests.
///
/// `curl_easy_reset` clears the options but keeps the handle's connection cache, so reusing a
/// transfer keeps the TCP (and TLS) connection alive between requests to the same host.
/// Shared by the blocking client and the multi pool; not thread-safe.
final class CurlTransfer {
    let handle: UnsafeMutableRawPointer
    private(set) var request: HTTPRequest?
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private var body: [UInt8] = []
    private var responseHeaders: [(String, String)] = []
    private var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    /// The request body, kept alive and at a stable address while curl reads it.
    private var requestBody: UnsafeMutableRawBufferPointer?

    init(connectTimeout: Duration) throws(HTTPClientError) {
        try CurlTransfer.loadLibrary()
        guard let handle = vc_easy_init() else {
            throw HTTPClientError(code: .libraryUnavailable, message: "curl_easy_init failed", target: "-")
        }
        self.handle = handle
        self.connectTimeoutMilliseconds = connectTimeout.milliseconds
    }

    deinit {
        clear()
        vc_easy_cleanup(handle)
    }

    private let connectTimeoutMilliseconds: Int

    static func loadLibrary() throws(HTTPClientError) {
        var message = [CChar](repeating: 0, count: 256)
        if vc_curl_load(&message, message.count) != 0 {
            throw HTTPClientError(
                code: .libraryUnavailable, message: String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self),
                target: "-")
        }
    }

    /// Sets every option for `request`; the transfer is then ready for `curl_easy_perform` or a multi handle.
    func prepare(_ request: HTTPRequest) throws(HTTPClientError) {
        clear()
        vc_easy_reset(handle)
        self.request = request
        let target = Self.target(of: request.url)
        func check(_ code: CURLcode, _ what: String) throws(HTTPClientError) {
            if code != CURLE_OK {
                throw HTTPClientError(
                    code: .invalidRequest, curlCode: Int(code.rawValue),
                    message: "\(what): \(String(cString: vc_easy_strerror(code)))", target: target)
            }
        }
        try check(vc_easy_setopt_string(handle, CURLOPT_URL, request.url), "URL")
        try check(vc_easy_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https"), "protocols")
        // TLS verification is always on; nothing in the project turns it off.
        try check(vc_easy_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1), "verify peer")
        try check(vc_easy_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 2), "verify host")
        // Signals and threads do not mix; timeouts then rely on the threaded resolver.
        try check(vc_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1), "nosignal")
        try check(vc_easy_setopt_long(handle, CURLOPT_TCP_KEEPALIVE, 1), "keepalive")
        try check(vc_easy_setopt_long(handle, CURLOPT_TCP_NODELAY, 1), "nodelay")
        try check(vc_easy_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, connectTimeoutMilliseconds), "connect timeout")
        try check(vc_easy_setopt_long(handle, CURLOPT_TIMEOUT_MS, request.timeout.map { max(1, $0.milliseconds) } ?? 0), "timeout")
        try errorBuffer.withUnsafeMutableBufferPointer { buffer throws(HTTPClientError) in
            buffer[0] = 0
            try check(vc_easy_setopt_pointer(handle, CURLOPT_ERRORBUFFER, buffer.baseAddress), "error buffer")
        }

        switch request.method {
        case .get: try check(vc_easy_setopt_long(handle, CURLOPT_HTTPGET, 1), "GET")
        case .head: try check(vc_easy_setopt_long(handle, CURLOPT_NOBODY, 1), "HEAD")
        case .post, .put, .delete:
            if request.method != .post {
                try check(vc_easy_setopt_string(handle, CURLOPT_CUSTOMREQUEST, request.method.rawValue), "method")
            }
            if request.method == .post || !request.body.isEmpty {
                let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, request.body.count), alignment: 1)
                request.body.withUnsafeBytes { copy.copyMemory(from: $0) }
                requestBody = copy
                try check(vc_easy_setopt_offset(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count)), "body size")
                try check(vc_easy_setopt_pointer(handle, CURLOPT_POSTFIELDS, copy.baseAddress), "body")
            }
        }

        var list: UnsafeMutablePointer<curl_slist>?
        for field in request.headers {
            list = vc_slist_append(list, "\(field.name): \(field.value)")
        }
        // curl would add `Expect: 100-continue` (a round trip) and a form content type; neither is wanted.
        list = vc_slist_append(list, "Expect:")
        if request.headers["content-type"] == nil {
            list = vc_slist_append(list, "Content-Type:")
        }
        headerList = list
        try check(vc_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, list), "headers")

        let me = Unmanaged.passUnretained(self).toOpaque()
        try check(vc_easy_setopt_callback(handle, CURLOPT_WRITEFUNCTION, curlWriteBody), "write callback")
        try check(vc_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, me), "write data")
        try check(vc_easy_setopt_callback(handle, CURLOPT_HEADERFUNCTION, curlWriteHeader), "header callback")
        try check(vc_easy_setopt_pointer(handle, CURLOPT_HEADERDATA, me), "header data")
    }

    /// The outcome of the transfer after curl reported `code`; frees per-request memory.
    func finish(_ code: CURLcode) -> Result<HTTPResponse, HTTPClientError> {
        defer { clear() }
        let target = Self.target(of: request?.url ?? "")
        guard code == CURLE_OK else {
            let detail = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let message = detail.isEmpty ? String(cString: vc_easy_strerror(code)) : detail
            return .failure(HTTPClientError(code: Self.classify(code), curlCode: Int(code.rawValue), message: message, target: target))
        }
        var status = 0
        _ = vc_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return .success(HTTPResponse(status: status, headers: HTTPHeaders(responseHeaders), body: body))
    }

    private func clear() {
        if let headerList { vc_slist_free_all(headerList) }
        headerList = nil
        requestBody?.deallocate()
        requestBody = nil
        body = []
        responseHeaders = []
    }

    fileprivate func appendBody(_ bytes: UnsafeRawBufferPointer) {
        body.append(contentsOf: bytes)
    }

    fileprivate func appendHeaderLine(_ bytes: UnsafeRawBufferPointer) {
        var line = String(decoding: bytes, as: UTF8.self)
        while line.last == "\n" || line.last == "\r" || line.last == "\r\n" { line.removeLast() }
        if line.hasPrefix("HTTP/") {
            // A new status line: an interim 100 Continue came before, or this is the final response.
            responseHeaders = []
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = String(line[..<colon])
        let value = line[line.index(after: colon)...].trimmingSpaces()
        responseHeaders.append((name, value))
    }

    static func classify(_ code: CURLcode) -> HTTPClientError.Code {
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: .dns
        case CURLE_COULDNT_CONNECT: .connect
        case CURLE_OPERATION_TIMEDOUT: .timeout
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ISSUER_ERROR,
            CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CRL_BADFILE, CURLE_USE_SSL_FAILED:
            .tls
        case CURLE_SEND_ERROR: .send
        case CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE, CURLE_WEIRD_SERVER_REPLY, CURLE_HTTP2,
            CURLE_HTTP2_STREAM:
            .receive
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL, CURLE_BAD_FUNCTION_ARGUMENT: .invalidRequest
        default: .other
        }
    }

    /// `scheme://host:port` of a URL, for error messages: never the path or query.
    static func target(of url: String) -> String {
        guard let colon = url.firstIndex(of: ":"), url[colon...].hasPrefix("://") else { return "?" }
        let rest = url[url.index(colon, offsetBy: 3)...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let hostPort = authority.split(separator: "@").last.map(String.init) ?? ""
        return String(url[..<colon]) + "://" + hostPort
    }
}

private func curlWriteBody(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    guard let data, let context else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    transfer.appendBody(UnsafeRawBufferPointer(start: data, count: size * count))
    return size * count
}

private func curlWriteHeader(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    guard let data, let context else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    transfer.appendHeaderLine(UnsafeRawBufferPointer(start: data, count: size * count))
    return size * count
}

extension Duration {
    /// Whole milliseconds, rounded down.
    var milliseconds: Int {
        let (seconds, attoseconds) = components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}

extension Substring {
    func trimmingSpaces() -> String {
        var s = self
        while s.first == " " || s.first == "\t" { s.removeFirst() }
        while s.last == " " || s.last == "\t" { s.removeLast() }
        return String(s)
    }
}

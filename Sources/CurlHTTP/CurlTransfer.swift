import CCurl

/// One libcurl easy handle, configured per request and reused across requests.
///
/// `curl_easy_reset` clears the options but keeps the handle's connection cache, so reusing a
/// transfer keeps the TCP (and TLS) connection alive between requests to the same host. Inside a
/// multi handle the multi's connection cache is used instead, with the same effect.
/// Shared by the blocking client and the multi pool; not thread-safe (confined to its owner's thread).
final class CurlTransfer {
    let handle: UnsafeMutableRawPointer
    private(set) var request: HTTPRequest?
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private var body: [UInt8] = []
    private var responseHeaders: [(String, String)] = []
    /// curl writes a failure's detail here; allocated once so its address stays valid for curl.
    private let errorBuffer: UnsafeMutablePointer<CChar>
    /// The request body, kept alive and at a stable address while curl reads it.
    private var requestBody: UnsafeMutableRawBufferPointer?
    private let connectTimeoutMilliseconds: Int

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
    }

    static func loadLibrary() throws(HTTPClientError) {
        var message = [CChar](repeating: 0, count: 256)
        if vc_curl_load(&message, message.count) != 0 {
            throw HTTPClientError(code: .libraryUnavailable, message: String(cChars: message), target: "-")
        }
    }

    /// Sets every option for `request`; the transfer is then ready for `curl_easy_perform` or a multi handle.
    func prepare(_ request: HTTPRequest) throws(HTTPClientError) {
        clear()
        vc_easy_reset(handle)
        self.request = request
        try Self.validate(request)
        func check(_ code: CURLcode, _ what: String) throws(HTTPClientError) {
            if code != CURLE_OK {
                throw HTTPClientError(
                    code: .invalidRequest, curlCode: Int(code.rawValue),
                    message: "\(what): \(String(cString: vc_easy_strerror(code)))", target: Self.target(of: request.url))
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
        // 0 = no limit (the Runtime API's long poll); any given limit is at least 1 ms.
        try check(vc_easy_setopt_long(handle, CURLOPT_TIMEOUT_MS, request.timeout.map { max(1, $0.milliseconds) } ?? 0), "timeout")
        errorBuffer[0] = 0
        try check(vc_easy_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer), "error buffer")
        // Redirects are not followed (curl's default after reset): AWS endpoints do not redirect, and a
        // followed redirect would resend signed headers to another host.

        switch request.method {
        case .get: try check(vc_easy_setopt_long(handle, CURLOPT_HTTPGET, 1), "GET")
        case .head: try check(vc_easy_setopt_long(handle, CURLOPT_NOBODY, 1), "HEAD")
        case .post, .put, .delete:
            if request.method != .post {
                try check(vc_easy_setopt_string(handle, CURLOPT_CUSTOMREQUEST, request.method.rawValue), "method")
            }
            // POST and PUT always carry a body (`Content-Length: 0` when empty); DELETE only when given one.
            if request.method != .delete || !request.body.isEmpty {
                let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, request.body.count), alignment: 1)
                request.body.withUnsafeBytes { copy.copyMemory(from: $0) }
                requestBody = copy
                try check(vc_easy_setopt_offset(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count)), "body size")
                try check(vc_easy_setopt_pointer(handle, CURLOPT_POSTFIELDS, copy.baseAddress), "body")
            }
        }

        for field in request.headers {
            // "Name;" is curl's way to send a header with an empty value ("Name:" would remove it).
            appendHeader(field.value.isEmpty ? "\(field.name);" : "\(field.name): \(field.value)")
        }
        // curl would add `Expect: 100-continue` (a round trip) and a form content type; neither is wanted.
        appendHeader("Expect:")
        if request.headers["content-type"] == nil {
            appendHeader("Content-Type:")
        }
        try check(vc_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList), "headers")

        let me = Unmanaged.passUnretained(self).toOpaque()
        try check(vc_easy_setopt_callback(handle, CURLOPT_WRITEFUNCTION, curlWriteBody), "write callback")
        try check(vc_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, me), "write data")
        try check(vc_easy_setopt_callback(handle, CURLOPT_HEADERFUNCTION, curlWriteHeader), "header callback")
        try check(vc_easy_setopt_pointer(handle, CURLOPT_HEADERDATA, me), "header data")
    }

    /// The outcome of the transfer after curl reported `code`; frees per-request memory.
    func finish(_ code: CURLcode) -> Result<HTTPResponse, HTTPClientError> {
        defer { clear() }
        guard code == CURLE_OK else {
            let detail = String(cString: errorBuffer)
            let message = detail.isEmpty ? String(cString: vc_easy_strerror(code)) : detail
            let target = Self.target(of: request?.url ?? "")
            return .failure(HTTPClientError(code: Self.classify(code), curlCode: Int(code.rawValue), message: message, target: target))
        }
        var status = 0
        _ = vc_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return .success(HTTPResponse(status: status, headers: HTTPHeaders(responseHeaders), body: body))
    }

    /// Ends a transfer that will not run to completion (the pool's deadline passed): the handle must
    /// already be out of any multi handle. Frees per-request memory and returns a `.timeout` error.
    func abandon(_ message: String) -> HTTPClientError {
        defer { clear() }
        return HTTPClientError(code: .timeout, message: message, target: Self.target(of: request?.url ?? ""))
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
        request = nil
        body = []
        responseHeaders = []
    }

    fileprivate func appendBody(_ bytes: UnsafeRawBufferPointer) {
        body.append(contentsOf: bytes)
    }

    /// curl hands every header line of every response it reads, including interim ones (100 Continue)
    /// and, with chunked encoding, trailers; only the final response's fields are kept.
    /// Parsed on the bytes (a fan-out reads thousands of these), Strings made only for name and value.
    fileprivate func appendHeaderLine(_ raw: UnsafeRawBufferPointer) {
        let bytes = raw.bindMemory(to: UInt8.self)
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
        var end = bytes.count
        while end > 0, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D { end -= 1 }
        guard end > 0 else { return }  // the blank line that ends the header
        if end >= 5, bytes[0] == 0x48, bytes[1] == 0x54, bytes[2] == 0x54, bytes[3] == 0x50, bytes[4] == 0x2F {
            // "HTTP/": a new status line: an interim 1xx response came before, or this is the final response.
            responseHeaders = []
            return
        }
        if isSpace(bytes[0]) {
            // Obsolete line folding (RFC 9112 §5.2): the line continues the previous field's value.
            guard !responseHeaders.isEmpty else { return }
            var start = 0
            while start < end, isSpace(bytes[start]) { start += 1 }
            var stop = end
            while stop > start, isSpace(bytes[stop - 1]) { stop -= 1 }
            responseHeaders[responseHeaders.count - 1].1 += " " + String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<stop]), as: UTF8.self)
            return
        }
        guard let colon = bytes[..<end].firstIndex(of: 0x3A) else { return }
        var valueStart = colon + 1
        var valueEnd = end
        while valueStart < valueEnd, isSpace(bytes[valueStart]) { valueStart += 1 }
        while valueEnd > valueStart, isSpace(bytes[valueEnd - 1]) { valueEnd -= 1 }
        let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[..<colon]), as: UTF8.self)
        let value = String(decoding: UnsafeBufferPointer(rebasing: bytes[valueStart..<valueEnd]), as: UTF8.self)
        responseHeaders.append((name, value))
        // Size the body buffer once when the length is announced (capped: the header is untrusted).
        if colon == 14, name.lowercased() == "content-length", let length = Int(value), length > 0 {
            body.reserveCapacity(min(length, 1 << 24))
        }
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

import CCurl

/// An `HTTPRequestTemplate` made ready for libcurl for the length of one pool run: its body copied to a
/// stable address and its fixed header lines as a curl list that every attempt's own lines link to.
/// curl only reads both, so all transfers of the run share them.
final class PreparedTemplate {
    /// Which run of its pool a transfer was configured for: never 0, never reused by that pool (transfers
    /// belong to one pool, so a per-pool count is enough and needs no synchronization).
    let id: UInt64
    let method: HTTPRequest.Method
    /// A copy of the body at a stable address (curl reads it while transfers run), at least 1 byte.
    let body: UnsafeMutableRawBufferPointer
    let bodyCount: Int
    /// The fixed lines (`CurlTransfer.headerLines`).
    private(set) var fixedLines: UnsafeMutablePointer<curl_slist>?

    /// - Throws: `.invalidRequest` for a header field curl would send differently from what was meant.
    init(_ template: HTTPRequestTemplate, id: UInt64) throws(HTTPClientError) {
        precondition(id != 0, "0 means no template")
        self.id = id
        method = template.method
        try CurlTransfer.validateFields(template.headers.fields, url: "-")
        bodyCount = template.body.count
        body = .allocate(byteCount: max(1, template.body.count), alignment: 1)
        template.body.withUnsafeBytes { body.copyMemory(from: $0) }
        for line in CurlTransfer.headerLines(template.headers, bodyCount: template.body.count) {
            guard let list = vc_slist_append(fixedLines, line) else {
                if let fixedLines { vc_slist_free_all(fixedLines) }
                body.deallocate()
                throw HTTPClientError(code: .other, message: "curl_slist_append failed (out of memory)", target: "-")
            }
            fixedLines = list
        }
    }

    deinit {
        if let fixedLines { vc_slist_free_all(fixedLines) }
        body.deallocate()
    }
}

import SystemSupport

/// Signs a series of requests that are the same except for the last segment of their path: one
/// message posted to thousands of WebSocket connections (`POST {stage}/@connections/{id}`).
///
/// Everything the requests share is canonicalized once: the method, the canonical URI up to the
/// segment, the canonical headers around `x-amz-date`, the signed-headers list, the payload hash and
/// the HMAC pads of the day's signing key. Each signature then costs one pass over a reused buffer, one
/// SHA-256 and one HMAC, with no allocation but the two header values it returns. The result is exactly
/// what `SigV4Signer.sign(_:date:)` gives for the full request (the tests compare them).
///
/// Not thread-safe (it reuses its buffers); make one per thread.
package final class SigV4PathTemplate {
    /// The two header fields that differ per request.
    package struct SignedFields: Sendable {
        /// The `X-Amz-Date` value, `yyyyMMdd'T'HHmmss'Z'`.
        public let amzDate: String
        /// The `Authorization` value.
        public let authorization: String
    }

    /// The header fields every request carries unchanged, in order: `Host`, the caller's fields and
    /// `X-Amz-Security-Token` when the credentials have one. Send them with each request's `SignedFields`.
    package let fixedHeaders: [(name: String, value: String)]
    /// The URL every request's segment is appended to.
    package let baseURL: String

    private let signer: SigV4Signer
    /// `METHOD \n canonical URI of the base path`, which ends with `/`.
    private let head: [UInt8]
    /// `\n` (empty query) `\n` and the canonical headers up to the value of `x-amz-date`.
    private let middle: [UInt8]
    /// The rest of the canonical request after that value: the other headers, the signed-header names and
    /// the payload hash.
    private let tail: [UInt8]
    /// The signed-header names, as the Authorization value repeats them.
    private let signedHeaders: [UInt8]
    private let normalizePath: Bool

    private let context = SHA256Context()
    /// The canonical request, rebuilt in place for each signature.
    private var canonical: [UInt8] = []
    private var stringToSign: [UInt8] = []
    private var authorization: [UInt8] = []
    /// The day, its signing key's HMAC pads and the Authorization prefix up to `Signature=`, remade at 00:00 UTC.
    private var day: (day: [UInt8], pads: HMACPads, prefix: [UInt8])?
    /// The last second signed and its `X-Amz-Date` value (a fan-out signs thousands of requests a second).
    private var second: (epoch: Int64, date: AMZDate, string: String)?

    /// Prepares the template, or returns nil when `baseURL` is not an absolute, percent-encoded http(s)
    /// URL whose path ends with `/` and has no query or fragment.
    /// - Parameters:
    ///   - headers: fields sent with every request. `Authorization`, `X-Amz-Date` and (when the
    ///     credentials have a token) `X-Amz-Security-Token` are dropped for the template's own, as `sign` replaces them.
    ///   - body: the body of every request.
    public init?(
        signer: SigV4Signer, method: String, baseURL: String, headers: [(name: String, value: String)] = [], body: [UInt8]
    ) {
        let lower = baseURL.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://"), !baseURL.utf8.contains(UInt8(ascii: "?")),
            !baseURL.utf8.contains(UInt8(ascii: "#")), baseURL.utf8.last == UInt8(ascii: "/"),
            let request = SigV4Request(method: method, url: baseURL, headers: headers, body: body)
        else { return nil }
        self.signer = signer
        self.baseURL = baseURL
        normalizePath = signer.normalizePath

        // The signer's own canonical request of the base URL, with a placeholder date: its bytes around the
        // end of the URI and the date's value are the parts every request shares.
        let placeholder = "00000000T000000Z"
        var template = request
        template.headers = signer.signedFields(request.headers, amzDate: placeholder)
        fixedHeaders = template.headers.filter { !ASCII.equalsIgnoringCase($0.name, "x-amz-date") }
        let canonical = signer.canonicalRequestBytes(template)
        guard let date = canonical.dateValue, date.count == placeholder.utf8.count, canonical.uriEnd < date.lowerBound
        else { return nil }
        signedHeaders = canonical.signedHeaders

        var head = Array(canonical.bytes[..<canonical.uriEnd])
        // A base that normalizes away to nothing ("/a/..") still ends with the root's slash.
        if head.last != UInt8(ascii: "/") { head.append(UInt8(ascii: "/")) }
        self.head = head
        middle = Array(canonical.bytes[canonical.uriEnd..<date.lowerBound])
        tail = Array(canonical.bytes[date.upperBound...])
    }

    /// Signs the request to `baseURL + segment` at `date`; nil when `segment` is not one path segment as
    /// it goes on the wire (printable ASCII without `/`, `?`, `#`, not empty, `.` or `..`), since only
    /// then is its canonical URI the template's plus the segment encoded.
    public func sign(segment: [UInt8], date: UnixTime) -> SignedFields? {
        guard Self.isPlainSegment(segment) else { return nil }
        let time = self.time(date)
        let key = self.key(for: time.date)

        canonical.removeAll(keepingCapacity: true)
        canonical.append(contentsOf: head)
        PercentEncoding.appendEncoded(segment, keepingSlash: false, to: &canonical)
        canonical.append(contentsOf: middle)
        canonical.append(contentsOf: time.date.dateTime)
        canonical.append(contentsOf: tail)

        stringToSign.removeAll(keepingCapacity: true)
        let context = self.context
        withUnsafeTemporaryAllocation(byteCount: Digest.length, alignment: 1) { hash in
            canonical.withUnsafeBytes { context.hash($0, UnsafeRawBufferPointer(start: nil, count: 0), into: hash) }
            signer.appendStringToSign(canonicalRequestHash: UnsafeRawBufferPointer(hash), date: time.date, to: &stringToSign)
        }

        authorization.removeAll(keepingCapacity: true)
        authorization.append(contentsOf: key.prefix)
        withUnsafeTemporaryAllocation(byteCount: Digest.length, alignment: 1) { signature in
            stringToSign.withUnsafeBytes { context.hmac(key.pads, $0, into: signature) }
            Hex.appendLowercase(UnsafeRawBufferPointer(signature), to: &authorization)
        }
        return SignedFields(amzDate: time.string, authorization: String(decoding: authorization, as: UTF8.self))
    }

    /// Whether `segment` can be appended to the base path as one segment (see `sign`).
    static func isPlainSegment(_ segment: [UInt8]) -> Bool {
        guard !segment.isEmpty else { return false }
        var dots = 0
        for byte in segment {
            guard byte > 0x20, byte < 0x7F, byte != UInt8(ascii: "/"), byte != UInt8(ascii: "?"), byte != UInt8(ascii: "#")
            else { return false }
            if byte == UInt8(ascii: ".") { dots += 1 }
        }
        // "." and ".." are dot segments that normalization would remove.
        return !(dots == segment.count && dots <= 2)
    }

    /// The request time of `date`, reused while the second is the same.
    private func time(_ date: UnixTime) -> (date: AMZDate, string: String) {
        let epoch = AMZDate.epochSeconds(date)
        if let second, second.epoch == epoch { return (second.date, second.string) }
        let amzDate = AMZDate(epochSeconds: epoch)
        second = (epoch, amzDate, amzDate.dateTimeString)
        return (amzDate, amzDate.dateTimeString)
    }

    /// The signing key's HMAC pads and the Authorization prefix for the day of `date`. The template's
    /// signer never changes, so only the day is compared.
    private func key(for date: AMZDate) -> (pads: HMACPads, prefix: [UInt8]) {
        if let day, day.day.elementsEqual(date.date) { return (day.pads, day.prefix) }
        let pads = HMACPads(key: SigV4Signer.SigningKey(signer: signer, day: date.date).bytes)
        var prefix: [UInt8] = []
        signer.appendAuthorizationPrefix(date: date, signedHeaders: signedHeaders, to: &prefix)
        day = (Array(date.date), pads, prefix)
        return (pads, prefix)
    }
}

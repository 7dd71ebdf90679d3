/// Step 1, the canonical request:
///
///     Method \n CanonicalURI \n CanonicalQuery \n CanonicalHeaders \n SignedHeaders \n HexSHA256(body)
///
/// where CanonicalHeaders ends with its own newline. Built as bytes, since it is only ever hashed.
/// See https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
extension SigV4Signer {
    /// The canonical request of `request`, which must already carry `X-Amz-Date` (and the token),
    /// as after `sign`; an `Authorization` field is ignored.
    public func canonicalRequest(_ request: SigV4Request) -> String {
        String(decoding: canonicalRequestBytes(request).bytes, as: UTF8.self)
    }

    /// The canonical request as bytes, with what `SigV4PathTemplate` needs to rebuild it per request.
    struct CanonicalRequest {
        var bytes: [UInt8]
        /// The signed-headers list, which the Authorization header repeats.
        var signedHeaders: [UInt8]
        /// Where the canonical URI ends in `bytes` (the template appends a path segment there).
        var uriEnd: Int
        /// Where the `x-amz-date` value is in `bytes` (the template puts each request's date there).
        var dateValue: Range<Int>?
    }

    /// The canonical request and the signed-headers list that the Authorization header repeats.
    func canonicalRequestBytes(_ request: SigV4Request) -> CanonicalRequest {
        let newline = UInt8(ascii: "\n")
        let headers = CanonicalHeaders(request.headers)
        var out: [UInt8] = []
        out.reserveCapacity(
            request.method.utf8.count + request.path.utf8.count * 3 + request.query.utf8.count * 3
                + headers.canonical.count + headers.signedNames.count + 70
        )
        out.append(contentsOf: request.method.utf8)
        out.append(newline)
        CanonicalURI.append(path: request.path, normalize: normalizePath, to: &out)
        let uriEnd = out.count
        out.append(newline)
        CanonicalQuery.append(query: request.query, to: &out)
        out.append(newline)
        let headersStart = out.count
        out.append(contentsOf: headers.canonical)
        out.append(newline)
        out.append(contentsOf: headers.signedNames)
        out.append(newline)
        // The payload hash: always the real SHA-256 of the body (no UNSIGNED-PAYLOAD for these services).
        Hex.appendLowercase(Digest.sha256(request.body), to: &out)
        let dateValue = headers.dateValue.map { (headersStart + $0.lowerBound)..<(headersStart + $0.upperBound) }
        return CanonicalRequest(bytes: out, signedHeaders: headers.signedNames, uriEnd: uriEnd, dateValue: dateValue)
    }
}

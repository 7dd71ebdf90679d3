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

    /// The canonical request and the signed-headers list that the Authorization header repeats.
    func canonicalRequestBytes(_ request: SigV4Request) -> (bytes: [UInt8], signedHeaders: [UInt8]) {
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
        out.append(newline)
        CanonicalQuery.append(query: request.query, to: &out)
        out.append(newline)
        out.append(contentsOf: headers.canonical)
        out.append(newline)
        out.append(contentsOf: headers.signedNames)
        out.append(newline)
        // The payload hash: always the real SHA-256 of the body (no UNSIGNED-PAYLOAD for these services).
        Hex.appendLowercase(Digest.sha256(request.body), to: &out)
        return (out, headers.signedNames)
    }
}

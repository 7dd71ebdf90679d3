import SystemSupport

/// Step 1c of the canonical request: the canonical query string.
///
/// The wire query is split on `&`; each parameter on its first `=` (a parameter without `=` has an
/// empty value, written `name=`); names and values are decoded and encoded again per SigV4's URI
/// encoding; the parameters are sorted by encoded name, then by encoded value (byte order), and
/// joined with `&`. See https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
enum CanonicalQuery {
    /// Appends the canonical form of `query` (without `?`); nothing when it is empty.
    static func append(query: String, to out: inout [UInt8]) {
        guard !query.isEmpty else { return }
        let wire = Array(query.utf8)
        let equals = UInt8(ascii: "=")
        var parameters: [(name: [UInt8], value: [UInt8])] = []
        // Like botocore, an empty piece (`a=1&&b=2`) is kept as a parameter with empty name and value.
        for piece in wire.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: false) {
            var name: [UInt8] = [], value: [UInt8] = []
            if let split = piece.firstIndex(of: equals) {
                PercentEncoding.appendReencoded(piece[piece.startIndex..<split], to: &name)
                PercentEncoding.appendReencoded(piece[(split + 1)...], to: &value)
            } else {
                PercentEncoding.appendReencoded(piece, to: &name)
            }
            parameters.append((name, value))
        }
        parameters.sort { left, right in
            left.name == right.name
                ? left.value.lexicographicallyPrecedes(right.value)
                : left.name.lexicographicallyPrecedes(right.name)
        }
        for (position, parameter) in parameters.enumerated() {
            if position > 0 { out.append(UInt8(ascii: "&")) }
            out.append(contentsOf: parameter.name)
            out.append(equals)
            out.append(contentsOf: parameter.value)
        }
    }
}

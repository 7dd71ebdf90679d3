import SigV4

/// Who a `$connect` is, for one day only: SHA-256 of the day's random salt, the source IP, the user agent
/// and the site (the `Origin`), as 64 hex digits (docs/design.md, "Unique visitors").
///
/// Only this hash is stored, in the visitor marker of that day; the IP address and the user agent are
/// never written anywhere. While the salt exists, anyone who can read the table could test a guessed
/// (IP, user agent) against a marker; once the salt is deleted (at the end of the day) nobody can, since
/// the salt is 256 random bits that were never stored anywhere else.
public struct VisitorFingerprint: Sendable, Equatable {
    /// The hash: 64 lowercase hex digits.
    public let hash: String

    /// The fields are separated by NUL, which none of them can contain (HTTP header values and IP address
    /// texts never do), so two different inputs never make the same byte string.
    /// - Throws: `.configuration` when libcrypto cannot be loaded (the `SigV4Error` as `underlying`), the
    ///   same check the AWS client makes before signing.
    public init(salt: [UInt8], sourceIp: String, userAgent: String?, site: String?) throws(VisitorCounterError) {
        var bytes = salt
        for field in [sourceIp, userAgent ?? "", site ?? ""] {
            bytes.append(0)
            bytes += Array(field.utf8)
        }
        do {
            hash = try SHA256.hex(bytes)
        } catch {
            throw VisitorCounterError(.configuration, "cannot hash the visitor", underlying: error)
        }
    }
}

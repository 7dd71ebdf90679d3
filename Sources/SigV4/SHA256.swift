/// SHA-256 for the rest of the package: the signer's own libcrypto digest, so hashing a visitor's daily
/// fingerprint (VisitorCounterCore) adds no second crypto dependency to the Lambda binaries.
package enum SHA256 {
    /// SHA-256 of `data` as 64 lowercase hex digits.
    /// - Throws: `SigV4Error.cryptoUnavailable` when libcrypto cannot be loaded (`CryptoLibrary.load()`).
    package static func hex(_ data: [UInt8]) throws(SigV4Error) -> String {
        try CryptoLibrary.load()
        return Hex.lowercase(Digest.sha256(data))
    }
}

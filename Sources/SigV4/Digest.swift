/// SHA-256 and HMAC-SHA256 over libcrypto's EVP digest interface: one-shot functions (this file and
/// `SHA256Context`, its reusable counterpart, are the only Swift files that call into libcrypto, through
/// the function pointers of `CryptoLibrary`). Callers have checked `CryptoLibrary.load()` first.
///
/// OpenSSL 3's one-shot `SHA256()` and `HMAC()` look the algorithm up again on every call (a provider
/// fetch behind a read-write lock, plus `EVP_MAC` set-up for HMAC), which was a tenth of the CPU of a
/// fan-out (docs/benchmarks.md). So the SHA-256 implementation is fetched once and HMAC is RFC 2104 over
/// it: two digests, with the key padded to the block size.
/// https://www.openssl.org/docs/man3.0/man7/crypto.html ("Performance")
enum Digest {
    /// SHA-256 output size in bytes.
    static let length = 32
    /// SHA-256 block size in bytes (HMAC pads the key to it).
    static let blockSize = 64

    /// SHA-256 of `data`.
    static func sha256(_ data: [UInt8]) -> [UInt8] {
        digest { update in update(data) }
    }

    /// HMAC-SHA256 of `data` under `key` (RFC 2104), as used at every step of the SigV4 key derivation.
    static func hmacSHA256(key: [UInt8], data: [UInt8]) -> [UInt8] {
        let pads = HMACPads(key: key)
        let inner = digest { update in
            update(pads.inner)
            update(data)
        }
        return digest { update in
            update(pads.outer)
            update(inner)
        }
    }

    /// One SHA-256 over the byte arrays `feed` passes to its argument, in order. A failure inside
    /// libcrypto (out of memory) yields 32 zero bytes: a signature that simply fails verification.
    private static func digest(_ feed: ((_ bytes: [UInt8]) -> Void) -> Void) -> [UInt8] {
        let crypto = CryptoLibrary.loaded
        guard let context = crypto.contextNew() else { return [UInt8](repeating: 0, count: length) }
        defer { crypto.contextFree(context) }
        var ok = crypto.digestInit(context, crypto.sha256, nil) == 1
        feed { bytes in
            bytes.withUnsafeBytes { buffer in
                ok = ok && crypto.digestUpdate(context, buffer.baseAddress, buffer.count) == 1
            }
        }
        var out = [UInt8](repeating: 0, count: length)
        var written: UInt32 = 0
        ok = ok && out.withUnsafeMutableBufferPointer { crypto.digestFinal(context, $0.baseAddress, &written) } == 1
        return ok && written == UInt32(length) ? out : [UInt8](repeating: 0, count: length)
    }
}

import CCrypto

/// SHA-256 and HMAC-SHA256 from libcrypto's one-shot functions. The only Swift file that touches C.
///
/// Both are stateless calls, so nothing here is shared between threads.
enum Digest {
    /// SHA-256 output size in bytes.
    static let length = 32

    /// SHA-256 of `data`.
    static func sha256(_ data: [UInt8]) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: length) { out, count in
            data.withUnsafeBufferPointer { input in
                _ = SHA256(input.baseAddress, input.count, out.baseAddress)
            }
            count = length
        }
    }

    /// HMAC-SHA256 of `data` under `key` (RFC 2104), as used at every step of the SigV4 key derivation.
    static func hmacSHA256(key: [UInt8], data: [UInt8]) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: length) { out, count in
            var written: UInt32 = 0
            key.withUnsafeBufferPointer { keyBytes in
                data.withUnsafeBufferPointer { input in
                    _ = HMAC(
                        EVP_sha256(), keyBytes.baseAddress, Int32(keyBytes.count),
                        input.baseAddress, input.count, out.baseAddress, &written
                    )
                }
            }
            // libcrypto writes exactly 32 bytes for SHA-256; a failure (out of memory) writes none,
            // and a zeroed MAC then simply fails verification instead of reading garbage.
            if written != UInt32(length) { out.initialize(repeating: 0) }
            count = length
        }
    }
}

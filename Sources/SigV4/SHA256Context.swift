import CCrypto

/// One libcrypto digest context reused for many SHA-256 and HMAC-SHA256 computations, writing into
/// caller-provided memory: no allocation per hash. `Digest`'s one-shot functions create a context and
/// two arrays per call, which is fine for a few signatures but not for one per fan-out message.
///
/// Not thread-safe: it is one mutable context. Owned by a `SigV4PathTemplate`.
final class SHA256Context {
    private let context: OpaquePointer?

    init() {
        context = EVP_MD_CTX_new()
    }

    deinit {
        EVP_MD_CTX_free(context)
    }

    /// SHA-256 of `first` followed by `second`, into `out` (at least 32 bytes). On a libcrypto failure
    /// (out of memory) `out` is zero-filled: a signature that simply fails verification.
    func hash(_ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) {
        precondition(out.count >= Digest.length)
        var written: UInt32 = 0
        let ok = context != nil
            && EVP_DigestInit_ex(context, Digest.sha256Algorithm, nil) == 1
            && EVP_DigestUpdate(context, first.baseAddress, first.count) == 1
            && EVP_DigestUpdate(context, second.baseAddress, second.count) == 1
            && EVP_DigestFinal_ex(context, out.baseAddress?.assumingMemoryBound(to: UInt8.self), &written) == 1
        if !ok || written != UInt32(Digest.length) {
            out.initializeMemory(as: UInt8.self, repeating: 0)
        }
    }

    /// HMAC-SHA256 (RFC 2104) of `data` under the key whose padded blocks are `pads`, into `out`
    /// (at least 32 bytes): H(key ⊕ opad ‖ H(key ⊕ ipad ‖ data)).
    func hmac(_ pads: HMACPads, _ data: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) {
        withUnsafeTemporaryAllocation(byteCount: Digest.length, alignment: 1) { inner in
            pads.inner.withUnsafeBytes { hash($0, data, into: inner) }
            pads.outer.withUnsafeBytes { hash($0, UnsafeRawBufferPointer(inner), into: out) }
        }
    }
}

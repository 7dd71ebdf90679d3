/// One libcrypto digest context reused for many SHA-256 and HMAC-SHA256 computations, writing into
/// caller-provided memory: no allocation per hash. `Digest`'s one-shot functions create a context and
/// two arrays per call, which is fine for a few signatures but not for one per fan-out message.
///
/// The libcrypto functions are taken from `CryptoLibrary.loaded` once, at creation (so its owner must
/// have checked `CryptoLibrary.load()` before): each hash is then a few calls through function pointers,
/// what calls through the PLT cost when libcrypto was linked.
///
/// Not thread-safe: it is one mutable context. Owned by a `SigV4PathTemplate`.
final class SHA256Context {
    private let crypto: CryptoLibrary
    private let context: OpaquePointer?

    init() {
        crypto = CryptoLibrary.loaded
        context = crypto.contextNew()
    }

    deinit {
        crypto.contextFree(context)
    }

    /// SHA-256 of `first` followed by `second`, into `out` (at least 32 bytes). On a libcrypto failure
    /// (out of memory) `out` is zero-filled: a signature that simply fails verification.
    func hash(_ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) {
        precondition(out.count >= Digest.length)
        var written: UInt32 = 0
        let ok = context != nil
            && crypto.digestInit(context, crypto.sha256, nil) == 1
            && crypto.digestUpdate(context, first.baseAddress, first.count) == 1
            && crypto.digestUpdate(context, second.baseAddress, second.count) == 1
            && crypto.digestFinal(context, out.baseAddress?.assumingMemoryBound(to: UInt8.self), &written) == 1
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

/// An HMAC-SHA256 key prepared once: the key padded to the block size and XORed with ipad and opad
/// (RFC 2104), so each HMAC under it is two plain digests (`Digest.hmacSHA256`, `SHA256Context.hmac`).
struct HMACPads {
    let inner: [UInt8]
    let outer: [UInt8]

    init(key: [UInt8]) {
        var block = key.count > Digest.blockSize ? Digest.sha256(key) : key
        block += [UInt8](repeating: 0, count: Digest.blockSize - block.count)
        inner = block.map { $0 ^ 0x36 }
        outer = block.map { $0 ^ 0x5C }
    }
}

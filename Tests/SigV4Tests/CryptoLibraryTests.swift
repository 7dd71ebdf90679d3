@testable import SigV4
import Testing

/// libcrypto opened at run time: the process's own load, the digests through it, and the errors of a
/// library that cannot be opened or lacks the functions (real `dlopen`/`dlsym` failures, no stand-ins).
@Suite struct CryptoLibraryTests {
    @Test func theProcessLibraryLoadsAndHashesKnownVectors() throws {
        try CryptoLibrary.load()
        // FIPS 180-2 appendix B.1 and B.2, and the empty message.
        #expect(try SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            try SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(try SHA256.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        // RFC 4231 test case 2 (a key shorter than the block) and 6 (a key longer than the block, hashed first).
        #expect(
            Hex.lowercase(Digest.hmacSHA256(key: Array("Jefe".utf8), data: Array("what do ya want for nothing?".utf8)))
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        #expect(
            Hex.lowercase(
                Digest.hmacSHA256(
                    key: [UInt8](repeating: 0xAA, count: 131), data: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)))
                == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    @Test func theReusedContextAgreesWithTheOneShotDigests() {
        let context = SHA256Context()
        let data = Array("what do ya want for nothing?".utf8)
        var out = [UInt8](repeating: 0xFF, count: Digest.length)
        Array("what do ya ".utf8).withUnsafeBytes { first in
            Array("want for nothing?".utf8).withUnsafeBytes { second in
                out.withUnsafeMutableBytes { context.hash(first, second, into: $0) }
            }
        }
        #expect(out == Digest.sha256(data))
        let key = Array("Jefe".utf8)
        data.withUnsafeBytes { bytes in out.withUnsafeMutableBytes { context.hmac(HMACPads(key: key), bytes, into: $0) } }
        #expect(out == Digest.hmacSHA256(key: key, data: data))
    }

    @Test func aLibraryThatCannotBeOpenedIsReportedWithEveryNameTried() {
        let names = ["/nonexistent/libcrypto.so.3", "libvc-no-such-crypto.so.9"]
        let error = #expect(throws: SigV4Error.self) { try CryptoLibrary.open(names: names) }
        #expect(error?.code == .cryptoUnavailable)
        let message = error?.message ?? ""
        #expect(message.hasPrefix("libcrypto could not be loaded; tried"))
        for name in names {
            #expect(message.contains("[\(name): dlopen: \(name): cannot open shared object file"), "\(message)")
        }
    }

    @Test func aLibraryWithoutTheDigestFunctionsIsReportedPerMissingSymbolThenTheNextNameIsTried() throws {
        // libc opens but has none of EVP_*: each missing function is named with its dlsym error.
        let error = #expect(throws: SigV4Error.self) { try CryptoLibrary.open(names: ["libc.so.6"]) }
        let message = error?.message ?? ""
        for function in ["EVP_MD_fetch", "EVP_sha256", "EVP_MD_CTX_new", "EVP_MD_CTX_free", "EVP_DigestInit_ex", "EVP_DigestUpdate", "EVP_DigestFinal_ex"] {
            #expect(message.contains("dlsym \(function): "), "\(message)")
        }
        #expect(message.contains("[libc.so.6: loaded; "))
        // A failed candidate does not stop the search.
        let library = try CryptoLibrary.open(names: ["libc.so.6"] + CryptoLibrary.defaultNames)
        let context = try #require(library.contextNew())
        defer { library.contextFree(context) }
        #expect(library.digestInit(context, library.sha256, nil) == 1)
    }

    @Test func noNamesIsAnErrorNotASuccess() {
        let error = #expect(throws: SigV4Error.self) { try CryptoLibrary.open(names: []) }
        #expect(error?.message == "libcrypto could not be loaded; tried nothing")
    }
}

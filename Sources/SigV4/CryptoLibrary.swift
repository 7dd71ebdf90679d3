#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import SystemSupport

/// libcrypto's EVP digest functions, opened with `dlopen` on first use instead of linked.
///
/// A linked libcrypto (4.7 MB, thousands of relocations) was mapped and relocated by the dynamic loader
/// before `main` on every cold start, although nothing hashes before the first event and libcurl, loaded
/// in the background once the first `/next` is on the wire, maps the same libcrypto.so.3 anyway
/// (docs/benchmarks.md). Opening it here costs nothing more once libcurl has loaded it, and keeps it off
/// the path to the first `/next`.
///
/// Callers check the load with `CryptoLibrary.load()` before signing or hashing (the AWS client does so
/// before each request, `SHA256.hex` on each call), so a missing libcrypto becomes an error of the request
/// that needed it, naming each library tried and its `dlerror()` text, and `sign` stays non-throwing.
/// The digest code then takes the library from `CryptoLibrary.loaded`.
///
/// Immutable after the load: the function pointers and the fetched SHA-256 (which OpenSSL documents as
/// safe to share between threads) are read from any thread.
package final class CryptoLibrary: @unchecked Sendable {
    typealias MDFetch = @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> OpaquePointer?
    typealias MDGetter = @convention(c) () -> OpaquePointer?
    typealias ContextNew = @convention(c) () -> OpaquePointer?
    typealias ContextFree = @convention(c) (OpaquePointer?) -> Void
    typealias DigestInit = @convention(c) (OpaquePointer?, OpaquePointer?, OpaquePointer?) -> Int32
    typealias DigestUpdate = @convention(c) (OpaquePointer?, UnsafeRawPointer?, Int) -> Int32
    typealias DigestFinal = @convention(c) (OpaquePointer?, UnsafeMutablePointer<UInt8>?, UnsafeMutablePointer<UInt32>?) -> Int32

    /// The library names tried in order: the OpenSSL 3 runtime name on Debian, Ubuntu and Amazon Linux 2023
    /// (the one their libcurl links). No unversioned `libcrypto.so`: it exists only with the -dev package,
    /// as a link to the same file, and could name an OpenSSL whose ABI differs.
    #if canImport(Darwin)
    package static let defaultNames = ["libcrypto.3.dylib"]
    #else
    package static let defaultNames = ["libcrypto.so.3"]
    #endif

    let contextNew: ContextNew
    let contextFree: ContextFree
    let digestInit: DigestInit
    let digestUpdate: DigestUpdate
    let digestFinal: DigestFinal
    /// SHA-256, fetched once: OpenSSL 3 looks the algorithm up again on every use of the implicit
    /// `EVP_sha256()` (a provider fetch behind a read-write lock). That one only if the fetch fails.
    let sha256: OpaquePointer

    private init(
        contextNew: ContextNew, contextFree: ContextFree, digestInit: DigestInit, digestUpdate: DigestUpdate,
        digestFinal: DigestFinal, sha256: OpaquePointer
    ) {
        self.contextNew = contextNew
        self.contextFree = contextFree
        self.digestInit = digestInit
        self.digestUpdate = digestUpdate
        self.digestFinal = digestFinal
        self.sha256 = sha256
    }

    /// The process's libcrypto, opened once (a `static let` is initialised once, thread-safely) on first use:
    /// the names in `VC_TEST_LIBCRYPTO_PATHS` (colon-separated; for process tests that need a libcrypto that
    /// cannot load), else `defaultNames`.
    static let shared: Result<CryptoLibrary, SigV4Error> = {
        var names = defaultNames
        if let override = ProcessEnvironment.value("VC_TEST_LIBCRYPTO_PATHS") {
            names = override.split(separator: ":").map(String.init)
        }
        return Result { () throws(SigV4Error) in try open(names: names) }
    }()

    /// Loads libcrypto unless it is loaded, or reports why it cannot be: cheap after the first call.
    /// - Throws: `SigV4Error.cryptoUnavailable` naming every library tried and why each failed; the same
    ///   error on every later call (the load is not retried: a library does not appear in a running sandbox).
    package static func load() throws(SigV4Error) {
        if case .failure(let error) = shared { throw error }
    }

    /// The loaded library, for code that runs only after `load()` succeeded (the digest functions).
    /// Reaching it without that check while libcrypto is missing is a programming error: it stops the
    /// process rather than produce a hash or signature that is silently wrong.
    static var loaded: CryptoLibrary {
        switch shared {
        case .success(let library): return library
        case .failure(let error): preconditionFailure("SigV4 hashed without CryptoLibrary.load(): \(error)")
        }
    }

    /// Opens the first of `names` that loads with every function SigV4 uses and a SHA-256.
    /// - Throws: `.cryptoUnavailable` with each name and its `dlopen`/`dlsym` error, in order.
    package static func open(names: [String]) throws(SigV4Error) -> CryptoLibrary {
        var tried = ""
        for name in names {
            guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else {
                tried += " [\(name): dlopen: \(lastError())]"
                continue
            }
            var missing: [String] = []
            func symbol<Function>(_ symbolName: String, as type: Function.Type) -> Function? {
                _ = dlerror()
                guard let address = dlsym(handle, symbolName) else {
                    missing.append("dlsym \(symbolName): \(lastError())")
                    return nil
                }
                return unsafeBitCast(address, to: type)
            }
            let fetch = symbol("EVP_MD_fetch", as: MDFetch.self)
            let legacy = symbol("EVP_sha256", as: MDGetter.self)
            let contextNew = symbol("EVP_MD_CTX_new", as: ContextNew.self)
            let contextFree = symbol("EVP_MD_CTX_free", as: ContextFree.self)
            let digestInit = symbol("EVP_DigestInit_ex", as: DigestInit.self)
            let digestUpdate = symbol("EVP_DigestUpdate", as: DigestUpdate.self)
            let digestFinal = symbol("EVP_DigestFinal_ex", as: DigestFinal.self)
            guard let fetch, let legacy, let contextNew, let contextFree, let digestInit, let digestUpdate, let digestFinal
            else {
                tried += " [\(name): loaded; " + missing.joined(separator: "; ") + "]"
                dlclose(handle)
                continue
            }
            guard let sha256 = fetch(nil, "SHA256", nil) ?? legacy() else {
                tried += " [\(name): loaded; no SHA-256 (EVP_MD_fetch and EVP_sha256 gave nothing)]"
                dlclose(handle)
                continue
            }
            // The handle stays open for the life of the process: the function pointers point into it.
            return CryptoLibrary(
                contextNew: contextNew, contextFree: contextFree, digestInit: digestInit, digestUpdate: digestUpdate,
                digestFinal: digestFinal, sha256: sha256)
        }
        throw SigV4Error(code: .cryptoUnavailable, message: "libcrypto could not be loaded; tried" + (tried.isEmpty ? " nothing" : tried))
    }

    /// `dlerror()`'s text for the last failure on this thread (it is thread-local in glibc and macOS).
    private static func lastError() -> String {
        dlerror().map { String(cString: $0) } ?? "no detail"
    }
}

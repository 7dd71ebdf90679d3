/// Why SigV4 cannot sign or hash: one error type for the module.
///
/// Signing itself cannot fail; what can is loading libcrypto, which SigV4 opens at run time
/// (`CryptoLibrary`). The message never contains key material: only library names and `dlerror()` texts.
public struct SigV4Error: Error, Sendable, CustomStringConvertible {
    /// What kind of failure.
    public enum Code: String, Sendable {
        /// libcrypto could not be loaded, lacks a function SigV4 uses, or has no SHA-256.
        case cryptoUnavailable
    }

    /// What kind of failure.
    public var code: Code
    /// Every library name tried and why each failed.
    public var message: String

    /// Creates an error.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String {
        "\(code.rawValue): \(message)"
    }
}

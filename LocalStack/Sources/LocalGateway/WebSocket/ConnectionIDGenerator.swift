import Foundation

/// Connection ids shaped like API Gateway's: 11 random bytes in base64, i.e. 16 characters ending in
/// `=` (for example `L0SM9cOFvHcCIhw=`). Clients and functions treat them as opaque strings, but the
/// `=` (and the odd `+` or `/`) must be percent-encoded in Management API paths, which is exactly
/// what the local stack should exercise.
enum ConnectionIDGenerator {
    /// A fresh id from the system's CSPRNG.
    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        return make(using: &generator)
    }

    /// A fresh id from `generator` (injectable so a test can pin it). Ids with `+` or `/` are drawn
    /// again: a `/` would need care in every path that carries the id, and real ids look alphanumeric.
    static func make(using generator: inout some RandomNumberGenerator) -> String {
        while true {
            let bytes = (0..<11).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
            let id = Data(bytes).base64EncodedString()
            if !id.contains("+") && !id.contains("/") { return id }
        }
    }

    /// A request id in the style of API Gateway's (`extendedRequestId`-like, base64 of 9 random bytes).
    static func makeRequestID() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<9).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString()
    }
}

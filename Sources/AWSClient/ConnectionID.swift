import SystemSupport

/// Checks API Gateway WebSocket connection ids before they go into a URL (as one path segment, encoded by
/// SystemSupport's `PercentEncoding`).
///
/// Real ids are 16 base64-ish characters (e.g. `L0SM9cOFvHcCIhw=`); anything outside
/// `A-Z a-z 0-9 + / = _ -` or longer than 128 characters is refused, so a hostile or corrupted id
/// from the database can never change the request's path. DBUpdater checks the id of every event with
/// the same rule, so an id it stored is one the broadcast can send to.
package enum ConnectionID {
    /// The longest id accepted.
    package static let maximumLength = 128

    /// Whether `id` may be sent.
    package static func isValid(_ id: String) -> Bool {
        let bytes = id.utf8
        guard !bytes.isEmpty, bytes.count <= maximumLength else { return false }
        return bytes.allSatisfy { $0.isASCIIAlphanumeric || $0 == 0x2B || $0 == 0x2F || $0 == 0x3D || $0 == 0x5F || $0 == 0x2D }
    }

    /// Throws a `.configuration` error naming the problem (not echoing more than a short prefix of the id).
    static func validate(_ id: String, operation: String) throws(AWSClientError) {
        guard isValid(id) else {
            throw AWSClientError(
                code: .configuration,
                message: "invalid connection id (\(id.utf8.count) bytes; expected 1 to \(maximumLength) of A-Z a-z 0-9 + / = _ -)",
                operation: operation)
        }
    }
}

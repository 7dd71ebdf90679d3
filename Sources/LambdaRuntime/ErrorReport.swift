/// The body Lambda expects on `/invocation/{id}/error` and `/init/error`: `{"errorMessage","errorType"}`.
/// https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html#runtimes-api-invokeerror
public struct ErrorReport: Sendable, Equatable {
    /// A `Category.Reason` style type, also sent as `Lambda-Runtime-Function-Error-Type`.
    public var errorType: String
    /// What happened, for the caller and the logs.
    public var errorMessage: String

    /// Creates a report; the type is made safe for an HTTP header and the message is bounded.
    public init(errorType: String, errorMessage: String) {
        self.errorType = Self.headerSafe(errorType)
        self.errorMessage = errorMessage.count > Self.maxMessageLength
            ? String(errorMessage.prefix(Self.maxMessageLength)) + "…" : errorMessage
    }

    /// A report for an error thrown by a handler: the type is the error's Swift type name.
    public init(handlerError error: any Error) {
        self.init(errorType: String(describing: type(of: error)), errorMessage: String(describing: error))
    }

    /// The JSON body, encoded by hand (no encoder needed for two strings).
    package var jsonBody: [UInt8] {
        Array("{\"errorMessage\":\(JSONText.quoted(errorMessage)),\"errorType\":\(JSONText.quoted(errorType))}".utf8)
    }

    /// Messages can embed whole payloads (decoding errors); a report stays small.
    static let maxMessageLength = 4096

    /// Keeps printable ASCII without spaces, so the value cannot break the header block.
    static func headerSafe(_ value: String) -> String {
        let kept = value.unicodeScalars.filter { $0.value > 0x20 && $0.value < 0x7F }
        let text = String(String.UnicodeScalarView(kept.prefix(128)))
        return text.isEmpty ? "Unknown" : text
    }
}

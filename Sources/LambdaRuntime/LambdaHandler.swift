import JSONCoding

/// A function with a typed event and output, decoded from and encoded to JSON by the runtime.
public protocol LambdaHandler {
    /// The event type, decoded from the invocation payload.
    associatedtype Event: Decodable
    /// The result type, encoded as the response payload.
    associatedtype Output: Encodable
    /// Handles one invocation; a thrown error is reported to Lambda as the invocation's error.
    func handle(_ event: Event, context: LambdaContext) throws -> Output
}

/// A function that works on the raw payload bytes.
public protocol RawLambdaHandler {
    /// Handles one invocation; a thrown error is reported to Lambda as the invocation's error.
    func handle(_ event: [UInt8], context: LambdaContext) throws -> [UInt8]
}

/// Why an invocation produced no response: keeps the handler's own errors apart from the runtime's.
enum InvocationFailure: Error {
    case decoding(any Error)
    case handler(any Error)
    case encoding(any Error)

    /// The report posted to `/invocation/{id}/error`.
    var report: ErrorReport {
        switch self {
        case .decoding(let error):
            ErrorReport(errorType: RuntimeAPI.ErrorType.eventDecoding, errorMessage: "event could not be decoded: \(error)")
        case .handler(let error):
            ErrorReport(handlerError: error)
        case .encoding(let error):
            ErrorReport(errorType: RuntimeAPI.ErrorType.responseEncoding, errorMessage: "output could not be encoded: \(error)")
        }
    }
}

/// What the loop calls: bytes in, bytes out, failures classified.
protocol InvocationHandling {
    func invoke(_ event: [UInt8], context: LambdaContext) throws(InvocationFailure) -> [UInt8]
}

/// Runs a `RawLambdaHandler` as is.
struct RawHandlerAdapter<Handler: RawLambdaHandler>: InvocationHandling {
    let handler: Handler

    func invoke(_ event: [UInt8], context: LambdaContext) throws(InvocationFailure) -> [UInt8] {
        do { return try handler.handle(event, context: context) } catch { throw .handler(error) }
    }
}

/// Runs a `LambdaHandler` between a JSON decoder and encoder, both made once and reused.
final class CodableHandlerAdapter<Handler: LambdaHandler>: InvocationHandling {
    let handler: Handler
    private let decoder = JSONByteDecoder()
    private let encoder = JSONByteEncoder()

    init(_ handler: Handler) {
        self.handler = handler
    }

    func invoke(_ event: [UInt8], context: LambdaContext) throws(InvocationFailure) -> [UInt8] {
        let decoded: Handler.Event
        do { decoded = try decoder.decode(Handler.Event.self, from: event) } catch { throw .decoding(error) }
        let output: Handler.Output
        do { output = try handler.handle(decoded, context: context) } catch { throw .handler(error) }
        do { return try encoder.encode(output) } catch { throw .encoding(error) }
    }
}

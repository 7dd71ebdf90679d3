import CurlHTTP
import LambdaRuntime
import SystemSupport

/// Echoes the raw event. A few events exercise the runtime's paths in process tests:
/// `fail:<message>` throws, `size:<n>` answers n bytes, `env:trace` answers `_X_AMZN_TRACE_ID`,
/// `context` answers the request id, the ARN and whether time remains; with `ECHO_HTTP=1`, `fetch:<url>`
/// answers the status and body of a GET through libcurl (made at start, as the real functions make theirs).
final class Echo: RawLambdaHandler {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let http: HTTPClient?

    init(http: HTTPClient?) {
        self.http = http
    }

    func handle(_ event: [UInt8], context: LambdaContext) throws -> [UInt8] {
        let text = String(decoding: event, as: UTF8.self)
        if text.hasPrefix("fetch:"), let http {
            let response = try http.execute(HTTPRequest(method: .get, url: String(text.dropFirst(6)), timeout: .seconds(10)))
            return Array("\(response.status) ".utf8) + response.body
        }
        if text.hasPrefix("fail:") { throw Failure(description: String(text.dropFirst(5))) }
        if text.hasPrefix("size:"), let count = Int(text.dropFirst(5)) { return [UInt8](repeating: 0x61, count: count) }
        if text == "env:trace" { return Array((ProcessEnvironment.value(RuntimeAPI.traceIDVariable) ?? "").utf8) }
        if text == "context" {
            return Array("\(context.requestID) \(context.invokedFunctionARN) \(context.remainingTime() > .zero)".utf8)
        }
        return event
    }
}

/// The typed variant (`ECHO_MODE=typed`): `{"message": "..."}` in, `{"echo": "..."}` out.
struct TypedEcho: LambdaHandler {
    struct Event: Decodable { var message: String }
    struct Output: Encodable { var echo: String }

    func handle(_ event: Event, context: LambdaContext) throws -> Output {
        Output(echo: event.message)
    }
}

if ProcessEnvironment.value("ECHO_MODE") == "typed" {
    LambdaRuntime.run { TypedEcho() }
}
// `ECHO_INIT_FAIL=1` makes the handler factory throw, to exercise /init/error.
LambdaRuntime.run(raw: { () throws -> Echo in
    if ProcessEnvironment.value("ECHO_INIT_FAIL") == "1" { throw Echo.Failure(description: "ECHO_INIT_FAIL is set") }
    return Echo(http: ProcessEnvironment.value("ECHO_HTTP") == "1" ? try HTTPClient() : nil)
})

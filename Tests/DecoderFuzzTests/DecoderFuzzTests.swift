import Foundation
import JSONCoding
import LambdaEvents
import TestSupport
import Testing

/// The event decoders over thousands of mutated events (truncated JSON, wrong types, missing keys,
/// 200 KB strings, 500-deep nesting, invalid UTF-8, numbers as strings): each one decodes or throws,
/// never crashes, and what decodes survives a round trip unchanged. The decoder is the bootstraps' own
/// (JSONCoding's `JSONByteDecoder`), checked event by event against Foundation's `JSONDecoder`: the
/// same events accepted with the same values, except those JSONCoding refuses on purpose (invalid
/// Unicode, duplicate keys, nesting past its limit). scripts/fuzz_asan.sh runs the same tests under the
/// address sanitizer.
@Suite struct DecoderFuzzTests {
    @Test func webSocketEventsDecodeOrThrowAndRoundTrip() throws {
        try fuzz("websocket", as: APIGatewayWebSocketRequest.self)
    }

    @Test func streamEventsDecodeOrThrowAndRoundTrip() throws {
        try fuzz("stream", as: DynamoDBStreamEvent.self)
    }

    /// Runs the corpus of `kind` through `Event`'s decoder and checks what the two event tests check.
    private func fuzz<Event: Codable & Equatable>(_ kind: String, as type: Event.Type) throws {
        let corpus = try FuzzCorpus(kind: kind)
        let outcome = try Self.run(corpus, as: type)
        print("decoder fuzz figures: kind=\(kind) seed=\(corpus.seed) events=\(corpus.events.count) accepted=\(outcome.accepted) rejected=\(outcome.rejected) generator=\(corpus.summary)")
        #expect(outcome.accepted + outcome.rejected == corpus.events.count)
        // The mutations leave some events valid and break most: both paths of the decoder run.
        #expect(outcome.accepted > 0)
        #expect(outcome.rejected > corpus.events.count / 2)
        #expect(outcome.roundTripFailures.isEmpty, "seed \(corpus.seed): events \(outcome.roundTripFailures.prefix(10)) changed in a round trip")
        print("decoder fuzz figures: kind=\(kind) against-foundation refusedByPolicy=\(outcome.refusedByPolicy)")
        #expect(outcome.foundationDisagreements.isEmpty, "seed \(corpus.seed): events \(outcome.foundationDisagreements.prefix(10)) decode otherwise with Foundation")
    }

    @Test func theReaderAcceptsWhatJSONSerializationAcceptsSavePolicy() throws {
        // The raw reader over both corpora: never a crash, and the same verdict as Foundation's parser but
        // where the two differ on purpose: JSONCoding refuses by policy (see `policyCodes`) and the trailing
        // commas Foundation's parser tolerates (RFC 8259 has none), and keeps numbers past Double's range as
        // text (RFC 8259 §6 leaves the range to the implementation; Foundation's parser refuses them, our
        // Codable layer refuses them only when asked for a Double or an integer).
        var disagreements: [String] = []
        var accepted = 0
        var refused = 0
        var explained: [String: Int] = [:]
        for kind in ["websocket", "stream"] {
            let corpus = try FuzzCorpus(kind: kind)
            for (index, event) in corpus.events.enumerated() {
                let foundation = (try? JSONSerialization.jsonObject(with: Data(event), options: [.fragmentsAllowed])) != nil
                do {
                    let value = try JSONReader.read(event)
                    accepted += 1
                    if !foundation {
                        if Self.hasNumberPastDouble(value) {
                            explained["number past Double", default: 0] += 1
                        } else {
                            disagreements.append("\(kind) #\(index): only we accept")
                        }
                    }
                } catch {
                    refused += 1
                    guard foundation else { continue }
                    if Self.policyCodes.contains(error.code) {
                        explained[error.code.rawValue, default: 0] += 1
                    } else if error.code == .syntax, Self.hasTrailingComma(event) {
                        explained["trailing comma", default: 0] += 1
                    } else {
                        disagreements.append("\(kind) #\(index): only Foundation accepts (\(error))")
                    }
                }
            }
        }
        print("decoder fuzz figures: kind=reader accepted=\(accepted) rejected=\(refused) explained-differences=\(explained.sorted { $0.key < $1.key })")
        #expect(accepted > 0 && refused > 0)
        #expect(disagreements.isEmpty, "\(disagreements.prefix(10))")
    }

    /// Whether `value` holds a number whose magnitude is past Double's range (it reads as infinity).
    static func hasNumberPastDouble(_ value: JSONValue) -> Bool {
        switch value {
        case .number(let text): Double(text).map { !$0.isFinite } ?? true
        case .array(let items): items.contains(where: hasNumberPastDouble)
        case .object(let object): object.values.contains(where: hasNumberPastDouble)
        default: false
        }
    }

    /// Whether `bytes` has a `,` right before a `}` or `]` (whitespace between), outside strings.
    static func hasTrailingComma(_ bytes: [UInt8]) -> Bool {
        var inString = false
        var escaped = false
        var lastSignificant: UInt8 = 0
        for byte in bytes {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "}"), UInt8(ascii: "]"): if lastSignificant == UInt8(ascii: ",") { return true }
            case 0x20, 0x09, 0x0A, 0x0D: continue
            default: break
            }
            lastSignificant = byte
        }
        return false
    }

    /// What JSONCoding refuses though Foundation may accept it (JSONReader's documentation says why).
    static let policyCodes: Set<JSONCodingError.Code> = [.invalidUnicode, .duplicateKey, .tooDeep]

    @Test func attributeValuesOfEveryShapeDecodeOrThrow() throws {
        // Every JSON value found anywhere in the stream corpus, decoded as an AttributeValue: the enum
        // must reject all but exactly one known key with a value of the right type.
        let corpus = try FuzzCorpus(kind: "stream", count: min(FuzzCorpus.count, 150))
        var accepted = 0
        var rejected = 0
        let decoder = JSONByteDecoder()
        for event in corpus.events {
            guard let tree = try? JSONSerialization.jsonObject(with: Data(event), options: [.fragmentsAllowed]) else { continue }
            // Objects of one or two members (an AttributeValue has exactly one) and scalars; the rest
            // cannot be an AttributeValue and would only cost time.
            for value in Self.subValues(tree) where ((value as? [String: Any])?.count ?? 0) <= 2 && !(value is [Any]) {
                guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed]) else { continue }
                if let decoded = try? decoder.decode(AttributeValue.self, from: Array(data)) {
                    accepted += 1
                    let again = try decoder.decode(AttributeValue.self, from: JSONByteEncoder().encode(decoded))
                    #expect(again == decoded)
                    #expect(try JSONDecoder().decode(AttributeValue.self, from: data) == decoded)
                } else {
                    rejected += 1
                }
            }
        }
        print("decoder fuzz figures: kind=attribute-value seed=\(corpus.seed) accepted=\(accepted) rejected=\(rejected)")
        #expect(accepted > 0)
        #expect(rejected > 0)
    }

    struct Outcome {
        var accepted = 0
        var rejected = 0
        var roundTripFailures: [Int] = []
        /// Events decoded otherwise by Foundation's JSONDecoder (accepted by one only, or other values).
        var foundationDisagreements: [Int] = []
        /// Events Foundation accepts and JSONCoding refuses on purpose (see `policyCodes`).
        var refusedByPolicy = 0
    }

    static func run<Event: Codable & Equatable>(_ corpus: FuzzCorpus, as type: Event.Type) throws -> Outcome {
        var outcome = Outcome()
        let decoder = JSONByteDecoder()
        let encoder = JSONByteEncoder()
        let foundation = JSONDecoder()
        for (index, event) in corpus.events.enumerated() {
            let theirs = try? foundation.decode(Event.self, from: Data(event))
            let decoded: Event
            do {
                decoded = try decoder.decode(Event.self, from: event)
            } catch {
                outcome.rejected += 1
                if theirs != nil {
                    let reason = (error as? DecodingError).flatMap { error -> JSONCodingError? in
                        if case .dataCorrupted(let context) = error { return context.underlyingError as? JSONCodingError }
                        return nil
                    }
                    if let reason, policyCodes.contains(reason.code) {
                        outcome.refusedByPolicy += 1
                    } else {
                        outcome.foundationDisagreements.append(index)
                    }
                }
                continue
            }
            outcome.accepted += 1
            if theirs != decoded { outcome.foundationDisagreements.append(index) }
            let again = try? decoder.decode(Event.self, from: encoder.encode(decoded))
            if again != decoded { outcome.roundTripFailures.append(index) }
        }
        return outcome
    }

    /// The value and every value nested in it, at most 5,000 (a 500-deep array has 500).
    static func subValues(_ tree: Any) -> [Any] {
        var result: [Any] = []
        var stack: [Any] = [tree]
        while let next = stack.popLast(), result.count < 5_000 {
            result.append(next)
            if let object = next as? [String: Any] { stack.append(contentsOf: object.values) }
            if let array = next as? [Any] { stack.append(contentsOf: array) }
        }
        return result
    }
}

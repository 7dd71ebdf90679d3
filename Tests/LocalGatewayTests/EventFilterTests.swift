import Foundation
import Testing

@testable import LocalGateway

/// Lambda event filtering as the template's FilterCriteria uses it (pure tier).
struct EventFilterTests {
    func json(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    func record(_ name: String, id: String) throws -> JSONValue {
        try json(#"{"eventName":"\#(name)","dynamodb":{"Keys":{"id":{"S":"\#(id)"}},"SequenceNumber":"1"}}"#)
    }

    @Test func theTemplatesPatternLetsOnlyCounterInsertsAndModifiesThrough() throws {
        let filter = EventFilter(patterns: [
            try json(#"{"eventName":["INSERT","MODIFY"],"dynamodb":{"Keys":{"id":{"S":["visitors"]}}}}"#)
        ])
        #expect(filter.allows(try record("INSERT", id: "visitors")))
        #expect(filter.allows(try record("MODIFY", id: "visitors")))
        #expect(!filter.allows(try record("REMOVE", id: "visitors")))
        #expect(!filter.allows(try record("INSERT", id: "visit#abc")))
    }

    @Test func anyPatternMatchingIsEnoughAndNoPatternsLetEverythingThrough() throws {
        let filter = EventFilter(patterns: [try json(#"{"eventName":["REMOVE"]}"#), try json(#"{"eventName":["INSERT"]}"#)])
        #expect(filter.allows(try record("INSERT", id: "x")))
        #expect(!filter.allows(try record("MODIFY", id: "x")))
        #expect(EventFilter(patterns: []).allows(try record("MODIFY", id: "x")))
    }

    @Test func operators() throws {
        let prefix = EventFilter(patterns: [try json(#"{"dynamodb":{"Keys":{"id":{"S":[{"prefix":"visit#"}]}}}}"#)])
        #expect(prefix.allows(try record("INSERT", id: "visit#1")))
        #expect(!prefix.allows(try record("INSERT", id: "visitors")))
        let anythingBut = EventFilter(patterns: [try json(#"{"eventName":[{"anything-but":["REMOVE"]}]}"#)])
        #expect(anythingBut.allows(try record("MODIFY", id: "x")))
        #expect(!anythingBut.allows(try record("REMOVE", id: "x")))
        let exists = EventFilter(patterns: [try json(#"{"dynamodb":{"NewImage":{"visits":[{"exists":true}]}}}"#)])
        #expect(!exists.allows(try record("INSERT", id: "visitors")))
        let missing = EventFilter(patterns: [try json(#"{"dynamodb":{"NewImage":{"visits":[{"exists":false}]}}}"#)])
        #expect(missing.allows(try record("INSERT", id: "visitors")))
    }
}

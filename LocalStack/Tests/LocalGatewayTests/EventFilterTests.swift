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

    /// template.yaml's FilterCriteria (tests/test_template.py checks the template carries this same pattern):
    /// keys under `dynamodb` only, as DynamoDB mappings require, with a prefix that matches every counter shard.
    static let templatePattern = #"{"dynamodb": {"Keys": {"id": {"S": [{"prefix": "visitors"}]}}}}"#

    @Test func theTemplatesPatternLetsEveryCounterShardThroughAndNoVisitMarker() throws {
        let filter = EventFilter(patterns: [try json(Self.templatePattern)])
        for id in ["visitors", "visitors#1", "visitors#31"] {
            #expect(filter.allows(try record("INSERT", id: id)), "\(id)")
            #expect(filter.allows(try record("MODIFY", id: id)), "\(id)")
        }
        for id in ["visit#abc", "visit#visitors", "visitor", "Visitors"] {
            #expect(!filter.allows(try record("INSERT", id: id)), "\(id)")
            #expect(!filter.allows(try record("REMOVE", id: id)), "\(id)")
        }
        // A record whose key is not a string never passes a string prefix.
        #expect(!filter.allows(try json(#"{"eventName":"INSERT","dynamodb":{"Keys":{"id":{"N":"7"}}}}"#)))
        #expect(!filter.allows(try json(#"{"eventName":"INSERT"}"#)))
    }

    @Test func theOldPatternWithEventNameStillWorksLocally() throws {
        let filter = EventFilter(patterns: [
            try json(#"{"eventName":["INSERT","MODIFY"],"dynamodb":{"Keys":{"id":{"S":["visitors"]}}}}"#)
        ])
        #expect(filter.allows(try record("INSERT", id: "visitors")))
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

import Foundation
import LambdaEvents
import Testing

/// `DynamoDBStreamEvent`: timestamps, required and unknown fields, images, sequence number order.
@Suite struct StreamEventTests {
    /// A one-record event; `dynamodb` members and top-level record members can be added or replaced.
    static func event(time: String = "1480642020", sequenceNumber: String = "\"111\"", record extra: String = "", stream: String = "") -> String {
        """
        {"Records":[{"eventID":"1","eventName":"MODIFY","eventVersion":"1.1","eventSource":"aws:dynamodb",
          "awsRegion":"us-east-1"\(extra),
          "dynamodb":{"ApproximateCreationDateTime":\(time),"Keys":{"id":{"S":"visitors"}},
            "NewImage":{"id":{"S":"visitors"},"visits":{"N":"5"}},"OldImage":{"id":{"S":"visitors"},"visits":{"N":"4"}},
            "SequenceNumber":\(sequenceNumber),"SizeBytes":26,"StreamViewType":"NEW_AND_OLD_IMAGES"\(stream)}}]}
        """
    }

    static func stream(_ json: String) throws -> DynamoDBStreamEvent.StreamRecord {
        try #require(try Fixtures.decode(DynamoDBStreamEvent.self, json: json).records.first).dynamodb
    }

    @Test func creationTimeWithAndWithoutFraction() throws {
        #expect(try Self.stream(Self.event(time: "1480642020")).approximateCreationDateTime == 1_480_642_020)
        #expect(try Self.stream(Self.event(time: "1693997155.0")).approximateCreationDateTime == 1_693_997_155)
        #expect(try Self.stream(Self.event(time: "1732871415.482913")).approximateCreationDateTime == 1_732_871_415.482913)
        #expect(throws: DecodingError.self) { try Self.stream(Self.event(time: "\"1480642020\"")) }
    }

    @Test func creationTimeIsOptional() throws {
        let json = Self.event().replacingOccurrences(of: #""ApproximateCreationDateTime":1480642020,"#, with: "")
        #expect(json != Self.event())
        #expect(try Self.stream(json).approximateCreationDateTime == nil)
    }

    @Test func bothImagesDecode() throws {
        let stream = try Self.stream(Self.event())
        #expect(stream.newImage?["visits"]?.intValue == 5)
        #expect(stream.oldImage?["visits"]?.intValue == 4)
        #expect(stream.streamViewType == .newAndOldImages)
    }

    @Test func unknownFieldsAreIgnored() throws {
        let json = Self.event(record: #","recordFormat":"application/json","extra":{"a":[1]}"#, stream: #","Unknown":{"S":"x"}"#)
        #expect(try Self.stream(json).sequenceNumber == "111")
    }

    @Test(arguments: ["eventID", "eventName", "eventVersion", "eventSource", "awsRegion", "dynamodb", "Keys", "SequenceNumber", "SizeBytes", "StreamViewType", "Records"])
    func requiredFieldsAreRequired(field: String) {
        let json = Self.event().replacingOccurrences(of: "\"\(field)\":", with: "\"renamed_\(field)\":")
        #expect(json != Self.event())
        #expect(throws: DecodingError.self) {
            try Fixtures.decode(DynamoDBStreamEvent.self, json: json)
        }
    }

    @Test(arguments: [#""""#, #""12a""#, #""-1""#, #"" 1""#, "111"])
    func malformedSequenceNumbersAreRejected(sequenceNumber: String) throws {
        let error = try #require(throws: DecodingError.self) {
            try Fixtures.decode(DynamoDBStreamEvent.self, json: Self.event(sequenceNumber: sequenceNumber))
        }
        // A number where a string belongs is a type mismatch; a malformed string is ours to explain.
        if case .dataCorrupted(let context) = error {
            #expect((context.underlyingError as? LambdaEventsError)?.code == .invalidStreamRecord)
            #expect(context.codingPath.last?.stringValue == "SequenceNumber")
            #expect(context.debugDescription.contains("is not a decimal integer"))
        } else {
            #expect(sequenceNumber == "111")
        }
    }

    @Test func unknownEventNameAndViewTypeAreRejected() {
        for (from, to) in [("\"MODIFY\"", "\"UPSERT\""), ("\"NEW_AND_OLD_IMAGES\"", "\"ALL\"")] {
            #expect(throws: DecodingError.self) {
                try Fixtures.decode(DynamoDBStreamEvent.self, json: Self.event().replacingOccurrences(of: from, with: to))
            }
        }
    }

    @Test func sequenceNumbersCompareAsIntegers() {
        typealias Stream = DynamoDBStreamEvent.StreamRecord
        #expect(Stream.isSequenceNumber("999000000000012077851299", before: "1000200000000012077851301"))
        #expect(!Stream.isSequenceNumber("1000200000000012077851301", before: "999000000000012077851299"))
        // Equal as Double, still ordered.
        #expect(Stream.isSequenceNumber("1000200000000012077851301", before: "1000200000000012077851302"))
        #expect(!Stream.isSequenceNumber("1000200000000012077851302", before: "1000200000000012077851302"))
        #expect(!Stream.isSequenceNumber("0042", before: "42"))
        #expect(Stream.isSequenceNumber("0041", before: "42"))
        #expect(Stream.isSequenceNumber("0", before: "1"))
        #expect(Stream.isValidSequenceNumber("1100000000017454423009"))
        #expect(!Stream.isValidSequenceNumber("11e3"))
    }

    @Test func eventRoundTrips() throws {
        for name in ["stream-modify.json", "stream-batch.json", "stream-first-insert.json"] {
            let event = try Fixtures.decode(DynamoDBStreamEvent.self, file: name)
            #expect(try Fixtures.roundTrip(event) == event)
        }
        let withOldImage = try Fixtures.decode(DynamoDBStreamEvent.self, json: Self.event())
        #expect(try Fixtures.roundTrip(withOldImage) == withOldImage)
    }

    @Test func emptyBatchDecodes() throws {
        #expect(try Fixtures.decode(DynamoDBStreamEvent.self, json: #"{"Records":[]}"#).records.isEmpty)
    }
}

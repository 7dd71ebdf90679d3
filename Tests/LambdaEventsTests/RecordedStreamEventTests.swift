import LambdaEvents
import Testing

/// The recorded DynamoDB Streams events in `events/` decode, with the values they hold.
@Suite struct RecordedStreamEventTests {
    @Test func streamModify() throws {
        let event = try Fixtures.decode(DynamoDBStreamEvent.self, file: "stream-modify.json")
        #expect(event.records.count == 1)
        let record = try #require(event.records.first)
        #expect(record.eventID == "7de3041dd709b024af6f29e4fa13d34c")
        #expect(record.eventName == .modify)
        #expect(record.eventVersion == "1.1")
        #expect(record.eventSource == "aws:dynamodb")
        #expect(record.awsRegion == "eu-west-1")
        #expect(record.eventSourceARN == "arn:aws:dynamodb:eu-west-1:123456789012:table/VisitorCount/stream/2024-11-20T08:31:07.519")
        #expect(record.userIdentity == nil)
        let stream = record.dynamodb
        #expect(stream.keys == ["id": .string("visitors")])
        #expect(stream.newImage?["visits"]?.int64Value == 1234)
        #expect(stream.newImage?["live"]?.numberValue == "7")
        #expect(stream.oldImage == nil)
        #expect(stream.sequenceNumber == "48311400000000012077851213")
        #expect(stream.sizeBytes == 41)
        #expect(stream.streamViewType == .newImage)
        #expect(stream.approximateCreationDateTime == 1_732_871_415)
    }

    @Test func streamBatchKeepsDeliveryOrderAndExactSequenceNumbers() throws {
        let event = try Fixtures.decode(DynamoDBStreamEvent.self, file: "stream-batch.json")
        #expect(event.records.map(\.eventName) == [.modify, .modify, .insert, .modify, .modify, .remove])
        #expect(event.records.map(\.dynamodb.sequenceNumber) == [
            "1000200000000012077851301", "999000000000012077851299", "1000200000000012077851303",
            "1000200000000012077851302", "999000000000012077851298", "1000200000000012077851304",
        ])
        // The file is meant to catch wrong orderings: lengths differ, and it is out of order.
        #expect(Set(event.records.map(\.dynamodb.sequenceNumber.count)).count > 1)
        let counters = event.records.filter { $0.dynamodb.keys["id"] == .string("visitors") }
        #expect(counters.map { $0.dynamodb.newImage?["visits"]?.intValue } == [1041, 1040, 1042, 1039])
        let newest = try #require(counters.max { $0.dynamodb.isBefore($1.dynamodb) })
        #expect(newest.dynamodb.newImage?["visits"] == AttributeValue(int: 1042))
        // Neither the text order nor the delivery order finds it.
        #expect(counters.max { $0.dynamodb.sequenceNumber < $1.dynamodb.sequenceNumber }?.eventID != newest.eventID)
        #expect(counters.last?.eventID != newest.eventID)
    }

    @Test func streamBatchVisitMarkers() throws {
        let event = try Fixtures.decode(DynamoDBStreamEvent.self, file: "stream-batch.json")
        let insert = try #require(event.records.first { $0.eventName == .insert })
        #expect(insert.dynamodb.keys["id"]?.stringValue == "visit#9b2e4f71-6c3a-4d85-b0e9-1a7f5c2d8e46")
        #expect(insert.dynamodb.newImage?["expiresAt"]?.int64Value == 1_732_958_002)
        #expect(insert.dynamodb.newImage?["visits"] == nil)
        let remove = try #require(event.records.first { $0.eventName == .remove })
        #expect(remove.dynamodb.keys["id"]?.stringValue?.hasPrefix("visit#") == true)
        #expect(remove.dynamodb.newImage == nil)
        #expect(remove.userIdentity == DynamoDBStreamEvent.UserIdentity(type: "Service", principalId: "dynamodb.amazonaws.com"))
    }

    @Test func streamFirstInsertAsMotoSendsIt() throws {
        let event = try Fixtures.decode(DynamoDBStreamEvent.self, file: "stream-first-insert.json")
        let record = try #require(event.records.first)
        #expect(event.records.count == 1)
        #expect(record.eventName == .insert)
        #expect(record.eventVersion == "1.0")
        #expect(record.awsRegion == "us-east-1")
        #expect(record.eventSourceARN == nil)
        #expect(record.dynamodb.keys["id"] == .string("visitors"))
        #expect(record.dynamodb.newImage == ["id": .string("visitors")])
        #expect(record.dynamodb.newImage?["visits"] == nil)
        #expect(record.dynamodb.sequenceNumber == "1100000000017454423009")
        #expect(record.dynamodb.approximateCreationDateTime == 1_732_871_415.482913)
    }
}

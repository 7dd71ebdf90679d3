import Foundation
import Testing
@testable import VisitorCounterCore

/// The broadcast's Scan rows, decoded without a dictionary per item: read as the dictionary was.
@Suite struct ConnectionRowTests {
    private func rows(_ json: String) throws -> [StoredConnection?] {
        try JSONDecoder().decode([ConnectionRow].self, from: Data(json.utf8)).map(\.stored)
    }

    @Test func readsTheIdAndTheConnectionTime() throws {
        #expect(try rows(#"[{"connectionId":{"S":"L0SM9cOFvHcCIhw="},"connectedAt":{"N":"1764410400000"}}]"#)
            == [StoredConnection(connectionId: "L0SM9cOFvHcCIhw=", connectedAt: 1_764_410_400_000)])
    }

    @Test func readsTheExpiryAndTellsAnExpiredRow() throws {
        let row = try #require(try rows(#"[{"connectionId":{"S":"a"},"connectedAt":{"N":"1000"},"expiresAt":{"N":"7500"}}]"#).first ?? nil)
        #expect(row == StoredConnection(connectionId: "a", connectedAt: 1000, expiresAt: 7500))
        #expect(!row.isExpired(atEpochSeconds: 7500))
        #expect(row.isExpired(atEpochSeconds: 7501))
        #expect(!StoredConnection(connectionId: "b", connectedAt: nil).isExpired(atEpochSeconds: .max))
    }

    @Test func aRowWithoutAStringIdIsSkippedAndAnOddTimeIsNil() throws {
        #expect(try rows(#"[{"connectedAt":{"N":"1"}},{"connectionId":{"N":"12"}},{"connectionId":{"S":"a"},"connectedAt":{"S":"soon"}},{"connectionId":{"S":"b"},"connectedAt":{"N":"1.5"}},{"connectionId":{"S":"c"},"other":{"BOOL":true}}]"#)
            == [nil, nil, StoredConnection(connectionId: "a", connectedAt: nil), StoredConnection(connectionId: "b", connectedAt: nil),
                StoredConnection(connectionId: "c", connectedAt: nil)])
    }

    @Test func aMalformedAttributeValueIsADecodingError() {
        #expect(throws: DecodingError.self) { try rows(#"[{"connectionId":{"S":"a","N":"1"}}]"#) }
        #expect(throws: DecodingError.self) { try rows(#"[{"connectionId":{"X":"a"}}]"#) }
        #expect(throws: DecodingError.self) { try rows(#"[{"connectionId":"a"}]"#) }
    }
}

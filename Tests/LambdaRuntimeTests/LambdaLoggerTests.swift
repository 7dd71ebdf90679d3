import Foundation
import Testing
@testable import LambdaRuntime

/// Decodes a JSON object of strings (test helper).
enum JSONDecoderForTests {
    static func decode(_ bytes: [UInt8]) throws -> [String: String] {
        try JSONDecoder().decode([String: String].self, from: Data(bytes))
    }

    static func object(_ line: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }
}

/// The logger's JSON lines, level filtering, and the hand-written timestamp.
@Suite struct LambdaLoggerTests {
    @Test func lineHasTheLambdaJSONShape() throws {
        let capture = LogCapture()
        let logger = capture.logger(level: .info, epochMilliseconds: 1_700_000_000_123).with(requestID: "req-7")
        logger.info("broadcast done", ["sent": 3, "rate": 0.5, "ok": true, "table": "Visits", "message": "shadowed"])
        #expect(capture.lines.count == 1)
        let line = try #require(capture.lines.first)
        #expect(line.hasSuffix("}\n") && line.filter { $0 == "\n" }.count == 1)
        let object = try JSONDecoderForTests.object(line)
        #expect(object["timestamp"] as? String == "2023-11-14T22:13:20.123Z")
        #expect(object["level"] as? String == "INFO")
        #expect(object["requestId"] as? String == "req-7")
        #expect(object["message"] as? String == "broadcast done")
        #expect(object["sent"] as? Int == 3)
        #expect(object["rate"] as? Double == 0.5)
        #expect(object["ok"] as? Bool == true)
        #expect(object["table"] as? String == "Visits")
        #expect(object["field.message"] as? String == "shadowed")
    }

    @Test func noRequestIDOutsideAnInvocationAndSpecialCharactersEscaped() throws {
        let capture = LogCapture()
        capture.logger().warn("line1\nline2 \"quoted\" \\ tab\t \u{7} é", ["nan": .double(.nan)])
        let object = try JSONDecoderForTests.object(try #require(capture.lines.first))
        #expect(object["requestId"] == nil)
        #expect(object["message"] as? String == "line1\nline2 \"quoted\" \\ tab\t \u{7} é")
        #expect(object["nan"] is NSNull)
    }

    @Test(arguments: [
        (LambdaLogger.Level.debug, ["DEBUG", "INFO", "WARN", "ERROR"]),
        (.info, ["INFO", "WARN", "ERROR"]),
        (.warn, ["WARN", "ERROR"]),
        (.error, ["ERROR"]),
    ])
    func levelFiltersLowerSeverities(level: LambdaLogger.Level, expected: [String]) throws {
        let capture = LogCapture()
        let logger = capture.logger(level: level)
        logger.debug("d")
        logger.info("i")
        logger.warn("w")
        logger.error("e")
        let levels = try capture.lines.map { try JSONDecoderForTests.object($0)["level"] as? String }
        #expect(levels == expected)
    }

    @Test func logLevelFromEnvironment() throws {
        #expect(try LambdaLogger.level(fromEnvironment: nil) == .info)
        #expect(try LambdaLogger.level(fromEnvironment: "") == .info)
        #expect(try LambdaLogger.level(fromEnvironment: "debug") == .debug)
        #expect(try LambdaLogger.level(fromEnvironment: "WARN") == .warn)
        #expect(try LambdaLogger.level(fromEnvironment: "error") == .error)
        #expect(throws: LambdaRuntimeError.self) { try LambdaLogger.level(fromEnvironment: "trace") }
        #expect(throws: LambdaRuntimeError.self) { try LambdaLogger.level(fromEnvironment: "warning") }
    }

    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00.000Z"),
        (951_782_400_123, "2000-02-29T00:00:00.123Z"),
        (1_709_251_199_999, "2024-02-29T23:59:59.999Z"),
        (4_102_444_800_000, "2100-01-01T00:00:00.000Z"),
        (-1, "1969-12-31T23:59:59.999Z"),
        (253_402_300_799_000, "9999-12-31T23:59:59.000Z"),
    ])
    func timestampIsISO8601UTCWithMilliseconds(ms: Int64, expected: String) {
        #expect(WallClock.iso8601(epochMilliseconds: ms) == expected)
    }

    @Test func timestampAgreesWithFoundationAcrossYears() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        var ms: Int64 = -2_208_988_800_000   // 1900
        while ms < 4_102_444_800_000 {        // 2100
            let expected = formatter.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
            #expect(WallClock.iso8601(epochMilliseconds: ms) == expected)
            ms += 86_400_000 * 37 + 3_600_123
        }
    }
}

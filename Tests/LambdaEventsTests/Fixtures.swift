import Foundation
import TestSupport

/// Loading and decoding the recorded events in `events/` and inline JSON.
enum Fixtures {
    /// The repository's `events/` folder.
    static let eventsDirectory = RepoPaths.root.appendingPathComponent("events")

    /// Every recorded event, and the type it is.
    static let expectedFiles: [String: EventKind] = [
        "connect.json": .webSocket,
        "connect-no-visit.json": .webSocket,
        "disconnect.json": .webSocket,
        "sync.json": .webSocket,
        "history.json": .webSocket,
        "stream-modify.json": .stream,
        "stream-batch.json": .stream,
        "stream-first-insert.json": .stream,
    ]

    /// The kinds of recorded events.
    enum EventKind {
        case webSocket, stream
    }

    /// The names of the `.json` files in `events/`, read from disk now.
    static func eventFileNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: eventsDirectory.path)
            .filter { $0.hasSuffix(".json") }
            .sorted()
    }

    /// Decodes the recorded event `name` as `type`.
    static func decode<T: Decodable>(_ type: T.Type, file name: String) throws -> T {
        let data = try Data(contentsOf: eventsDirectory.appendingPathComponent(name))
        return try JSONDecoder().decode(type, from: data)
    }

    /// Decodes inline JSON as `type`.
    static func decode<T: Decodable>(_ type: T.Type, json: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(json.utf8))
    }

    /// Encodes `value` and decodes the result again.
    static func roundTrip<T: Codable>(_ value: T) throws -> T {
        try JSONDecoder().decode(T.self, from: JSONEncoder().encode(value))
    }

    /// The JSON text of `value`, with sorted keys so tests can compare it.
    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

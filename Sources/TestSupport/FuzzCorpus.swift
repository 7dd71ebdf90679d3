import Foundation

/// A corpus of mutated events made by vctools/fixtures/fuzz_events.py: seeded and deterministic, so a failure
/// is reproduced by its seed. `FUZZ_SEED` and `FUZZ_EVENTS` override the CI setting.
public struct FuzzCorpus: Sendable {
    /// The default seed: fixed, so CI runs are reproducible; every run prints the seed it used.
    public static let defaultSeed = 20_261_129
    /// Events per corpus in the CI setting (`FUZZ_EVENTS` for longer runs).
    public static let defaultCount = 2_000

    /// The seed the corpus was made with.
    public let seed: Int
    /// The events, raw bytes (not necessarily JSON, nor UTF-8).
    public let events: [[UInt8]]
    /// What the generator reported (mutation kinds and counts), for the log.
    public let summary: String

    /// `FUZZ_SEED`, or the default.
    public static var seed: Int { ProcessInfo.processInfo.environment["FUZZ_SEED"].flatMap(Int.init) ?? defaultSeed }
    /// `FUZZ_EVENTS`, or the CI setting.
    public static var count: Int { ProcessInfo.processInfo.environment["FUZZ_EVENTS"].flatMap(Int.init) ?? defaultCount }

    /// Generates the corpus of `kind` (`websocket` or `stream`).
    public init(kind: String, seed: Int = FuzzCorpus.seed, count: Int = FuzzCorpus.count) throws {
        let root = RepoPaths.root
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-\(kind)-\(seed)-\(UUID().uuidString).bin")
        defer { try? FileManager.default.removeItem(at: out) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", root.appendingPathComponent("vctools/fixtures/fuzz_events.py").path,
            "--events", root.appendingPathComponent("events").path,
            "--kind", kind, "--seed", String(seed), "--count", String(count), "--out", out.path,
        ]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let printed = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CorpusError("fuzz_events.py exited with \(process.terminationStatus)") }
        self.seed = seed
        self.summary = String(decoding: printed, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        self.events = try Self.split(Array(try Data(contentsOf: out)))
    }

    /// Splits a corpus file: a 4-byte big-endian length before each event.
    public static func split(_ bytes: [UInt8]) throws -> [[UInt8]] {
        var events: [[UInt8]] = []
        var offset = 0
        while offset < bytes.count {
            guard offset + 4 <= bytes.count else { throw CorpusError("truncated length at \(offset)") }
            let length = bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
            offset += 4
            guard offset + length <= bytes.count else { throw CorpusError("truncated event at \(offset)") }
            events.append(Array(bytes[offset..<offset + length]))
            offset += length
        }
        return events
    }
}

/// The corpus could not be made or read.
public struct CorpusError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

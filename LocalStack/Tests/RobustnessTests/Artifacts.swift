import Foundation
import TestSupport

/// Everything the robustness tests' processes print goes to test-artifacts/robustness/, so the security
/// scan (tests/test_security.py) searches it for secrets, and a failure can be read afterwards.
enum Artifacts {
    static let folder = RepoPaths.root.appendingPathComponent("test-artifacts/robustness")

    /// Writes `text` to test-artifacts/robustness/`name`.log (replacing an older run's).
    static func save(_ name: String, _ text: String) {
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try? Data(text.utf8).write(to: folder.appendingPathComponent(name + ".log"))
    }

    /// Records a secret a test hands to a function, so the security scan (tests/test_security.py)
    /// searches every log for it, as it does for the credentials scripts/moto_server.py makes.
    static func recordSecret(_ secret: String) {
        let file = RepoPaths.root.appendingPathComponent("test-artifacts/credentials-seen.jsonl")
        try? FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: file.path) { _ = FileManager.default.createFile(atPath: file.path, contents: nil) }
        guard let handle = try? FileHandle(forWritingTo: file) else { return }
        defer { try? handle.close() }
        _ = try? handle.seekToEnd()
        try? handle.write(contentsOf: Data(#"{"secrets": ["\#(secret)"]}"#.utf8 + [0x0A]))
    }

    /// Prints one line of figures for docs/reliability.md and keeps it in the artifacts.
    static func figures(_ name: String, _ fields: KeyValuePairs<String, Any>) {
        let line = "robustness figures: test=\(name) " + fields.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        print(line)
        save(name + ".figures", line + "\n")
    }
}

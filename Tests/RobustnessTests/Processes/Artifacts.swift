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

    /// Prints one line of figures for docs/reliability.md and keeps it in the artifacts.
    static func figures(_ name: String, _ fields: KeyValuePairs<String, Any>) {
        let line = "robustness figures: test=\(name) " + fields.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        print(line)
        save(name + ".figures", line + "\n")
    }
}

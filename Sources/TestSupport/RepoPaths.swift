import Foundation

/// Paths inside the repository, found from this source file's location so tests run from any directory.
public enum RepoPaths {
    /// The repository root (the folder holding Package.swift).
    public static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                return url
            }
        }
        fatalError("Package.swift not found above \(#filePath)")
    }()

    /// A path below the root.
    public static func path(_ relative: String) -> String {
        root.appendingPathComponent(relative).path
    }

    /// The project's virtualenv Python (created by scripts/setup.sh).
    public static var python: String {
        let venv = path(".venv/bin/python")
        precondition(FileManager.default.isExecutableFile(atPath: venv), "no .venv: run `make test` or scripts/setup.sh first")
        return venv
    }

    /// The folder of the built products of the configuration the tests run in (e.g. .build/debug).
    public static var productsDirectory: URL {
        // The test bundle sits in the products folder next to the executables.
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    }

    /// The function executable `product` (DBUpdater, DBStreamProcessor, EchoFunction) the process tests run.
    ///
    /// `VC_FUNCTION_BIN_DIR` names a folder of other builds of them; `make test` sets it to the release
    /// bootstraps (scripts/build_bootstrap.sh: static stdlib, stripped, what `sam build` ships), so the
    /// process tests exercise what runs on Lambda. Unset, the debug products next to the test bundle.
    public static func functionBinary(_ product: String) -> String {
        guard let folder = ProcessInfo.processInfo.environment["VC_FUNCTION_BIN_DIR"], !folder.isEmpty else {
            return productsDirectory.appendingPathComponent(product).path
        }
        let path = URL(fileURLWithPath: folder).appendingPathComponent(product).path
        precondition(FileManager.default.isExecutableFile(atPath: path), "VC_FUNCTION_BIN_DIR has no executable \(product): \(path)")
        return path
    }
}

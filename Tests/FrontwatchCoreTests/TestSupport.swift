import Foundation
import FrontwatchCore

/// Shared helpers for the core tests.
enum TestSupport {
    /// The repository root, found from this file's path.
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The project's gazetteer, `config/gazetteer.yaml`, loaded once.
    static let gazetteer: Gazetteer = {
        let url = repositoryRoot.appendingPathComponent("config/gazetteer.yaml")
        do {
            return try Gazetteer(yaml: String(contentsOf: url, encoding: .utf8))
        } catch {
            fatalError("cannot load \(url.path): \(error)")
        }
    }()

    /// An extractor over the project's gazetteer.
    static let extractor = Extractor(gazetteer: gazetteer)
}

import Foundation
import FrontwatchCore

/// Shared helpers for the core tests.
enum TestSupport {
    /// The repository root, found from this file's path.
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Reads and parses one of the project's data files in `config/`.
    static func load<T>(_ name: String, _ parse: (String) throws -> T) -> T {
        let url = repositoryRoot.appendingPathComponent("config/" + name)
        do {
            return try parse(String(contentsOf: url, encoding: .utf8))
        } catch {
            fatalError("cannot load \(url.path): \(error)")
        }
    }

    /// The project's gazetteer, lexicon and trained scorer, loaded once.
    static let gazetteer: Gazetteer = load("gazetteer.yaml") { try Gazetteer(yaml: $0) }
    static let lexicon: Lexicon = load("lexicon.en.yaml") { try Lexicon(yaml: $0) }
    static let scorer: Scorer = load("scorer.en.tsv") { try Scorer(tsv: $0) }

    /// The extractor as shipped: the project's gazetteer and trained scorer.
    static let extractor = Extractor(gazetteer: gazetteer, lexicon: lexicon, scorer: scorer)

    /// The rules alone, without the scorer.
    static let rules = Extractor(gazetteer: gazetteer, lexicon: lexicon)
}

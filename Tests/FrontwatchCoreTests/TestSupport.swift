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

    /// The project's lexicon, `config/lexicon.en.yaml`, loaded once.
    static let lexicon: Lexicon = {
        let url = repositoryRoot.appendingPathComponent("config/lexicon.en.yaml")
        do {
            return try Lexicon(yaml: String(contentsOf: url, encoding: .utf8))
        } catch {
            fatalError("cannot load \(url.path): \(error)")
        }
    }()

    /// The project's trained scorer, `config/scorer.en.tsv`, loaded once.
    static let scorer: Scorer = {
        let url = repositoryRoot.appendingPathComponent("config/scorer.en.tsv")
        do {
            return try Scorer(tsv: String(contentsOf: url, encoding: .utf8))
        } catch {
            fatalError("cannot load \(url.path): \(error)")
        }
    }()

    /// The extractor as shipped: the project's gazetteer and trained scorer.
    static let extractor = Extractor(gazetteer: gazetteer, lexicon: lexicon, scorer: scorer)

    /// The rules alone, without the scorer.
    static let rules = Extractor(gazetteer: gazetteer, lexicon: lexicon)
}

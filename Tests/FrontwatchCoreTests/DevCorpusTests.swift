import Foundation
import FrontwatchCore
import Testing

/// Scores the extractor on a labelled corpus directory when `FW_DEV_CORPUS` names one
/// (e.g. `FW_DEV_CORPUS=/work/shared/corpus/dev`); skipped otherwise, so the suite never needs it.
@Suite struct DevCorpusTests {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["FW_DEV_CORPUS"] != nil))
    func scoreDevCorpus() throws {
        let dir = URL(fileURLWithPath: ProcessInfo.processInfo.environment["FW_DEV_CORPUS"]!)
        let labels = try JSONDecoder().decode(Labels.self, from: Data(contentsOf: dir.appendingPathComponent("labels.json")))
        var events: [String: [AxisEvent]] = [:]
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".txt") }.sorted()
        for file in files {
            let bytes = try [UInt8](Data(contentsOf: dir.appendingPathComponent(file)))
            let article = try ArticleParser.parse(bytes: bytes, fallbackDate: nil)
            events[file] = TestSupport.extractor.extract(from: article)
            if ProcessInfo.processInfo.environment["FW_DEV_VERBOSE"] != nil {
                for e in events[file]! {
                    print("EVENT \(file): \(e.axis) \(e.change.rawValue) \(e.actor.rawValue) \(e.rule) \(e.confidence)")
                }
            }
        }
        let report = Evaluation.score(labels: labels, events: events, gazetteer: TestSupport.gazetteer)
        print(report.summary)
    }
}

import Foundation
import FrontwatchCore
import Testing

/// Prints the events of one text (`FW_DEBUG_TEXT`), for working on the rules; skipped otherwise.
@Suite struct DebugTests {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["FW_DEBUG_TEXT"] != nil))
    func printEvents() throws {
        let text = ProcessInfo.processInfo.environment["FW_DEBUG_TEXT"]!
        let article = try ArticleParser.parse(text: text, fallbackDate: CalendarDay(year: 2024, month: 5, day: 20))
        for e in TestSupport.extractor.extract(from: article) {
            print("DEBUG \(e.axis) \(e.change.rawValue) \(e.actor.rawValue) \(e.rule) \(e.confidence) \(e.day.map(String.init(describing:)) ?? "-")")
        }
    }
}

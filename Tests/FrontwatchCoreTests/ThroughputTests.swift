import Foundation
import FrontwatchCore
import Testing

/// Prints the extractor's throughput on the golden articles when `FW_BENCH` is set; meant for
/// `swift test -c release`. Skipped otherwise (timings in debug builds mean nothing).
@Suite struct ThroughputTests {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["FW_BENCH"] != nil))
    func extractorThroughput() throws {
        let dir = GoldenTests.fixturesURL
        let names = GoldenTests.names
        let articles = try names.map { name in
            try ArticleParser.parse(text: String(contentsOf: dir.appendingPathComponent(name + ".txt"), encoding: .utf8),
                                    fallbackDate: CalendarDay(year: 2024, month: 1, day: 1))
        }
        let bytesPerRound = articles.reduce(0) { $0 + $1.text.utf8.count }
        let extractor = TestSupport.extractor
        var scratch = Extractor.Scratch()
        var events = 0
        let rounds = max(1, 64_000_000 / bytesPerRound)
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for _ in 0..<rounds {
                for article in articles { events &+= extractor.extract(from: article, scratch: &scratch).count }
            }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let megabytes = Double(bytesPerRound * rounds) / 1_000_000
        print("THROUGHPUT \(Int(megabytes)) MB in \(seconds) s = \(megabytes / seconds) MB/s (\(events) events)")
    }
}

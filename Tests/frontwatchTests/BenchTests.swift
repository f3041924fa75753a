import Foundation
import FrontwatchTestSupport
import Testing

/// `frontwatch-bench --quick` runs every measurement at tiny sizes; this checks that it reports
/// every figure, with the machine. Speed budgets are checked by the benchmark itself, on a
/// release build, never by a timed unit test.
@Suite("bench smoke test", .serialized)
struct BenchTests {
    static let expectedFigures = [
        "latency_p50_ms", "latency_p99_ms", "latency_max_ms", "latency_rate_per_s", "latency_alerts_missing",
        "idle_wakeups_per_min", "idle_cpu_percent",
        "burst_articles_per_s", "burst_mb_per_s", "burst_seconds", "burst_rename_seconds", "burst_lost", "peak_rss_mb",
        "rss_anon_end_mb", "pss_end_mb",
        "idle_watchdog_wakeups_per_ping", "idle_watchdog_cpu_percent",
        "extractor_mb_per_s", "extractor_articles_per_s",
        "history_us_per_article_100", "history_cpu_us_per_article_100", "history_state_mb_100",
        "history_us_per_article_200", "history_cpu_us_per_article_200", "history_state_mb_200",
        "history_growth",
        "large_normal_alert_s", "large_all_s", "large_peak_rss_mb", "large_state_growth_mb", "large_stop_s", "large_stop_finished_it",
    ]

    @Test("bench --quick writes every figure to JSON, and every generated article raised its alert")
    func quickBenchReportsEveryFigure() async throws {
        try await TestJournal.ensureRunning()
        let folder = try TempFolder("bench")
        defer { folder.remove() }
        let jsonPath = folder.path + "/bench.json"
        // The bench binary is built beside the frontwatch binary it runs as the daemon.
        let result = try await runCommand(DaemonProcess.besideThisProgram("frontwatch-bench"), [
            "--quick", "--history", "100,200", "--work-dir", folder.path, "--json", jsonPath,
        ])
        #expect(result.succeeded, "bench failed: \(result.stderr)")

        let data = try Data(contentsOf: URL(fileURLWithPath: jsonPath))
        let report = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let machine = try #require(report["machine"] as? [String: Any])
        for key in ["cpu", "cores", "memoryGiB", "kernel", "swift", "build"] {
            #expect(machine[key] != nil, "machine.\(key) missing")
        }
        let figures = try #require(report["figures"] as? [[String: Any]])
        let byName = Dictionary(figures.compactMap { f in (f["name"] as? String).map { ($0, f) } }) { a, _ in a }
        for name in Self.expectedFigures {
            let figure = byName[name]
            #expect(figure != nil, "figure \(name) missing from \(byName.keys.sorted())")
            #expect(figure?["value"] is Double || figure?["value"] is Int, "figure \(name) has no value")
        }
        // The corpus is built so that every latency article alerts and no burst file is lost:
        // correctness, not speed.
        #expect(byName["latency_alerts_missing"]?["value"] as? Double == 0)
        #expect(byName["burst_lost"]?["value"] as? Double == 0)
    }
}

import Foundation
import FrontwatchTestSupport
import Glibc
import Testing

/// Reports that repeat: one name swapped in a loop must not flood the journal or the store.
@Suite("repeated reports", .serialized)
struct RepeatedReportTests {
    /// Rows the store keeps for `path` (read with the sqlite3 shell, as a user would).
    static func rows(for path: String, in state: String) throws -> Int {
        let quoted = path.replacingOccurrences(of: "'", with: "''")
        let (status, output) = try captureOutput("/usr/bin/sqlite3",
                                                 ["-readonly", state + "/frontwatch.sqlite", "SELECT count(*) FROM file WHERE path = '\(quoted)'"])
        guard status == 0, let n = Int(String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw TestFailure("sqlite3 exited \(status)")
        }
        return n
    }

    @Test("a name swapped between regular file, symlink and FIFO in a loop: a few PRIORITY=3 reports and one summary per interval, one row per kind")
    func swappedNameIsSummarised() async throws {
        try await TestJournal.ensureRunning()
        let interval = 2.0
        let burst = 3
        try await withTestDaemon("swap", config: "log: {summary_interval_seconds: \(interval), reports_per_file: \(burst)}\n") { d in
            let process = try await d.start()
            let text = Articles.quiet(tag: "swapped name")
            try d.drop(text, named: "original.txt")
            try await d.messages.waitForCounts("the original") { $0.processed == 1 }

            let name = d.inbox + "/swapped.txt"
            let (stream, follower) = try TestJournal.follow(["_PID=\(process.pid)", "MESSAGE_ID=\(rejectedMessageID)", "FRONTWATCH_FILE=\(name)"])
            defer { follower.terminate() }
            let start = ContinuousClock.now
            for _ in 0..<1500 {
                try d.drop(text, named: "swapped.txt")  // a copy of the original: a duplicate
                try #require(symlink("/etc/hostname", d.staging + "/link") == 0)
                try rename(d.staging + "/link", to: name)
                try #require(mkfifo(d.staging + "/fifo", 0o644) == 0)
                try rename(d.staging + "/fifo", to: name)
            }
            try d.drop(Articles.quiet(tag: "after the loop"), named: "sentinel.txt")
            // Events are handled in order: once the sentinel is processed, so is every swap.
            let counts = try await d.messages.waitForCounts("the sentinel", seconds: 120) { $0.processed == 2 }
            let elapsed = (ContinuousClock.now - start) / .seconds(1)
            #expect(counts.rejected > 100, "the loop really made the daemon reject the name many times: \(counts)")

            // Every rejection is accounted for: reported as it came, or counted in a summary.
            let entries = try await within(30, "summaries accounting for all \(counts.rejected) rejections") {
                var seen: [[String: String]] = []
                var accounted = 0
                for await entry in stream {
                    seen.append(entry)
                    accounted += entry["FRONTWATCH_REASON"] == "repeated" ? Int(entry["FRONTWATCH_REPEATS"] ?? "0") ?? 0 : 1
                    if accounted >= counts.rejected { break }
                }
                return seen
            }
            let summaries = entries.filter { $0["FRONTWATCH_REASON"] == "repeated" }
            let reports = entries.count - summaries.count
            let intervals = Int(elapsed / interval) + 2
            print("swapped name: \(counts.rejected) rejections in \(elapsed) s: \(reports) reports, \(summaries.count) summaries")
            #expect(reports <= burst * intervals, "\(reports) reports in \(elapsed) s for \(counts.rejected) rejections")
            #expect(!summaries.isEmpty && summaries.count <= intervals, "\(summaries.count) summaries")
            #expect(entries.allSatisfy { $0["PRIORITY"] == "3" })
            #expect(summaries.first?["MESSAGE"]?.contains("more times") == true, "\(summaries.first?["MESSAGE"] ?? "")")
            // One row for its last rejection, one for its last duplicate copy.
            #expect(try Self.rows(for: name, in: d.state) <= 2)
            #expect(await d.stop() == 0)
        }
    }

    @Test("a flood of duplicate copies does not spend the eased alerts' journald budget: the eased alert that follows is in the journal")
    func duplicateFloodLeavesRoomForEasedAlert() async throws {
        try await TestJournal.ensureRunning()
        // Priorities 5 (eased alerts, notices) and 6 (info) are one band of journald's limit.
        let unit = try RateLimitedUnit(burst: 20, intervalSeconds: 300)
        defer { unit.remove() }
        try await withTestDaemon("dup-flood") { d in
            let process = try await d.start(launcher: unit.launcher)
            let copy = Articles.quiet(tag: "copied many times")
            try d.drop(copy, named: "original.txt")
            try await d.messages.waitForCounts("the original") { $0.processed == 1 }
            for i in 0..<600 { try d.drop(copy, named: "copy-\(i).txt") }
            try await d.messages.waitForCounts("600 duplicates") { $0.duplicates == 600 }
            let eased = "date 2024-05-06\nRussian assaults in the Lyman direction have subsided over the past day as the enemy regroups, the regional command reported.\n"
            try d.drop(eased, named: "eased.txt")
            try await d.messages.waitForCounts("the eased alert sent") { $0.processed == 2 && $0.alerts == 1 && $0.pending == 0 }
            try await journalBarrier()
            let all = try TestJournal.entries(["_PID=\(process.pid)"])
            #expect(all.first?["_SYSTEMD_UNIT"] == unit.name, "journald sees the daemon as its own unit (so its rate limit applies)")
            let alerts = all.filter { $0["MESSAGE_ID"] == "be697221fd724c14b5bf4027fc99aed5" }
            #expect(alerts.count == 1 && alerts.first?["FRONTWATCH_AXIS"] == "Lyman",
                    "the eased alert reached the journal; \(all.count) entries of the daemon in all")
            let duplicates = all.filter { $0["MESSAGE"]?.hasPrefix("duplicate article") == true }
            #expect(duplicates.count <= 10, "a few duplicate lines as they came: \(duplicates.count)")
            #expect(duplicates.allSatisfy { $0["MESSAGE"]?.contains("/copy-") == true && $0["MESSAGE"]?.contains("same content as \(d.inbox)/original.txt") == true },
                    "each line names the copy and the original: \(duplicates.first?["MESSAGE"] ?? "")")
            // The rest are counted in a summary when the interval ends, or at stop.
            #expect(await d.stop() == 0)
            try await journalBarrier()
            let summaries = try TestJournal.entries(["_PID=\(process.pid)", "FRONTWATCH_NOTE=duplicate"])
            let counted = summaries.compactMap { Int($0["FRONTWATCH_REPEATS"] ?? "") }.reduce(0, +)
            #expect(counted + duplicates.count == 600, "every duplicate logged or counted: \(counted) + \(duplicates.count)")
        }
    }
}

import Foundation
import FrontwatchTestSupport
import Glibc
import Testing

/// An article stuffed with cue sentences: the state it leaves is bounded, its alerts are not lost.
@Suite("bounded work per article", .serialized)
struct BoundedWorkTests {
    static func sql(_ state: String, _ query: String) throws -> [String] {
        let (status, output) = try captureOutput("/usr/bin/sqlite3", ["-readonly", state + "/frontwatch.sqlite", query])
        guard status == 0 else { throw TestFailure("sqlite3 exited \(status) for \(query)") }
        return String(decoding: output, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    @Test("600 cue sentences on six axes: at most state.max_events_per_article events stored, max_events_per_axis per axis, evidence cut; every axis still alerts")
    func eventsPerArticleAreCapped() async throws {
        try await TestJournal.ensureRunning()
        try await withTestDaemon("bounded", config: "state: {max_events_per_article: 40, max_events_per_axis: 5, max_evidence_bytes: 120}\n") { d in
            let process = try await d.start()
            var lines = ["date 2024-08-01"]
            for i in 0..<600 {
                let axis = Articles.axes[i % Articles.axes.count]
                let tail = i == 7 ? ", " + String(repeating: "and the shelling went on along the river banks ", count: 20) : ""
                lines.append("Russian forces intensified attacks in the \(axis) direction on Monday\(tail), report \(i) said.")
            }
            try d.drop(lines.joined(separator: "\n") + "\n", named: "stuffed.txt")
            let counts = try await d.messages.waitForCounts("the stuffed article") { $0.processed == 1 && $0.pending == 0 }
            #expect(counts.alerts == 6, "one alert per axis, as without the cap: \(counts)")
            let stored = try Int(Self.sql(d.state, "SELECT count(*) FROM event").first ?? "") ?? -1
            #expect(stored > 0 && stored <= 30, "6 axes x 5: \(stored) events stored")
            let perAxis = try Self.sql(d.state, "SELECT count(*) FROM event GROUP BY axis").compactMap { Int($0) }
            #expect(perAxis.count == 6 && perAxis.allSatisfy { $0 <= 5 }, "\(perAxis)")
            let longest = try Int(Self.sql(d.state, "SELECT max(length(CAST(evidence AS BLOB))) FROM event").first ?? "") ?? -1
            #expect(longest <= 120, "evidence cut to max_evidence_bytes: \(longest)")
            #expect(try Self.sql(d.state, "SELECT event_count FROM file WHERE status = 'processed'") == ["600"], "the count found is kept")
            try await journalBarrier()
            let alerts = try TestJournal.entries(["_PID=\(process.pid)", "MESSAGE_ID=\(alertMessageID)"])
            #expect(Set(alerts.compactMap { $0["FRONTWATCH_AXIS"] }) == Set(Articles.axes))
            #expect(await d.stop() == 0)
        }
    }

    /// A long article of cue sentences on one axis, of about `bytes` bytes.
    static func large(axis: String, day: String, bytes: Int) -> String {
        let verbs = ["intensified attacks", "stepped up assaults", "increased shelling", "pressed new assaults"]
        var text = "date \(day)\n"
        var i = 0
        while text.utf8.count < bytes {
            text += "Russian forces \(verbs[i % verbs.count]) in the \(axis) direction overnight, and the fighting around the villages went on, bulletin \(i) said.\n"
            i += 1
        }
        return text
    }

    @Test("a normal article taken with three large ones is read before them: the large ones go one at a time, after it")
    func largeArticlesDoNotHoldUpANormalOne() async throws {
        try await TestJournal.ensureRunning()
        try await withTestDaemon("large-first", config: "watch: {large_article_bytes: 20000}\n") { d in
            let process = try await d.start()
            let axes = ["Lyman", "Bakhmut", "Avdiivka"]
            for (n, axis) in axes.enumerated() {
                try Self.large(axis: axis, day: "2024-08-0\(n + 1)", bytes: 30_000).write(toFile: d.staging + "/large-\(n).txt", atomically: false, encoding: .utf8)
            }
            try Articles.alerting(axis: "Kupiansk", day: "2024-08-05", tag: "normal").write(toFile: d.staging + "/normal.txt", atomically: false, encoding: .utf8)
            // Stopped, the daemon takes all four at once when it goes on: the large ones first in the queue.
            process.signal(SIGSTOP)
            for name in ["large-0.txt", "large-1.txt", "large-2.txt", "normal.txt"] { try rename(d.staging + "/" + name, to: d.inbox + "/" + name) }
            process.signal(SIGCONT)
            try await d.messages.waitForCounts("all four", seconds: 300) { $0.processed == 4 && $0.pending == 0 }
            try await journalBarrier()
            let order = try TestJournal.entries(["_PID=\(process.pid)", "MESSAGE_ID=\(alertMessageID)"]).compactMap { $0["FRONTWATCH_AXIS"] }
            #expect(Set(order) == Set(axes + ["Kupiansk"]), "\(order)")
            // Behind one large file at most (the loop may have taken the first alone, before the rest came).
            #expect((order.firstIndex(of: "Kupiansk") ?? 9) <= 1, "the normal article is not held up by the large ones: \(order)")
            #expect(order.filter { $0 != "Kupiansk" } == axes, "large ones in order of arrival: \(order)")
            #expect(await d.stop() == 0)
        }
    }

    @Test("SIGTERM while a large article is analysed: the daemon stops without finishing it, and the next start reads it (not as a crash)")
    func sigtermInterruptsALargeAnalysis() async throws {
        try await TestJournal.ensureRunning()
        try await withTestDaemon("large-stop", config: "watch: {large_article_bytes: 20000}\nlog: {level: debug}\n") { d in
            let process = try await d.start()
            let (debug, follower) = try TestJournal.follow(["_PID=\(process.pid)"])
            defer { follower.terminate() }
            // Seconds to analyse in a debug build, far longer than a stop may take.
            try d.drop(Self.large(axis: "Siversk", day: "2024-08-09", bytes: 4_000_000), named: "huge.txt")
            _ = try await within(120, "the large file's analysis under way") {
                for await entry in debug where entry["MESSAGE"] == "analysing a large file alone" { return true }
                return false
            }
            let asked = ContinuousClock.now
            #expect(await d.stop() == 0)
            print("large analysis: the daemon exited \(ContinuousClock.now - asked) after SIGTERM")
            #expect(try d.report().processed == 0, "the interrupted article is not recorded")
            try await d.start()
            let counts = try await d.messages.waitForCounts("the article read at the next start", seconds: 300) { $0.handled >= 1 }
            #expect(counts.processed == 1 && counts.rejected == 0 && counts.alerts == 1, "read, not set aside as a crash: \(counts)")
            #expect(await d.stop() == 0)
        }
    }
}

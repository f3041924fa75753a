import Foundation
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
}

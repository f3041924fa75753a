import Foundation
import FrontwatchTestSupport
import Glibc
import Testing

/// The state folder on a small tmpfs that really fills up: the daemon says so loudly, keeps the
/// articles waiting, retries them with backoff and resumes by itself when space returns.
@Suite("state disk full", .serialized)
struct StorageTests {
    /// Fast backoff, so a test does not wait for the default's 30 s ceiling.
    static let config = "state: {retry_seconds: 0.2, max_retry_seconds: 1}\n"

    /// Runs `body` with a daemon whose state folder is a 2 MiB tmpfs; unmounts it however `body` ends.
    func withFullableState(_ label: String, _ body: (TestDaemon, Tmpfs) async throws -> Void) async throws {
        try await TestJournal.ensureRunning()
        try await withTestDaemon(label, config: Self.config) { d in
            let tmpfs = try Tmpfs(on: d.state, size: "2m")
            do {
                try await body(d, tmpfs)
                await d.tearDown()
                tmpfs.unmount()
            } catch {
                await d.tearDown()
                tmpfs.unmount()
                throw error
            }
        }
    }

    static func isOutOfSpace(_ message: String) -> Bool {
        message.split(separator: "\n").contains { $0.hasPrefix("STATUS=out of space") }
    }

    @Test("state folder full: articles wait (PRIORITY=2, STATUS= says so), then are read and alert when space returns, no restart")
    func fullStateDiskRecoversWithoutRestart() async throws {
        try await withFullableState("full") { d, tmpfs in
            let process = try await d.start()
            try d.drop(Articles.alerting(axis: "Kupiansk", day: "2024-02-01", tag: "before-full"), named: "a0.txt")
            try await d.messages.waitForCounts("the first article") { $0.processed == 1 && $0.alerts == 1 && $0.pending == 0 }

            let filler = try tmpfs.fill()
            let from = await d.messages.count
            let later = [("Lyman", "2024-02-02"), ("Bakhmut", "2024-02-03"), ("Siversk", "2024-02-04")]
            for (i, (axis, day)) in later.enumerated() {
                try d.drop(Articles.alerting(axis: axis, day: day, tag: "while-full-\(i)"), named: "a\(i + 1).txt")
            }
            try await d.messages.waitFor("STATUS= saying the state folder is out of space", from: from, where: Self.isOutOfSpace)
            try await journalBarrier()
            let loud = try TestJournal.entries(["_PID=\(process.pid)", "PRIORITY=2"])
            #expect(loud.contains { $0["MESSAGE"]?.contains(d.state) == true && $0["MESSAGE"]?.contains("full") == true },
                    "one loud entry naming the state folder: \(loud.map { $0["MESSAGE"] ?? "" })")
            #expect(loud.count == 1, "said once, not per file or per retry: \(loud.count)")
            #expect(loud.first?["MESSAGE_ID"] == "58188b9eedf342829975a008418cb060")
            #expect(loud.first?["FRONTWATCH_REASON"] == "out-of-space")

            // Space returns: everything that waited is read, alerts, and nothing is rejected.
            try FileManager.default.removeItem(atPath: filler)
            let counts = try await d.messages.waitForCounts("the waiting articles, read after space returned", from: from) {
                $0.processed == 4 && $0.alerts == 4 && $0.pending == 0
            }
            #expect(counts.rejected == 0, "\(counts)")
            try await journalBarrier()
            let alerts = try TestJournal.entries(["_PID=\(process.pid)", "MESSAGE_ID=\(alertMessageID)"])
            #expect(Set(alerts.compactMap { $0["FRONTWATCH_AXIS"] }) == ["Kupiansk", "Lyman", "Bakhmut", "Siversk"])
            #expect(alerts.count == 4, "each alert once: \(alerts.map { $0["FRONTWATCH_ARTICLE"] ?? "" })")
            let back = try TestJournal.entries(["_PID=\(process.pid)"]).filter { $0["MESSAGE"]?.contains("can be written again") == true }
            #expect(back.count == 1, "a line saying the state is writable again")
            let report = try d.report()
            #expect(report.processed == 4 && report.rejected == 0 && report.alerts_pending == 0 && report.alerts_sent == 4, "\(report)")
            #expect(await d.stop() == 0)
        }
    }

    @Test("restarts while the state folder is full never set an article aside as analysis-crashed")
    func restartsWhileFullAreNotCrashes() async throws {
        try await withFullableState("full-restart") { d, tmpfs in
            try await d.start()
            try d.drop(Articles.quiet(tag: "first"), named: "first.txt")
            try await d.messages.waitForCounts("the first article") { $0.processed == 1 }
            let filler = try tmpfs.fill()
            var from = await d.messages.count
            try d.drop(Articles.alerting(axis: "Vuhledar", day: "2024-03-01", tag: "restarts"), named: "waits.txt")
            try await d.messages.waitFor("out of space", from: from, where: Self.isOutOfSpace)
            // More restarts than the crash marker forgives (AnalysisMarker.maxAttempts).
            for _ in 0...AnalysisLimit.crashes {
                #expect(await d.stop() == 0)
                from = await d.messages.count
                try await d.start()
                try await d.messages.waitFor("out of space after a restart", from: from, where: Self.isOutOfSpace)
            }
            try FileManager.default.removeItem(atPath: filler)
            let counts = try await d.messages.waitForCounts("the article that waited", from: from) {
                $0.processed == 1 && $0.alerts == 1 && $0.pending == 0
            }
            #expect(counts.rejected == 0, "\(counts)")
            let report = try d.report()
            #expect(report.processed == 2 && report.rejected == 0 && report.alerts_sent == 1, "\(report)")
            #expect(await d.stop() == 0)
        }
    }
}

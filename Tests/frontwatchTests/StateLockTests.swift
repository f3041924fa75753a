import Foundation
import FrontwatchTestSupport
import Glibc
import Testing

/// One daemon per state folder: a second one on the same state exits at once, naming the first,
/// and the first goes on as if nothing happened.
@Suite("state folder lock")
struct StateLockTests {
    @Test("a second daemon on the same state folder is refused with the first one's pid; the first keeps working")
    func secondDaemonIsRefused() async throws {
        try await TestJournal.ensureRunning()
        try await withTestDaemon("lock") { d in
            let first = try await d.start()
            let refused = try await StateDatabaseTests.refusedStart(d)
            #expect(refused.status == 75, "EX_TEMPFAIL, got \(refused.status)")
            #expect(refused.stderr.contains("already uses the state folder \(d.state)"), "\(refused.stderr)")
            #expect(refused.stderr.contains("pid \(first.pid)"), "names the holder: \(refused.stderr)")
            try d.drop(Articles.alerting(axis: "Siversk", day: "2024-08-05", tag: "after the refused start"), named: "one.txt")
            try await d.messages.waitForCounts("the article, by the first daemon") { $0.processed == 1 && $0.alerts == 1 }
            #expect(await d.stop() == 0)
        }
    }
}

import Foundation
import FrontwatchTestSupport
import Glibc
import Testing

/// An article dated in the future (by its header, or by its file's time when it has none) must
/// not move axis state: one such file would otherwise mute an axis until that date.
@Suite("implausible dates")
struct ImplausibleDateTests {
    @Test("an article dated 2099 and a header-less one with a 2099 mtime are rejected; real reports on the axis still alert")
    func futureDatesDoNotMuteAnAxis() async throws {
        try await TestJournal.ensureRunning()
        try await withTestDaemon("future") { d in
            let process = try await d.start()
            try d.drop(Articles.alerting(axis: "Kupiansk", day: "2099-01-01", tag: "from the future"), named: "future.txt")
            // No header: the date comes from the file's modification time, set to 2099 before the move.
            let undated = d.staging + "/undated.txt"
            try "Russian forces stepped up attacks near Kupiansk, the brigade said.\n".write(toFile: undated, atomically: false, encoding: .utf8)
            var times = [timespec(tv_sec: 4_070_908_800, tv_nsec: 0), timespec(tv_sec: 4_070_908_800, tv_nsec: 0)]
            #expect(utimensat(AT_FDCWD, undated, &times, 0) == 0)
            #expect(rename(undated, d.inbox + "/undated.txt") == 0)
            try d.drop(Articles.alerting(axis: "Kupiansk", day: "1999-05-01", tag: "before the war"), named: "old.txt")
            try d.drop(Articles.alerting(axis: "Kupiansk", day: "2024-09-10", tag: "a real report"), named: "real.txt")
            let counts = try await d.messages.waitForCounts("three rejected, one alert") { $0.rejected == 3 && $0.processed == 1 }
            #expect(counts.alerts == 1, "the real report alerts: \(counts)")
            try await journalBarrier()
            let rejections = try TestJournal.entries(["_PID=\(process.pid)", "MESSAGE_ID=\(rejectedMessageID)"])
            let reasons = Dictionary(rejections.map { (($0["FRONTWATCH_FILE"] ?? "").split(separator: "/").last.map(String.init) ?? "",
                                                      $0["FRONTWATCH_REASON"] ?? "") }, uniquingKeysWith: { a, _ in a })
            #expect(reasons == ["future.txt": "future-date", "undated.txt": "future-date", "old.txt": "implausible-date"], "\(reasons)")
            #expect(rejections.allSatisfy { $0["PRIORITY"] == "3" })
            let alerts = try TestJournal.entries(["_PID=\(process.pid)", "MESSAGE_ID=\(alertMessageID)"])
            #expect(alerts.map { $0["FRONTWATCH_ARTICLE_DATE"] } == ["2024-09-10"])
        }
    }
}

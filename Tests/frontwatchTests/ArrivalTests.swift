import Foundation
import FrontwatchTestSupport
import Glibc
import Testing

/// Files arriving every way they do in real life, against the real daemon and real inotify.
@Suite("file arrivals", .serialized)
struct ArrivalTests {
    @Test("mv, ln, a copy from another filesystem, and a file closed then re-opened for appending: each processed once, complete")
    func arrivalsProcessedOnce() async throws {
        try await withTestDaemon("arrive", config: "watch: {settle_seconds: 0.5, max_settle_seconds: 30}\n") { d in
            try await d.start()

            // An atomic mv: processed at once, exactly once.
            try d.drop(Articles.alerting(axis: "Lyman", day: "2023-01-02", tag: "mv"), named: "mv.txt")
            try await d.messages.waitForCounts("processed 1") { $0.processed == 1 }

            // A hard link made from outside the inbox (ln): IN_CREATE alone, no close.
            let linked = d.staging + "/ln-source.txt"
            try Articles.alerting(axis: "Bakhmut", day: "2023-01-02", tag: "ln").write(toFile: linked, atomically: false, encoding: .utf8)
            #expect(link(linked, d.inbox + "/ln.txt") == 0)
            try await d.messages.waitForCounts("processed 2") { $0.processed == 2 }

            // mv from another filesystem (tmpfs): mv copies into the inbox under the final name.
            let shm = "/dev/shm/frontwatch-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).txt"
            try Articles.alerting(axis: "Siversk", day: "2023-01-02", tag: "xfs").write(toFile: shm, atomically: false, encoding: .utf8)
            let mv = try Process.run(URL(fileURLWithPath: "/bin/mv"), arguments: [shm, d.inbox + "/xfs.txt"])
            mv.waitUntilExit()
            #expect(mv.terminationStatus == 0)
            try await d.messages.waitForCounts("processed 3") { $0.processed == 3 }

            // Written in place, closed, re-opened for appending (the alerting sentence comes in the
            // second write): processed once, after the last close, with the whole text.
            let appended = d.inbox + "/append.txt"
            try "date 2023-01-02\nsource frontwatch tests\n".write(toFile: appended, atomically: false, encoding: .utf8)
            let handle = try #require(FileHandle(forWritingAtPath: appended))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data("Russian forces intensified attacks in the Avdiivka direction on Monday.\n".utf8))
            try handle.close()
            let counts = try await d.messages.waitForCounts("processed 4") { $0.processed == 4 }
            #expect(counts.alerts == 4, "the appended file was read whole, once: \(counts)")
            #expect(counts.duplicates == 0 && counts.rejected == 0)

            let report = try d.report()
            #expect(report.processed == 4 && report.alerts_sent == 4 && report.alerts_pending == 0, "\(report)")
            #expect(await d.stop() == 0)
        }
    }

    @Test("a slow writer is read once, after it closes and stays unchanged for the settle period")
    func slowWriter() async throws {
        try await withTestDaemon("slow", config: "watch: {settle_seconds: 1, max_settle_seconds: 30}\n") { d in
            try await d.start()
            let path = d.inbox + "/slow.txt"
            let from = await d.messages.count
            let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            try #require(fd >= 0)
            let pieces = ["date 2023-03-06\n", "source frontwatch tests\n", "Russian forces intensified attacks ",
                          "in the Vuhledar direction ", "on Monday, officials said.\n"]
            for piece in pieces {
                _ = piece.withCString { write(fd, $0, strlen($0)) }
                // The scenario: a writer that takes its time between pieces, the file open throughout.
                try await Task.sleep(for: .milliseconds(300))
            }
            close(fd)
            let closed = ContinuousClock.now
            let counts = try await d.messages.waitForCounts("the slow file processed", from: from) { $0.processed == 1 }
            let waited = ContinuousClock.now - closed
            #expect(waited >= .milliseconds(950), "read only after the settle period, got \(waited)")
            #expect(counts.alerts == 1, "read whole: \(counts)")
            let early = await d.messages.messages[from...].compactMap(DaemonCounts.init(message:)).filter { $0.processed > 0 }
            #expect(early.first?.alerts == 1, "no partial read before the close: \(early)")
            #expect(await d.stop() == 0)
        }
    }

    @Test("a writer that never stops is read anyway after max_settle_seconds (as Syncthing does)")
    func maxSettleWait() async throws {
        try await withTestDaemon("maxwait", config: "watch: {settle_seconds: 1, max_settle_seconds: 2}\n") { d in
            try await d.start()
            let path = d.inbox + "/growing.txt"
            try "date 2023-03-06\nRussian forces intensified attacks in the Lyman direction on Monday.\n"
                .write(toFile: path, atomically: false, encoding: .utf8)
            let firstClose = ContinuousClock.now
            // Re-open, append, close every 250 ms for 5 s: the file never stays unchanged for 1 s.
            let writer = Task {
                for i in 0..<20 {
                    try await Task.sleep(for: .milliseconds(250))
                    let h = try #require(FileHandle(forWritingAtPath: path))
                    try h.seekToEnd()
                    try h.write(contentsOf: Data("Line \(i) of a running commentary.\n".utf8))
                    try h.close()
                }
                return ContinuousClock.now
            }
            try await d.messages.waitForCounts("the growing file processed while still growing") { $0.processed == 1 }
            let readAfter = ContinuousClock.now - firstClose
            let writerEnd = try await writer.value
            #expect(readAfter >= .milliseconds(1900), "not before the maximum wait: \(readAfter)")
            #expect(readAfter < writerEnd - firstClose, "before the writer stopped: read after \(readAfter)")
            // Its final version settles normally and is read too: a new version, not a duplicate.
            try await d.messages.waitForCounts("the final version processed") { $0.processed == 2 }
            #expect(await d.stop() == 0)
        }
    }

    @Test("editor and transfer temp files are ignored by the configured patterns")
    func ignorePatterns() async throws {
        try await withTestDaemon("ignore", config: """
            watch: {settle_seconds: 0.2, ignore: [".*", "*.tmp", "*.part", "*.swp", "*~", ".#*", "*.crdownload", "*.skip"]}
            """) { d in
            try await d.start()
            for (i, name) in [".hidden", "a.tmp", "b.part", ".c.txt.swp", "d.txt~", ".#e.txt", "f.crdownload", "g.skip"].enumerated() {
                try d.drop(Articles.quiet(tag: "ignored-\(i)"), named: name)
            }
            // Written in place under temp names, too (the close event must not count either).
            try Articles.quiet(tag: "in-place").write(toFile: d.inbox + "/h.part", atomically: false, encoding: .utf8)
            // An rsync-style transfer: a dot-file renamed to its final name once complete.
            try Articles.quiet(tag: "rsync").write(toFile: d.inbox + "/.real.txt.Xy12Zq", atomically: false, encoding: .utf8)
            try rename(d.inbox + "/.real.txt.Xy12Zq", to: d.inbox + "/real.txt")
            let counts = try await d.messages.waitForCounts("the real file processed") { $0.processed == 1 }
            #expect(counts == DaemonCounts(message: "STATUS=processed 1, duplicates 0, rejected 0, alerts 0, pending 0"))
            // The start scan after a restart ignores them too.
            #expect(await d.stop() == 0)
            let from = await d.messages.count
            try await d.start()
            try d.drop(Articles.quiet(tag: "sentinel"), named: "sentinel.txt")
            let after = try await d.messages.waitForCounts("the sentinel", from: from) { $0.processed == 1 }
            #expect(after.rejected == 0 && after.duplicates == 0)
            let report = try d.report()
            #expect(report.processed == 2 && report.rejected == 0 && report.duplicates == 0, "\(report)")
            #expect(await d.stop() == 0)
        }
    }

    @Test("the watch folder deleted and recreated, or moved away, is watched again")
    func folderGoneAndBack() async throws {
        try await withTestDaemon("rearm") { d in
            try await d.start()
            try d.drop(Articles.quiet(tag: "before"), named: "before.txt")
            try await d.messages.waitForCounts("the first file") { $0.processed == 1 }

            // Deleted and recreated.
            try FileManager.default.removeItem(atPath: d.inbox)
            try FileManager.default.createDirectory(atPath: d.inbox, withIntermediateDirectories: false)
            try d.drop(Articles.quiet(tag: "recreated"), named: "recreated.txt")
            try await d.messages.waitForCounts("a file in the recreated folder") { $0.processed == 2 }

            // Moved away, and a new folder made in its place.
            try rename(d.inbox, to: d.folder.path + "/inbox.old")
            try FileManager.default.createDirectory(atPath: d.inbox, withIntermediateDirectories: false)
            try d.drop(Articles.quiet(tag: "replaced"), named: "replaced.txt")
            try await d.messages.waitForCounts("a file in the replacement folder") { $0.processed == 3 }
            let report = try d.report()
            #expect(report.processed == 3 && report.rejected == 0, "\(report)")
            #expect(await d.stop() == 0)
        }
    }

    @Test("poll mode (watch.mode = poll) finds moved-in and written-in-place files, and survives the folder going away")
    func pollMode() async throws {
        try await withTestDaemon("poll", config: "watch: {mode: poll, poll_interval_seconds: 0.2, settle_seconds: 0.3}\n") { d in
            try d.drop(Articles.quiet(tag: "there-at-start"), named: "start.txt")
            try await d.start()
            try await d.messages.waitForCounts("the file there at start") { $0.processed == 1 }
            try d.drop(Articles.alerting(axis: "Kupiansk", day: "2023-05-01", tag: "poll-mv"), named: "moved.txt")
            try Articles.quiet(tag: "poll-in-place").write(toFile: d.inbox + "/written.txt", atomically: false, encoding: .utf8)
            try await d.messages.waitForCounts("two more files") { $0.processed == 3 }
            try FileManager.default.removeItem(atPath: d.inbox)
            try FileManager.default.createDirectory(atPath: d.inbox, withIntermediateDirectories: false)
            try d.drop(Articles.quiet(tag: "poll-back"), named: "back.txt")
            let counts = try await d.messages.waitForCounts("a file in the recreated folder") { $0.processed == 4 }
            #expect(counts.alerts == 1 && counts.duplicates == 0 && counts.rejected == 0, "\(counts)")
            #expect(await d.stop() == 0)
        }
    }
}

import Foundation
import FrontwatchTestSupport
import Glibc
import Testing

/// Many files at once: a burst, an inotify queue overflow, a stopped daemon.
@Suite("bursts and overflow", .serialized)
struct BurstTests {
    /// Writes `count` distinct quiet articles into the staging folder and returns their names.
    static func stage(_ count: Int, in d: TestDaemon, prefix: String) throws -> [String] {
        try (0..<count).map { i in
            let name = "\(prefix)-\(String(format: "%05d", i)).txt"
            let fd = open(d.staging + "/" + name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            let bytes = Array(Articles.quiet(tag: "\(prefix)-\(i)").utf8)
            let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            close(fd)
            guard written == bytes.count else { throw POSIXError(.EIO) }
            return name
        }
    }

    @Test("a burst of 10,000 files: every article processed exactly once, and the watchdog pinged throughout")
    func burstOfTenThousand() async throws {
        try await withTestDaemon("burst") { d in
            let names = try Self.stage(10_000, in: d, prefix: "burst")
            // WatchdogSec=6s: systemd would kill a daemon that went 6 s without a ping. (Not 2 s:
            // on a loaded 2-core CI machine a scheduling stall alone can come close to that.)
            try await d.start(environment: ["WATCHDOG_USEC": "6000000"])
            let start = ContinuousClock.now
            for name in names { try rename(d.staging + "/" + name, to: d.inbox + "/" + name) }
            let moved = ContinuousClock.now - start
            let counts = try await d.messages.waitForCounts("10,000 processed", seconds: 300) { $0.handled >= 10_000 }
            let took = ContinuousClock.now - start
            let gap = await d.messages.longestGap(without: "WATCHDOG=1", start: start, end: .now)
            print("burst: 10000 files moved in \(moved), all processed \(took) after the first mv; longest watchdog gap \(gap)")
            #expect(gap < .seconds(6), "a busy daemon keeps pinging (WATCHDOG_USEC=6 s); longest gap \(gap)")
            #expect(counts.processed == 10_000 && counts.duplicates == 0 && counts.rejected == 0, "\(counts)")
            let report = try d.report()
            #expect(report.processed == 10_000 && report.duplicates == 0 && report.rejected == 0, "\(report)")
            #expect(await d.stop() == 0)
        }
    }

    @Test("an inotify queue overflow (IN_Q_OVERFLOW) triggers a rescan: every article processed exactly once")
    func queueOverflow() async throws {
        try await TestJournal.ensureRunning()
        try await withTestDaemon("overflow") { d in
            let names = try Self.stage(1_500, in: d, prefix: "overflow")
            // The queue limit is read when an inotify instance is made: lower it only while the
            // daemon starts, under the lock for machine-wide settings, and put it back at once.
            let limitPath = "/proc/sys/fs/inotify/max_queued_events"
            try await SystemWideSettings.shared.exclusively {
                let saved = try SystemWideSettings.read(limitPath)
                try SystemWideSettings.write("64", to: limitPath)
                do {
                    try await d.start()
                } catch {
                    try SystemWideSettings.write(saved, to: limitPath)
                    throw error
                }
                try SystemWideSettings.write(saved, to: limitPath)
            }
            let process = try #require(d.process)
            // Stopped, the daemon reads nothing: 1,500 arrivals overflow its 64-event queue.
            process.signal(SIGSTOP)
            for name in names { try rename(d.staging + "/" + name, to: d.inbox + "/" + name) }
            process.signal(SIGCONT)
            let counts = try await d.messages.waitForCounts("1,500 processed", seconds: 120) { $0.handled >= 1_500 }
            #expect(counts.processed == 1_500 && counts.duplicates == 0 && counts.rejected == 0, "\(counts)")
            try await journalBarrier()
            let warnings = try TestJournal.entries(["_PID=\(process.pid)", "PRIORITY=4"])
            #expect(warnings.contains { $0["MESSAGE"]?.contains("inotify queue overflowed") == true },
                    "the overflow was seen and logged: \(warnings.map { $0["MESSAGE"] ?? "" })")
            let report = try d.report()
            #expect(report.processed == 1_500 && report.duplicates == 0, "\(report)")
            #expect(await d.stop() == 0)
        }
    }

    @Test("SIGSTOP the daemon, drop files, SIGCONT: all are processed")
    func stoppedAndContinued() async throws {
        try await withTestDaemon("sigstop") { d in
            let names = try Self.stage(200, in: d, prefix: "stopped")
            let process = try await d.start()
            process.signal(SIGSTOP)
            for name in names { try rename(d.staging + "/" + name, to: d.inbox + "/" + name) }
            try d.drop(Articles.alerting(axis: "Lyman", day: "2023-09-04", tag: "stopped"), named: "alerting.txt")
            process.signal(SIGCONT)
            let counts = try await d.messages.waitForCounts("201 processed, the alert sent") { $0.processed == 201 && $0.pending == 0 }
            #expect(counts.alerts == 1 && counts.duplicates == 0 && counts.rejected == 0, "\(counts)")
            #expect(await d.stop() == 0)
        }
    }
}

import Foundation
import FrontwatchTestSupport
import Glibc
import Testing

/// A state database that is damaged, missing or replaced: the daemon says what is wrong, with
/// the path and what to do, on stderr and in the journal, and never starts afresh by itself
/// (which would read and alert on the whole inbox again).
@Suite("state database damaged or lost", .serialized)
struct StateDatabaseTests {
    /// Runs `frontwatch run` on the daemon's folders and waits for it to exit (it must refuse).
    static func refusedStart(_ d: TestDaemon) async throws -> (status: Int32, stderr: String, pid: Int32) {
        let process = try DaemonProcess(
            arguments: ["run", "--watch", d.inbox, "--state", d.state, "--config", d.configPath, "--log", "journal"],
            environment: ["NOTIFY_SOCKET": d.notify.path])
        let status = try await exitStatus(process, "the refused start to exit")
        return (status, process.stderrText(), process.pid)
    }

    /// Waits (30 s at most) for `process` to exit; kills it when it does not.
    static func exitStatus(_ process: DaemonProcess, _ what: String) async throws -> Int32 {
        do {
            guard let status = try await within(30, what, { await process.exited() }) else { throw TimedOut(what: what) }
            return status
        } catch {
            process.signal(SIGKILL)
            _ = await process.waitForExit()
            throw error
        }
    }

    @Test("a corrupt database at start: an error naming the path, PRAGMA integrity_check and how to move it aside, on stderr and in the journal")
    func corruptDatabaseAtStart() async throws {
        try await TestJournal.ensureRunning()
        try await withTestDaemon("corrupt") { d in
            let file = d.state + "/frontwatch.sqlite"
            // A header that claims SQLite, then noise.
            try Data(Array("SQLite format 3\u{0}".utf8) + (0..<8192).map { _ in UInt8.random(in: 0...255) })
                .write(to: URL(fileURLWithPath: file))
            let refused = try await Self.refusedStart(d)
            #expect(refused.status != 0)
            for needed in [file, "PRAGMA integrity_check", "mv \(file) \(file).damaged"] {
                #expect(refused.stderr.contains(needed), "stderr names \(needed): \(refused.stderr)")
            }
            try await journalBarrier()
            let entries = try TestJournal.entries(["_PID=\(refused.pid)", "PRIORITY=2"])
            #expect(entries.contains { $0["MESSAGE"]?.contains(file) == true && $0["MESSAGE"]?.contains("integrity_check") == true },
                    "the same in the journal: \(entries.map { $0["MESSAGE"] ?? "" })")
        }
    }

    @Test("the database deleted while running: noticed before the next write, the daemon stops; a restart refuses instead of re-alerting the inbox")
    func databaseDeletedWhileRunning() async throws {
        try await TestJournal.ensureRunning()
        try await withTestDaemon("lost") { d in
            let process = try await d.start()
            try d.drop(Articles.alerting(axis: "Kupiansk", day: "2024-07-01", tag: "before the loss"), named: "first.txt")
            try await d.messages.waitForCounts("the first article") { $0.processed == 1 && $0.alerts == 1 && $0.pending == 0 }
            let file = d.state + "/frontwatch.sqlite"
            for suffix in ["", "-wal", "-shm"] { unlink(file + suffix) }
            try d.drop(Articles.alerting(axis: "Lyman", day: "2024-07-02", tag: "after the loss"), named: "second.txt")
            let status = try await Self.exitStatus(process, "the daemon to stop")
            #expect(status != 0, "it stops with a failure, so systemd shows it")
            try await journalBarrier()
            let loud = try TestJournal.entries(["_PID=\(process.pid)", "PRIORITY=2"])
            #expect(loud.contains { $0["MESSAGE"]?.contains(file) == true && $0["MESSAGE"]?.contains("deleted") == true },
                    "\(loud.map { $0["MESSAGE"] ?? "" })")

            let refused = try await Self.refusedStart(d)
            #expect(refused.status != 0, "no fresh start by itself")
            #expect(refused.stderr.contains(file) && refused.stderr.contains("frontwatch.id"), "\(refused.stderr)")
            #expect(!FileManager.default.fileExists(atPath: file), "no empty database created in its place")
            // Starting afresh, as the error says: the inbox is read again, knowingly.
            unlink(d.state + "/frontwatch.id")
            try await d.start()
            try await d.messages.waitForCounts("both articles after the fresh start", from: 0) { $0.processed == 2 && $0.pending == 0 }
            #expect(await d.stop() == 0)
        }
    }
}

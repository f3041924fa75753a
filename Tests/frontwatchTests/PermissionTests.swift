import Foundation
import FrontwatchTestSupport
import Glibc
import Testing

/// Permissions taken away and given back: what was rejected or missed for lack of permission is
/// read once it can be, without a restart, and reported once.
@Suite("permissions given back", .serialized)
struct PermissionTests {
    static let nobody: uid_t = 65534

    /// Root reads anything (CAP_DAC_OVERRIDE): the daemon runs as nobody, with folders it owns.
    static func startUnprivileged(_ d: TestDaemon) async throws -> DaemonProcess {
        for path in [d.folder.path, d.inbox, d.state, d.staging] {
            #expect(chown(path, nobody, nobody) == 0)
        }
        #expect(chmod(d.folder.path, 0o755) == 0)
        #expect(chmod(d.notify.path, 0o777) == 0)
        return try await d.start(launcher: ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"])
    }

    static func rejections(_ process: DaemonProcess) throws -> [[String: String]] {
        try TestJournal.entries(["_PID=\(process.pid)", "MESSAGE_ID=\(rejectedMessageID)"])
    }

    @Test("a file moved in unreadable (chmod 000, or another user's group) is read once chmod / chgrp make it readable")
    func unreadableFileIsReadAfterChmod() async throws {
        try await TestJournal.ensureRunning()
        try await withTestDaemon("chmod") { d in
            let process = try await Self.startUnprivileged(d)
            try Articles.alerting(axis: "Kupiansk", day: "2024-04-01", tag: "chmod").write(toFile: d.staging + "/locked.txt", atomically: false, encoding: .utf8)
            #expect(chmod(d.staging + "/locked.txt", 0o000) == 0)
            try rename(d.staging + "/locked.txt", to: d.inbox + "/locked.txt")
            // Another user's file (root's group, 0640), as `mv` by a member of the drop group leaves it.
            try Articles.alerting(axis: "Lyman", day: "2024-04-02", tag: "chgrp").write(toFile: d.staging + "/theirs.txt", atomically: false, encoding: .utf8)
            #expect(chown(d.staging + "/theirs.txt", 0, 0) == 0 && chmod(d.staging + "/theirs.txt", 0o640) == 0)
            try rename(d.staging + "/theirs.txt", to: d.inbox + "/theirs.txt")
            try await d.messages.waitForCounts("both rejected as unreadable") { $0.rejected == 2 }

            #expect(chmod(d.inbox + "/locked.txt", 0o644) == 0)
            // The catalog's advice: the group first, then its read bit.
            #expect(chown(d.inbox + "/theirs.txt", 0, Self.nobody) == 0)
            #expect(chmod(d.inbox + "/theirs.txt", 0o640) == 0)
            let counts = try await d.messages.waitForCounts("both read after chmod / chgrp") { $0.processed == 2 && $0.pending == 0 }
            #expect(counts.alerts == 2 && counts.rejected == 2, "\(counts)")
            try await journalBarrier()
            let entries = try Self.rejections(process)
            #expect(entries.count == 2 && entries.allSatisfy { $0["ERRNO"] == "\(EACCES)" }, "one report each: \(entries.map { $0["MESSAGE"] ?? "" })")
            let alerts = try TestJournal.entries(["_PID=\(process.pid)", "MESSAGE_ID=\(alertMessageID)"])
            #expect(Set(alerts.compactMap { $0["FRONTWATCH_AXIS"] }) == ["Kupiansk", "Lyman"])
            let report = try d.report()
            #expect(report.processed == 2 && report.rejected == 0, "the rejections are forgotten once read: \(report)")
            #expect(await d.stop() == 0)
        }
    }

    @Test("the inbox made unsearchable then given back: files moved in or written meanwhile are read (the folder's IN_ATTRIB rescans it)")
    func folderPermissionGivenBack() async throws {
        try await TestJournal.ensureRunning()
        try await withTestDaemon("folder-chmod") { d in
            _ = try await Self.startUnprivileged(d)
            #expect(chmod(d.inbox, 0o000) == 0)
            // Root still writes there: one file moved in, one written in place.
            try Articles.alerting(axis: "Bakhmut", day: "2024-04-03", tag: "moved").write(toFile: d.staging + "/moved.txt", atomically: false, encoding: .utf8)
            try rename(d.staging + "/moved.txt", to: d.inbox + "/moved.txt")
            try Articles.alerting(axis: "Siversk", day: "2024-04-04", tag: "written").write(toFile: d.inbox + "/written.txt", atomically: false, encoding: .utf8)
            try await d.messages.waitForCounts("the moved file rejected: it cannot be examined") { $0.rejected == 1 }
            #expect(chmod(d.inbox, 0o755) == 0)
            let counts = try await d.messages.waitForCounts("both read once the folder is searchable again") { $0.processed == 2 && $0.pending == 0 }
            #expect(counts.alerts == 2, "\(counts)")
            #expect(await d.stop() == 0)
        }
    }

    @Test("a file made readable with no event in the inbox (chmod through another hard link) is read at the periodic rescan")
    func periodicRescanCatchesTheRest() async throws {
        try await TestJournal.ensureRunning()
        try await withTestDaemon("rescan", config: "watch: {rescan_seconds: 0.5}\n") { d in
            _ = try await Self.startUnprivileged(d)
            let outside = d.staging + "/late.txt"
            try Articles.alerting(axis: "Avdiivka", day: "2024-04-05", tag: "hard link").write(toFile: outside, atomically: false, encoding: .utf8)
            #expect(chmod(outside, 0o000) == 0)
            #expect(link(outside, d.inbox + "/late.txt") == 0)
            try await d.messages.waitForCounts("the linked file rejected as unreadable") { $0.rejected == 1 }
            // A chmod through the other name notifies the staging folder, not the inbox.
            #expect(chmod(outside, 0o644) == 0)
            let counts = try await d.messages.waitForCounts("read at a rescan") { $0.processed == 1 && $0.pending == 0 }
            #expect(counts.alerts == 1, "\(counts)")
            #expect(await d.stop() == 0)
        }
    }
}

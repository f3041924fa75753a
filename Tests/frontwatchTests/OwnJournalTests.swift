import Foundation
import FrontwatchTestSupport
import Glibc
import Testing

/// The tests' alerts go to a journal of the tests' own (`scripts/with-test-journal`), never to
/// the machine's: an analyst who runs the suite on a monitoring host must not find fake alerts
/// under the real MESSAGE_ID.
@Suite("the tests' own journal")
struct OwnJournalTests {
    /// The mount points of a process's mount namespace whose source is `source`.
    static func mountPoints(of pid: String, source: String) throws -> Set<String> {
        let lines = try String(contentsOfFile: "/proc/\(pid)/mountinfo", encoding: .utf8).split(separator: "\n")
        // mountinfo: ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPER
        return Set(lines.compactMap { line -> String? in
            let fields = line.split(separator: " ").map(String.init)
            guard let dash = fields.firstIndex(of: "-"), fields.count > dash + 2, fields[dash + 2] == source else { return nil }
            return fields[4]
        })
    }

    @Test("journald's sockets and files are covered by the tests' own tmpfs, which PID 1's namespace does not have")
    func ownMounts() throws {
        try TestJournal.requireOwn()
        let ours = try Self.mountPoints(of: "self", source: "frontwatch-test-journal")
        #expect(ours.isSuperset(of: ["/run/systemd/journal", "/run/log/journal"]), "\(ours)")
        #expect(try Self.mountPoints(of: "1", source: "frontwatch-test-journal").isEmpty)
    }

    @Test("an alert a test raises is in the tests' journal and not in the journal PID 1's namespace reads")
    func alertStaysInTheTestJournal() async throws {
        try await TestJournal.ensureRunning()
        let tag = "own-journal-\(UUID().uuidString.prefix(8))"
        try await withTestDaemon("own-journal") { d in
            let process = try await d.start()
            try d.drop(Articles.alerting(axis: "Siversk", day: "2024-06-03", tag: tag), named: tag + ".txt")
            _ = try await d.messages.waitForCounts("the alert") { $0.alerts >= 1 }
            try await journalBarrier()
            let matches = ["_PID=\(process.pid)", "MESSAGE_ID=\(alertMessageID)"]
            let here = try TestJournal.entries(matches)
            #expect(here.contains { $0["FRONTWATCH_ARTICLE"]?.hasSuffix(tag + ".txt") == true }, "\(here)")
            // The machine's journal, as PID 1's mount namespace sees it (empty where none runs).
            let (_, data) = try captureOutput("/usr/bin/nsenter", ["--target", "1", "--mount", "--", "/usr/bin/journalctl",
                                                                    "--output=json", "--no-pager", "--all", TestJournal.sinceTestRun,
                                                                    "MESSAGE_ID=\(alertMessageID)"])
            let there = data.split(separator: 0x0A).compactMap { TestJournal.parse(Data($0)) }
            #expect(!there.contains { $0["FRONTWATCH_ARTICLE"]?.hasSuffix(tag + ".txt") == true }, "\(there)")
        }
    }
}

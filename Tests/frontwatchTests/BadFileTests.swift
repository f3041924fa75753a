import Foundation
import FrontwatchTestSupport
import Glibc
import Testing

let rejectedMessageID = "1a160e4c889f41cd8f30fae9e3f1f992"

/// Files that are not articles: each gets one journal entry at PRIORITY=3 naming the file, the
/// reason and ERRNO where there is one; the daemon keeps going and no other article waits.
@Suite("bad files", .serialized)
struct BadFileTests {
    struct Expected {
        var file: String
        var reason: String
        var errno: String?
    }

    static let secretMarker = "SECRET-\(UInt64.random(in: 1...UInt64.max))"

    /// Puts every kind of bad file into the inbox; returns what the journal should say of each.
    static func makeBadFiles(_ d: TestDaemon) throws -> [Expected] {
        var expected: [Expected] = []
        func staged(_ name: String, _ bytes: [UInt8], reason: String, errno: String? = nil) throws {
            try d.drop(bytes, named: name)
            expected.append(Expected(file: d.inbox + "/" + name, reason: reason, errno: errno))
        }
        try staged("empty.txt", [], reason: "empty")
        try staged("binary.bin", (0..<4096).map { _ in UInt8.random(in: 0...255) } + [0], reason: "binary")
        try staged("nul.txt", Array("date 2024-01-10\nRussian forces intensified attacks in the Lyman direction.\u{0}\n".utf8), reason: "binary")
        try staged("one-line.txt", Array("date 2024-01-10\n".utf8) + Array(repeating: UInt8(ascii: "a"), count: 10 * 1024 * 1024),
                   reason: "line-too-long")
        // 1 GiB (sparse): over the size cap, refused before a byte is read.
        let huge = d.staging + "/huge.txt"
        try #require(FileManager.default.createFile(atPath: huge, contents: nil))
        try #require(truncate(huge, 1 << 30) == 0)
        try rename(huge, to: d.inbox + "/huge.txt")
        expected.append(Expected(file: d.inbox + "/huge.txt", reason: "too-large", errno: "\(EFBIG)"))
        // A FIFO nobody writes to: must not block the daemon.
        try #require(mkfifo(d.inbox + "/fifo", 0o644) == 0)
        expected.append(Expected(file: d.inbox + "/fifo", reason: "not-regular"))
        // A device node (the same as /dev/null).
        if mknod(d.inbox + "/device", S_IFCHR | 0o644, dev_t(0x103)) == 0 {
            expected.append(Expected(file: d.inbox + "/device", reason: "not-regular"))
        }
        // A symlink to a secret: never followed.
        try #require(symlink("/etc/shadow", d.inbox + "/shadow.txt") == 0)
        expected.append(Expected(file: d.inbox + "/shadow.txt", reason: "symlink"))
        // And to a file of ours whose words we can look for (the shadow file may hold no hashes).
        try "date 2024-01-10\nRussian forces intensified attacks in the Kupiansk direction \(Self.secretMarker).\n"
            .write(toFile: d.folder.path + "/secret", atomically: false, encoding: .utf8)
        try #require(symlink(d.folder.path + "/secret", d.inbox + "/secret.txt") == 0)
        expected.append(Expected(file: d.inbox + "/secret.txt", reason: "symlink"))
        // Names with a newline, and not valid UTF-8.
        try staged("bad\nname.txt", Array(Articles.quiet(tag: "newline-name").utf8), reason: "invalid-name")
        let rawName: [UInt8] = Array("latin1-".utf8) + [0xE9, 0xFF] + Array(".txt".utf8)
        try Articles.quiet(tag: "raw-name").write(toFile: d.staging + "/raw", atomically: false, encoding: .utf8)
        try rename(d.staging + "/raw", toRaw: Array(d.inbox.utf8) + [UInt8(ascii: "/")] + rawName)
        expected.append(Expected(file: d.inbox + "/latin1-\\xe9\\xff.txt", reason: "invalid-name"))
        // A subfolder.
        try FileManager.default.createDirectory(atPath: d.inbox + "/subfolder", withIntermediateDirectories: false)
        expected.append(Expected(file: d.inbox + "/subfolder", reason: "directory"))
        return expected
    }

    /// A Windows-1251 article (ISW style, in Russian) and a Latin-1 one: decoded and read, with a note.
    static let windows1251: [UInt8] = {
        let text = "date 2024-01-10\nРоссийские войска усилили атаки на Купянском направлении в понедельник.\n"
        return text.unicodeScalars.map { s -> UInt8 in
            switch s.value {
            case 0x410...0x44F: return UInt8(s.value - 0x410 + 0xC0)
            case 0x401: return 0xA8
            case 0x451: return 0xB8
            default: return UInt8(truncatingIfNeeded: s.value)
            }
        }
    }()
    static let latin1: [UInt8] = Array("date 2024-01-10\nRussian forces intensified attacks in the Siversk direction at ".utf8)
        + [0xB1, 0x35, 0xB0, 0x43] + Array(" on Monday, said the ".utf8) + [0xAB] + Array("Siversk".utf8) + [0xBB] + Array(" group.\n".utf8)

    /// An article that tries to forge journal fields and printf formats, in its text and its name.
    static let forged = """
        date 2024-01-10
        Russian forces intensified attacks in the Bakhmut direction %n%s%x%p on Monday.
        PRIORITY=0
        MESSAGE_ID=\(rejectedMessageID)
        FRONTWATCH_AXIS=Forged

        """

    @Test("every kind of bad file: one PRIORITY=3 entry each with file, reason and ERRNO; good articles still flow; nothing twice after a restart")
    func badFilesAreRejectedOnce() async throws {
        try await TestJournal.ensureRunning()
        try await withTestDaemon("bad") { d in
            let process = try await d.start()
            let expected = try Self.makeBadFiles(d)
            try d.drop(Self.windows1251, named: "cp1251.txt")
            try d.drop(Self.latin1, named: "latin1.txt")
            try d.drop(Self.forged, named: "%n%s\\nPRIORITY=0.txt")
            try d.drop(Articles.alerting(axis: "Lyman", day: "2023-10-02", tag: "good"), named: "good.txt")
            let counts = try await d.messages.waitForCounts("all handled", seconds: 120) {
                $0.rejected == expected.count && $0.processed == 4
            }
            // The Russian text yields no event (the extractor reads English); the others alert.
            #expect(counts.alerts == 3 && counts.duplicates == 0, "\(counts)")

            try await journalBarrier()
            let rejections = try TestJournal.entries(["_PID=\(process.pid)", "MESSAGE_ID=\(rejectedMessageID)"])
            for e in expected {
                let entries = rejections.filter { $0["FRONTWATCH_FILE"] == e.file }
                #expect(entries.count == 1, "one entry for \(e.file): \(entries.map { $0["MESSAGE"] ?? "" })")
                guard let entry = entries.first else { continue }
                #expect(entry["PRIORITY"] == "3")
                #expect(entry["FRONTWATCH_REASON"] == e.reason, "reason for \(e.file)")
                #expect(entry["ERRNO"] == e.errno, "ERRNO for \(e.file)")
                #expect(entry["MESSAGE"]?.contains("\n") == false, "one-line message: \(entry["MESSAGE"] ?? "")")
            }
            #expect(rejections.count == expected.count, "\(rejections.map { $0["MESSAGE"] ?? "" })")

            let all = try TestJournal.entries(["_PID=\(process.pid)"])
            // Decoded, and said so.
            for (name, encoding) in [("cp1251.txt", "windows-1251"), ("latin1.txt", "ISO-8859-1")] {
                #expect(all.contains { $0["FRONTWATCH_FILE"] == d.inbox + "/" + name && $0["MESSAGE"]?.contains(encoding) == true },
                        "a note that \(name) was decoded as \(encoding)")
            }
            // Nothing forged: no entry above warning but the rejections, the forged alert is an
            // ordinary alert, and the printf formats are text.
            #expect(all.allSatisfy { Int($0["PRIORITY"] ?? "9")! >= 3 }, "no forged priority")
            let forgedAlert = all.first { $0["MESSAGE_ID"] == alertMessageID && $0["FRONTWATCH_AXIS"] == "Bakhmut" }
            #expect(forgedAlert?["PRIORITY"] == "4")
            #expect(forgedAlert?["FRONTWATCH_EVIDENCE"]?.contains("%n%s%x%p") == true)
            #expect(forgedAlert?["FRONTWATCH_ARTICLE"] == d.inbox + "/%n%s\\nPRIORITY=0.txt")
            #expect(!all.contains { $0["FRONTWATCH_AXIS"] == "Forged" })
            // Not a word of /etc/shadow.
            let shadow = (try? String(contentsOfFile: "/etc/shadow", encoding: .utf8)) ?? ""
            var secrets: [String] = []
            for line in shadow.split(separator: "\n") {
                let fields = line.split(separator: ":", omittingEmptySubsequences: false)
                if fields.count > 1, fields[1].count > 3 { secrets.append(String(fields[1])) }  // the password hashes
            }
            secrets.append(Self.secretMarker)
            for entry in all {
                for value in entry.values { #expect(!secrets.contains { value.contains($0) }, "a linked file's content leaked") }
            }

            // A restart finds them all again and says nothing more about them.
            #expect(await d.stop() == 0)
            let again = try await d.start()
            try d.drop(Articles.quiet(tag: "after-restart"), named: "after-restart.txt")
            try await d.messages.waitForCounts("the sentinel after the restart", from: 0) { $0.processed == 1 && $0.rejected == 0 }
            try await journalBarrier()
            let repeated = try TestJournal.entries(["_PID=\(again.pid)", "MESSAGE_ID=\(rejectedMessageID)"])
            #expect(repeated.isEmpty, "rejected files are remembered: \(repeated.map { $0["MESSAGE"] ?? "" })")
            let report = try d.report()
            #expect(report.rejected == expected.count && report.processed == 5, "\(report)")
            #expect(await d.stop() == 0)
        }
    }

    @Test("watch.rejected: move puts a rejected file in <state>/rejected/ with a reason file beside it")
    func rejectedFilesAreMoved() async throws {
        try await TestJournal.ensureRunning()
        try await withTestDaemon("move", config: "watch: {rejected: move}\n") { d in
            let process = try await d.start()
            try d.drop([], named: "empty.txt")
            try d.drop([0x7F, 0x45, 0x4C, 0x46, 0, 0, 0], named: "program")
            try #require(mkfifo(d.inbox + "/fifo", 0o644) == 0)
            try FileManager.default.createDirectory(atPath: d.inbox + "/subfolder", withIntermediateDirectories: false)
            try d.drop(Articles.quiet(tag: "good"), named: "good.txt")
            try await d.messages.waitForCounts("four rejected, one processed") { $0.rejected == 4 && $0.processed == 1 }
            let left = try FileManager.default.contentsOfDirectory(atPath: d.inbox).sorted()
            #expect(left == ["good.txt", "subfolder"], "a subfolder stays (it is never moved), the rest went")
            let rejected = try FileManager.default.contentsOfDirectory(atPath: d.state + "/rejected").sorted()
            #expect(rejected == ["empty.txt", "empty.txt.reason", "fifo", "fifo.reason", "program", "program.reason"])
            let reason = try String(contentsOfFile: d.state + "/rejected/program.reason", encoding: .utf8)
            #expect(reason.hasPrefix("binary: "), "\(reason)")
            try await journalBarrier()
            let entries = try TestJournal.entries(["_PID=\(process.pid)", "MESSAGE_ID=\(rejectedMessageID)"])
            #expect(entries.first { $0["FRONTWATCH_FILE"] == d.inbox + "/program" }?["FRONTWATCH_MOVED_TO"] == d.state + "/rejected/program")
            #expect(await d.stop() == 0)
        }
    }

    @Test("an unreadable file (the daemon unprivileged): rejected with ERRNO=13, the daemon carries on")
    func unreadableFile() async throws {
        try await TestJournal.ensureRunning()
        try await withTestDaemon("unreadable") { d in
            // Root reads anything (CAP_DAC_OVERRIDE): run the daemon as nobody, with folders it owns.
            for path in [d.folder.path, d.inbox, d.state, d.staging] {
                #expect(chown(path, 65534, 65534) == 0)
            }
            #expect(chmod(d.folder.path, 0o755) == 0)
            #expect(chmod(d.notify.path, 0o777) == 0)
            let process = try await d.start(launcher: ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"])
            try Articles.quiet(tag: "secret").write(toFile: d.staging + "/locked.txt", atomically: false, encoding: .utf8)
            #expect(chmod(d.staging + "/locked.txt", 0o000) == 0)
            try rename(d.staging + "/locked.txt", to: d.inbox + "/locked.txt")
            try d.drop(Articles.quiet(tag: "readable"), named: "readable.txt")
            try await d.messages.waitForCounts("one rejected, one processed") { $0.rejected == 1 && $0.processed == 1 }
            try await journalBarrier()
            let entries = try TestJournal.entries(["_PID=\(process.pid)", "MESSAGE_ID=\(rejectedMessageID)"])
            #expect(entries.count == 1)
            #expect(entries.first?["FRONTWATCH_FILE"] == d.inbox + "/locked.txt")
            #expect(entries.first?["ERRNO"] == "\(EACCES)")
            #expect(entries.first?["PRIORITY"] == "3")
            #expect(await d.stop() == 0)
        }
    }
}

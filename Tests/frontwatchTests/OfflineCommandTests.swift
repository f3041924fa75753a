import Foundation
import Glibc
import Testing

/// A folder's README and labels, written for these tests: a note that reads like reporting, so a
/// command that took it for an article would find an alert in it.
private let folderReadme = """
    # This week's reports

    Russian forces intensified attacks in the Siversk direction, the General Staff said; the files
    below were collected from the evening summaries.

    """

private let folderLabels = """
    {"kupiansk.txt": [{"axis": ["Kupiansk"], "change": "intensified", "actor": "russia", "strength": "required"}],
     "lyman.txt": [{"axis": ["Lyman"], "change": "intensified", "actor": "russia", "strength": "required"}]}

    """

/// `frontwatch replay`, with `--format json`, parsed: one object per alert.
private struct ReplayLine: Decodable, Hashable {
    var alert_id: String
    var article: String
    var axis: String
}

/// The offline commands read a folder as the daemon reads its watch folder (issue 10, item 14):
/// the same files, under the same paths, so the same alert ids.
@Suite("offline commands read what the daemon reads")
struct OfflineCommandTests {
    @Test("replay skips the folder's README and labels, and prints the daemon's alert ids however the folder is spelled")
    func replayReadsWhatTheDaemonReads() async throws {
        try await TestJournal.ensureRunning()
        try await withTestDaemon("replay-ids") { d in
            try d.drop(Articles.alerting(axis: "Kupiansk", day: "2024-03-04", tag: "replay-1"), named: "kupiansk.txt")
            try d.drop(Articles.alerting(axis: "Lyman", day: "2024-03-11", tag: "replay-2"), named: "lyman.txt")
            try d.drop(Articles.alerting(axis: "Bakhmut", day: "2024-03-18", tag: "replay-3"), named: "bakhmut.txt")
            try d.drop(folderReadme, named: "README.md")
            try d.drop(folderLabels, named: "labels.json")
            let process = try await d.start()
            let counts = try await d.messages.waitForCounts("the start scan handled and its alerts sent") {
                $0.handled >= 3 && $0.alerts >= 3 && $0.pending == 0
            }
            #expect(counts.processed == 3 && counts.rejected == 0 && counts.alerts == 3,
                    "README.md and labels.json are not articles: \(counts)")
            try await journalBarrier()
            let sent = try TestJournal.entries(["_PID=\(process.pid)", "MESSAGE_ID=\(alertMessageID)"])
            let daemonAlerts = Set(sent.map { ReplayLine(alert_id: $0["FRONTWATCH_ALERT_ID"] ?? "?", article: $0["FRONTWATCH_ARTICLE"] ?? "?",
                                                          axis: $0["FRONTWATCH_AXIS"] ?? "?") })
            #expect(daemonAlerts.count == 3, "\(sent)")

            // The same folder, spelled four ways: relative, relative with ./ and a slash, absolute, through a symlink.
            #expect(symlink(d.inbox, d.folder.path + "/inbox-link") == 0)
            for spelling in ["inbox", "./inbox/", d.inbox, d.folder.path + "/inbox-link"] {
                let result = try await runCommand(DaemonProcess.binary, ["replay", "--config", d.configPath, "--format", "json", spelling],
                                                  in: d.folder.path)
                #expect(result.succeeded, "\(spelling): \(result.all)")
                let lines = try result.stdout.split(separator: "\n").map { try JSONDecoder().decode(ReplayLine.self, from: Data($0.utf8)) }
                #expect(!lines.contains { $0.article.hasSuffix("README.md") || $0.article.hasSuffix("labels.json") },
                        "\(spelling): \(result.stdout)")
                #expect(Set(lines) == daemonAlerts, "replay \(spelling) prints the daemon's ids and paths: \(result.stdout)")
            }
            let text = try await runCommand(DaemonProcess.binary, ["replay", "--config", d.configPath, "inbox"], in: d.folder.path)
            #expect(text.stdout.contains("3 alerts from 3 articles"), "\(text.all)")
        }
    }

    @Test("eval refuses a label for a file the daemon would not read, and notes the articles without labels")
    func evalReadsWhatTheDaemonReads() async throws {
        let folder = try TempFolder("eval-rule")
        defer { folder.remove() }
        let dir = try folder.sub("labelled")
        try Articles.alerting(axis: "Kupiansk", day: "2024-03-04", tag: "eval-1").write(toFile: dir + "/kupiansk.txt", atomically: true, encoding: .utf8)
        try Articles.alerting(axis: "Lyman", day: "2024-03-11", tag: "eval-2").write(toFile: dir + "/lyman.txt", atomically: true, encoding: .utf8)
        try Articles.quiet(tag: "eval-3").write(toFile: dir + "/quiet.txt", atomically: true, encoding: .utf8)
        try folderReadme.write(toFile: dir + "/README.md", atomically: true, encoding: .utf8)
        try folderLabels.write(toFile: dir + "/labels.json", atomically: true, encoding: .utf8)
        let scored = try await runCommand(DaemonProcess.binary, ["eval", "--config", shippedConfig, "--format", "json", dir])
        #expect(scored.succeeded, "\(scored.all)")
        #expect(scored.stdout.contains("\"files\":2"), "\(scored.all)")
        #expect(scored.stderr.contains("1 article has no labels and is not scored: quiet.txt"), "\(scored.all)")

        // A label for an editor's hidden copy: the daemon would never read it, so neither does eval.
        try Articles.alerting(axis: "Bakhmut", day: "2024-03-18", tag: "eval-4").write(toFile: dir + "/.bakhmut.txt", atomically: true, encoding: .utf8)
        try folderLabels.replacingOccurrences(of: "\"lyman.txt\"", with: "\".bakhmut.txt\"")
            .write(toFile: dir + "/labels.json", atomically: true, encoding: .utf8)
        let refused = try await runCommand(DaemonProcess.binary, ["eval", "--config", shippedConfig, dir])
        #expect(refused.status == 66, "\(refused.all)")
        #expect(refused.stderr.contains(".bakhmut.txt: labelled, but not an article: its name matches watch.ignore"), "\(refused.all)")
    }
}

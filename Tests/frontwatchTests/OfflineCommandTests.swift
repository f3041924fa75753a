import Foundation
import FrontwatchTestSupport
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

/// The offline commands read a folder as the daemon reads its watch folder (issue 10, items 14
/// and 17): the same files, under the same paths, so the same alert ids.
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

    @Test("analyze and replay reject what the daemon rejects: a line over watch.max_line_bytes, a date in the future or before 2014")
    func offlineCommandsApplyTheDaemonsChecks() async throws {
        let folder = try TempFolder("offline-checks")
        defer { folder.remove() }
        let dir = try folder.sub("articles")
        let config = folder.path + "/frontwatch.yaml"
        try "gazetteer: \(repositoryRoot)/config/gazetteer.yaml\nwatch: {max_line_bytes: 200}\n".write(toFile: config, atomically: true, encoding: .utf8)
        let long = "date 2024-05-06\nRussian forces intensified attacks in the Lyman direction" + String(repeating: ", and the shelling went on", count: 12) + ".\n"
        try long.write(toFile: dir + "/long.txt", atomically: true, encoding: .utf8)
        try Articles.alerting(axis: "Kupiansk", day: "2099-01-01", tag: "future").write(toFile: dir + "/future.txt", atomically: true, encoding: .utf8)
        try Articles.alerting(axis: "Bakhmut", day: "2001-01-01", tag: "early").write(toFile: dir + "/early.txt", atomically: true, encoding: .utf8)
        try Articles.alerting(axis: "Siversk", day: "2024-05-07", tag: "fine").write(toFile: dir + "/fine.txt", atomically: true, encoding: .utf8)

        let analyzed = try await runCommand(DaemonProcess.binary, ["analyze", "--config", config, dir])
        #expect(analyzed.status == 1, "three files the daemon would reject: \(analyzed.all)")
        for (name, reason) in [("long.txt", "(line-too-long)"), ("future.txt", "(future-date)"), ("early.txt", "(implausible-date)")] {
            #expect(analyzed.all.split(separator: "\n").contains { $0.contains(name) && $0.contains(reason) },
                    "\(name): \(reason) in \(analyzed.all)")
        }
        let replayed = try await runCommand(DaemonProcess.binary, ["replay", "--config", config, "--format", "json", dir])
        #expect(replayed.succeeded, "\(replayed.all)")
        let axes = replayed.stdout.split(separator: "\n").compactMap { try? JSONDecoder().decode(ReplayLine.self, from: Data($0.utf8)).axis }
        #expect(axes == ["Siversk"], "only the article the daemon would read alerts: \(replayed.all)")
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

    @Test("analyze takes files, folders and - (paths on stdin), and prints in the order given, whatever core finishes first")
    func analyzeFoldersAndStandardInput() async throws {
        let folder = try TempFolder("analyze-inputs")
        defer { folder.remove() }
        let dir = try folder.sub("articles")
        var names: [String] = []
        for i in 0..<60 {
            let name = String(format: "%03d.txt", i)
            let text = i % 2 == 0
                ? Articles.alerting(axis: Articles.axes[i % Articles.axes.count], day: Articles.day(i), tag: "analyze-\(i)")
                : Articles.quiet(tag: "analyze-\(i)") + String(repeating: "Shelling was reported in the border villages overnight.\n", count: i * 20)
            try text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8)
            names.append(name)
        }
        try folderReadme.write(toFile: dir + "/README.md", atomically: true, encoding: .utf8)
        try folderLabels.write(toFile: dir + "/labels.json", atomically: true, encoding: .utf8)
        let common = ["analyze", "--config", shippedConfig, "--format", "json"]
        func files(_ output: String) throws -> [String] {
            try output.split(separator: "\n").map {
                try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])["file"] as? String ?? "?"
            }
        }

        let byFolder = try await runCommand(DaemonProcess.binary, common + ["articles"], in: folder.path)
        #expect(byFolder.succeeded, "\(byFolder.all)")
        #expect(try files(byFolder.stdout) == names.map { "articles/" + $0 }, "the folder's articles in name order, not its README or labels")

        let byFiles = try await runCommand(DaemonProcess.binary, common + names.map { "articles/" + $0 }, in: folder.path)
        #expect(byFiles.stdout == byFolder.stdout, "one report per file, the same whichever way the files were named")

        // Heavy and light files alternate, in an order of their own: the output keeps it.
        let shuffled = names.reversed().map { "articles/" + $0 }
        try (shuffled.joined(separator: "\n") + "\n").write(toFile: folder.path + "/list", atomically: true, encoding: .utf8)
        let byStdin = try await runCommand("/bin/sh", ["-c", "exec \"$0\" \"$@\" - < list", DaemonProcess.binary] + common, in: folder.path)
        #expect(byStdin.succeeded, "\(byStdin.all)")
        #expect(try files(byStdin.stdout) == shuffled, "paths on stdin, in their order")

        let mixed = try await runCommand("/bin/sh", ["-c", "printf 'articles\\n' | exec \"$0\" \"$@\" articles/059.txt - articles/000.txt",
                                                     DaemonProcess.binary] + common, in: folder.path)
        #expect(try files(mixed.stdout) == ["articles/059.txt"] + names.map { "articles/" + $0 } + ["articles/000.txt"], "\(mixed.all)")
    }

    @Test("analyze --candidates --weights lists the sum each probability is made of, and --weights alone is refused")
    func candidateWeights() async throws {
        let folder = try TempFolder("analyze-weights")
        defer { folder.remove() }
        let file = folder.path + "/kupiansk.txt"
        try Articles.alerting(axis: "Kupiansk", day: "2024-03-05", tag: "weights").write(toFile: file, atomically: true, encoding: .utf8)

        let refused = try await runCommand(DaemonProcess.binary, ["analyze", "--config", shippedConfig, "--weights", file])
        #expect(!refused.succeeded && refused.stderr.contains("--candidates"), "\(refused.all)")

        let shown = try await runCommand(DaemonProcess.binary, ["analyze", "--config", shippedConfig, "--candidates", "--weights", file])
        #expect(shown.succeeded, "\(shown.all)")
        // Each candidate line is followed by its intercept and weights: their sum, through the
        // logistic function, is the probability the line printed.
        let lines = shown.stdout.split(separator: "\n").map(String.init)
        var checked = 0
        for (i, line) in lines.enumerated() where line.hasPrefix("  candidate ") {
            let p = try #require(line.split(separator: " ").first { $0.hasPrefix("p=") }.flatMap { Double($0.dropFirst(2)) }, Comment(rawValue: line))
            var sum = 0.0
            var names: [String] = []
            for weight in lines[(i + 1)...].prefix(while: { $0.hasPrefix("    ") }) {
                let parts = weight.trimmingCharacters(in: .whitespaces).split(separator: " ", maxSplits: 1)
                guard parts.count == 2, let w = Double(parts[0]) else { continue }
                sum += w
                names.append(String(parts[1]))
            }
            #expect(names.first == "intercept", "\(line): \(names)")
            #expect(abs(1 / (1 + exp(-sum)) - p) < 0.006, "\(line): the weights add up to \(sum)")
            checked += 1
        }
        #expect(checked > 0, "no candidate in \(shown.stdout)")
        #expect(lines.contains { $0.hasSuffix(" rules=accept") && $0.hasPrefix("    +") },
                "the rules accepted the Kupiansk report, and that weighs for it: \(shown.stdout)")
    }
}

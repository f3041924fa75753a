import Foundation
import FrontwatchTestSupport
import Testing

/// A command that fails while it runs says what went wrong, and only that: the usage text is for
/// mistakes in the command line. `check` reads what `run` and a reload would read.
@Suite("command errors")
struct CommandErrorTests {
    @Test("a runtime error is one line on stderr with a sysexits status, without the usage text")
    func runtimeErrorWithoutUsage() async throws {
        let folder = try TempFolder("errors")
        defer { folder.remove() }
        let status = try await runCommand(DaemonProcess.binary, ["status", "--state", folder.path + "/no-such-state"])
        #expect(status.status == 66 && status.stderr.hasPrefix("frontwatch: cannot read the state in \(folder.path)/no-such-state"),
                "\(status.all)")
        #expect(!status.all.contains("USAGE:") && !status.all.contains("--help"), "\(status.all)")

        try "watch: {settle_seconds: -1}\n".write(toFile: folder.path + "/bad.yaml", atomically: true, encoding: .utf8)
        let run = try await runCommand(DaemonProcess.binary, ["run", "--config", folder.path + "/bad.yaml", "--log", "stderr"])
        #expect(run.status == 78 && run.stderr.contains("watch.settle_seconds") && !run.all.contains("USAGE:"), "\(run.all)")

        // A mistake in the command line still gets the usage.
        let mistake = try await runCommand(DaemonProcess.binary, ["status", "--no-such-option"])
        #expect(mistake.status == 64 && (mistake.stderr.contains("Usage:") || mistake.stderr.contains("USAGE:")), "\(mistake.all)")
    }

    @Test("check: 0 and what it read for a usable configuration, 78 and the problem for a broken one")
    func check() async throws {
        let folder = try TempFolder("check")
        defer { folder.remove() }
        let good = folder.path + "/good.yaml"
        try "gazetteer: \(repositoryRoot)/config/gazetteer.yaml\n".write(toFile: good, atomically: true, encoding: .utf8)
        let ok = try await runCommand(DaemonProcess.binary, ["check", "--config", good])
        #expect(ok.succeeded && ok.stdout.hasPrefix("configuration OK: \(good); gazetteer \(repositoryRoot)/config/gazetteer.yaml ("),
                "\(ok.all)")
        for (text, complaint) in [
            ("gazetteer: \(folder.path)/absent.yaml\n", "absent.yaml"),
            ("tracker: {window_days: -2}\ngazetteer: \(repositoryRoot)/config/gazetteer.yaml\n", "tracker.window_days"),
            ("watch: [not closed\n", "not valid"),
        ] {
            let bad = folder.path + "/bad.yaml"
            try text.write(toFile: bad, atomically: true, encoding: .utf8)
            let refused = try await runCommand(DaemonProcess.binary, ["check", "--config", bad])
            #expect(refused.status == 78 && refused.stderr.contains(complaint) && refused.stdout.isEmpty, "\(refused.all)")
        }
    }

    @Test("without the quiet executor (FRONTWATCH_EXECUTOR=default) the daemon says so once, and works: it alerts and stops cleanly")
    func defaultExecutorFallback() async throws {
        try await TestJournal.ensureRunning()
        try await withTestDaemon("default-executor") { d in
            let process = try await d.start(environment: ["FRONTWATCH_EXECUTOR": "default"])
            try d.drop(Articles.alerting(axis: "Lyman", day: "2024-03-04", tag: "fallback"), named: "lyman.txt")
            let counts = try await d.messages.waitForCounts("the article") { $0.processed == 1 && $0.pending == 0 }
            #expect(counts.alerts == 1, "\(counts)")
            #expect(await d.stop() == 0)
            #expect(process.stderrText().contains("running on Swift's default executor (FRONTWATCH_EXECUTOR=default)"), "\(process.stderrText())")
        }
    }
}

import Foundation
import FrontwatchTestSupport
import Glibc
import Testing

/// SIGHUP: a new configuration and gazetteer without losing state; a bad one refused.
@Suite("reload", .serialized)
struct ReloadTests {
    static let newAxis = """

          - name: Zabutovsk
            variants: [Zabutovka]

        """

    @Test("SIGHUP reloads the gazetteer and configuration, keeping state; an invalid one is refused and the old stays in force")
    func reload() async throws {
        try await TestJournal.ensureRunning()
        try await withTestDaemon("reload") { d in
            let gazetteer = d.folder.path + "/gazetteer.yaml"
            try FileManager.default.copyItem(atPath: repositoryRoot + "/config/gazetteer.yaml", toPath: gazetteer)
            let config = "gazetteer: \(gazetteer)\nwatch: {settle_seconds: 0.2}\n"
            try d.writeConfig(config)
            let process = try await d.start()
            let article = { (tag: String) in
                "date 2024-02-05\nRussian forces intensified attacks in the Zabutovsk direction on Monday (\(tag)).\n"
            }
            try d.drop(article("unknown axis"), named: "before.txt")
            try await d.messages.waitForCounts("the article on an axis not yet known") { $0.processed == 1 }
            #expect(await d.messages.lastCounts()?.alerts == 0)

            // A new axis in the gazetteer, then SIGHUP.
            try (String(contentsOfFile: gazetteer, encoding: .utf8) + Self.newAxis).write(toFile: gazetteer, atomically: true, encoding: .utf8)
            var from = await d.messages.count
            process.signal(SIGHUP)
            let reloading = try await d.messages.waitFor("RELOADING=1", from: from) { $0.contains("RELOADING=1") }
            try await d.messages.waitFor("READY=1 after the reload", from: reloading) { $0.contains("READY=1") }
            try d.drop(article("known axis"), named: "after.txt")
            let counts = try await d.messages.waitForCounts("the article on the new axis") { $0.processed == 2 }
            #expect(counts.alerts == 1, "the reloaded gazetteer knows Zabutovsk: \(counts)")

            // Invalid configurations: refused with a clear error, the running one stays.
            for (bad, complaint) in [
                ("gazetteer: \(gazetteer)\nwatch: {settle_seconds: -1}\n", "watch.settle_seconds"),
                ("gazetteer: \(gazetteer)\nwatch: [this is not a mapping\n", "not valid"),
                ("gazetteer: \(d.folder.path)/missing.yaml\n", "missing.yaml"),
            ] {
                try d.writeConfig(bad)
                from = await d.messages.count
                let (errors, follower) = try TestJournal.follow(["_PID=\(process.pid)", "PRIORITY=3"])
                defer { follower.terminate() }
                process.signal(SIGHUP)
                let ready = try await d.messages.waitFor("READY=1 after a refused reload", from: from) { $0.contains("READY=1") }
                // systemctl status says so (not "configuration reloaded"), and keeps saying it.
                let status = notifyFields(await d.messages.messages[ready])["STATUS"] ?? ""
                #expect(status.contains("reload refused") && status.contains(complaint) && !status.contains("configuration reloaded"), "\(status)")
                let refusal = try await within(30, "the refusal in the journal") {
                    for await entry in errors where entry["MESSAGE"]?.contains("reload refused") == true {
                        if entry["MESSAGE"]?.contains(complaint) == true { return entry }
                    }
                    return [:]
                }
                #expect(refusal["MESSAGE"]?.contains("the running configuration stays in force") == true, "\(refusal)")
            }
            // Still the reloaded configuration: the new axis still alerts (another day, beyond the cooldown).
            try d.drop("date 2024-04-01\nRussian forces intensified attacks in the Zabutovsk direction on Monday.\n", named: "later.txt")
            let laterIndex = try await d.messages.waitFor("an article after the refused reloads") { DaemonCounts(message: $0)?.processed == 3 }
            let laterMessage = await d.messages.messages[laterIndex]
            let later = try #require(DaemonCounts(message: laterMessage))
            #expect(later.alerts == 2, "\(later)")
            #expect(notifyFields(laterMessage)["STATUS"]?.contains("reload refused") == true,
                    "the refusal stays in STATUS= while the refused configuration is there: \(laterMessage)")
            // A good configuration again: reloaded, and the refusal is gone from STATUS=.
            try d.writeConfig(config)
            from = await d.messages.count
            process.signal(SIGHUP)
            let good = try await d.messages.waitFor("READY=1 after a good reload", from: from) { $0.contains("READY=1") }
            let goodStatus = notifyFields(await d.messages.messages[good])["STATUS"] ?? ""
            #expect(goodStatus.hasPrefix("configuration reloaded; processed 3,") && !goodStatus.contains("refused"), "\(goodStatus)")
            let report = try d.report()
            #expect(report.processed == 3 && report.alerts_sent == 2, "state kept across reloads: \(report)")
            #expect(report.axes.contains { $0.axis == "Zabutovsk" })
            #expect(await d.stop() == 0)
        }
    }
}

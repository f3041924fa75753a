import Foundation
import FrontwatchCore
import FrontwatchDaemon
import FrontwatchSystem
import FrontwatchTestSupport
import GRDB

/// What the large-articles test measured.
struct LargeFigures: Sendable {
    /// From the normal article's rename (after the large ones') to its alert in the journal.
    var normalAlertSeconds = 0.0
    /// From the first rename until all four are recorded.
    var allSeconds = 0.0
    /// Peak RSS over the test (VmHWM, reset at its start when the kernel allows).
    var peakRSSMiB = 0.0
    /// Growth of the state folder.
    var stateGrowthMiB = 0.0
    /// SIGTERM while a large article is analysed -> exit.
    var stopSeconds = 0.0
    /// The article under analysis at the SIGTERM was recorded anyway (the stop waited for it).
    var stopFinishedIt = false
}

extension Benchmark {
    /// A large article of `bytes` bytes: the generator's articles (their bodies, every axis, cue
    /// sentences and plain ones) one after another under one date header.
    func largeArticle(_ generator: CorpusGenerator, first: Int, bytes: Int, day: String) -> String {
        var text = "date \(day)\n"
        var i = first
        while text.utf8.count < bytes {
            let body = generator.article(i).text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
            if body.count > 1 { text += body[1] + "\n" }
            i += 1
        }
        return text
    }

    /// Three large articles (`options.largeBytes` each) and a normal one renamed in at once; then
    /// a fourth large one, and SIGTERM while it is analysed. The issue's budget: the normal article
    /// alerts within 5 s, VmHWM under 200 MiB, the state grows under 100 MiB, the stop takes 2 s at most.
    func largeArticlesTest(folder: String, configPath: String) async throws -> LargeFigures {
        let generator = CorpusGenerator(axes: generatorAxes, options: .init(seed: options.seed &+ 7, frontLineShare: 0.9))
        let staging = folder + "/staging"
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        progress("  writing three articles of \(options.largeBytes / 1_000_000) MB and a normal one")
        var names: [String] = []
        for n in 0..<4 {
            let name = "large-\(n).txt"
            try FileSystem.writeFile(largeArticle(generator, first: n * 100_000, bytes: options.largeBytes, day: "2024-08-0\(n + 1)"),
                                     to: staging + "/" + name)
            names.append(name)
        }
        // Later than any window or cooldown the large ones open: it alerts whatever came before.
        let axis = generatorAxes[0]
        try FileSystem.writeFile("date 2024-11-20\nRussian forces intensified attacks in the \(axis) direction on Wednesday, the General Staff said.\n",
                                 to: staging + "/normal.txt")
        let daemon = try await DaemonUnderTest(binary: options.binary, folder: folder, configPath: configPath,
                                               watchdogMicroseconds: nil)
        defer { daemon.stop() }
        var figures = LargeFigures()
        let stateBefore = Self.folderBytes(daemon.state)
        let peakReset = daemon.resetPeakResident()
        let journal = try JournalAlerts(messageID: MessageID.axisIntensified, pid: daemon.pid)
        defer { journal.stop() }
        let reader = try AppDatabase.openReadOnly(stateDirectory: daemon.state)
        defer { try? reader.close() }
        let start = ContinuousClock.now
        var normalRenamedAt: Int64 = 0
        for name in names.prefix(3) + ["normal.txt"] {
            if name == "normal.txt" { normalRenamedAt = Clocks.realtimeMicroseconds() }
            do {
                try FileSystem.rename(staging + "/" + name, to: daemon.inbox + "/" + name)
            } catch {
                throw BenchmarkError("cannot rename \(name) into the inbox: \(error)")
            }
        }
        let deadline = start + .seconds(600)
        var normalAt: Int64?
        var recorded = 0
        while ContinuousClock.now < deadline {
            if normalAt == nil { normalAt = journal.firstByArticle()[daemon.inbox + "/normal.txt"] }
            recorded = try await reader.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM file WHERE status = 'processed'") ?? 0 }
            if recorded >= 4 && normalAt != nil { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        figures.allSeconds = (ContinuousClock.now - start).seconds
        guard let normalAt, recorded >= 4 else {
            throw BenchmarkError("large articles: \(recorded) of 4 recorded, the normal one's alert \(normalAt == nil ? "missing" : "seen") after 600 s")
        }
        figures.normalAlertSeconds = Double(normalAt - normalRenamedAt) / 1e6
        figures.peakRSSMiB = Double(daemon.peakResidentBytes()) / 1_048_576
        if !peakReset { progress("  (VmHWM could not be reset: the peak includes start-up)") }
        figures.stateGrowthMiB = Double(Self.folderBytes(daemon.state) - stateBefore) / 1_048_576

        // A fourth large article, and SIGTERM once the daemon is busy with it (its CPU time moves).
        let ticks = daemon.cpuTicks()
        try FileSystem.rename(staging + "/" + names[3], to: daemon.inbox + "/" + names[3])
        let busyBy = ContinuousClock.now + .seconds(30)
        let processed = { try await reader.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM file WHERE status = 'processed'") ?? 0 } }
        while daemon.cpuTicks() < ticks + 5, try await processed() <= 4, ContinuousClock.now < busyBy {
            try await Task.sleep(for: .milliseconds(5))
        }
        let asked = ContinuousClock.now
        daemon.stop()
        figures.stopSeconds = (ContinuousClock.now - asked).seconds
        figures.stopFinishedIt = try await processed() > 4
        return figures
    }

    /// The bytes of the regular files under `folder`.
    static func folderBytes(_ folder: String) -> Int {
        var total = 0
        let enumerator = FileManager.default.enumerator(atPath: folder)
        while let name = enumerator?.nextObject() as? String {
            if let size = (try? FileManager.default.attributesOfItem(atPath: folder + "/" + name))?[.size] as? Int { total += size }
        }
        return total
    }
}

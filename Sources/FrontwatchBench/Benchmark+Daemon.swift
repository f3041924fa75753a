import Foundation
import FrontwatchCore
import FrontwatchDaemon
import FrontwatchSystem
import FrontwatchTestSupport
import GRDB

/// What an idle window measured.
struct IdleFigures: Sendable {
    var seconds: Double
    var wakeups: Int
    var pings: Int
    var cpuTicks: Int

    var wakeupsPerMinute: Double { Double(wakeups) * 60 / seconds }
    var wakeupsPerPing: Double { pings > 0 ? Double(wakeups) / Double(pings) : Double(wakeups) }
    var cpuPercent: Double { Double(cpuTicks) / Double(Clocks.ticksPerSecond) / seconds * 100 }
}

struct LatencyFigures: Sendable {
    var p50 = 0.0
    var p99 = 0.0
    var max = 0.0
    var rate = 0.0
    var missing = 0
    var idle: IdleFigures?
}

struct BurstFigures: Sendable {
    var seconds = 0.0
    var renameSeconds = 0.0
    var articlesPerSecond = 0.0
    var megabytesPerSecond = 0.0
    var lost = 0
    /// Peak RSS over start-up (up to the first rename) and over the burst (from there on).
    var startupPeakRSSMiB = 0.0
    var burstPeakRSSMiB: Double?
    /// RSS at the end of the burst, and its anonymous part.
    var endRSSMiB = 0.0
    var endAnonymousMiB = 0.0
    /// PSS at the end of the burst.
    var endProportionalMiB = 0.0
    var peakRSSMiB: Double { Swift.max(startupPeakRSSMiB, burstPeakRSSMiB ?? 0) }
    var idle: IdleFigures?
}

extension Benchmark {
    /// Renames `articles` files into a running daemon's inbox at `options.rate` per second and
    /// reads each one's alert back from the journal. Every article reports an intensification on
    /// the next axis of a round, and rounds are 15 days apart (more than the tracker's window and
    /// cooldown), so every article opens an episode and must alert.
    func latency(folder: String, configPath: String, articles: Int, idle: Bool) async throws -> LatencyFigures {
        let generator = CorpusGenerator(axes: generatorAxes, options: .init(
            seed: options.seed, frontLineShare: 1, easedShare: 0,
            daysPerRound: max(15, loaded.config.tracker.windowDays + loaded.config.tracker.cooldownDays + 1)))
        let staging = folder + "/staging"
        let (names, _) = try writeCorpus(generator, range: 0..<articles, into: staging)
        let daemon = try await DaemonUnderTest(binary: options.binary, folder: folder, configPath: configPath,
                                               watchdogMicroseconds: nil)
        defer { daemon.stop() }
        var figures = LatencyFigures()
        if articles > 0 {
            let journal = try JournalAlerts(messageID: MessageID.axisIntensified, pid: daemon.pid)
            defer { journal.stop() }
            let (renamedAt, elapsed) = try await pacedRenames(names, from: staging, to: daemon.inbox, rate: options.rate)
            figures.rate = Double(names.count) / Swift.max(elapsed, 1e-9)
            let deadline = ContinuousClock.now + .seconds(10)
            var alerts: [String: Int64] = [:]
            while ContinuousClock.now < deadline {
                alerts = journal.firstByArticle()
                if alerts.count >= names.count { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            var latencies: [Double] = []
            for (i, name) in names.enumerated() {
                guard let at = alerts[daemon.inbox + "/" + name] else { continue }
                latencies.append(Double(at - renamedAt[i]) / 1000)
            }
            latencies.sort()
            figures.missing = names.count - latencies.count
            figures.p50 = BenchmarkReport.quantile(latencies, 0.50)
            figures.p99 = BenchmarkReport.quantile(latencies, 0.99)
            figures.max = latencies.last ?? 0
        }
        if idle { figures.idle = try await idleWindow(daemon) }
        return figures
    }

    /// Renames each file at its slot of a steady schedule, from a thread of its own that sleeps
    /// on absolute CLOCK_MONOTONIC deadlines; returns each rename's CLOCK_REALTIME (µs, taken just
    /// before the call) and the seconds the whole schedule took.
    func pacedRenames(_ names: [String], from staging: String, to inbox: String, rate: Double) async throws -> ([Int64], Double) {
        let result: Result<([Int64], Double), BenchmarkError> = await withCheckedContinuation { continuation in
            let thread = Thread {
                var stamps = [Int64](repeating: 0, count: names.count)
                let startNs = Clocks.monotonicNanoseconds()
                let interval = Int64(1e9 / rate)
                for (i, name) in names.enumerated() {
                    Clocks.sleep(untilMonotonicNanoseconds: startNs + Int64(i) * interval)
                    stamps[i] = Clocks.realtimeMicroseconds()
                    do {
                        try FileSystem.rename(staging + "/" + name, to: inbox + "/" + name)
                    } catch {
                        continuation.resume(returning: .failure(BenchmarkError("cannot rename \(name) into the inbox: \(error)")))
                        return
                    }
                }
                let endNs = Clocks.monotonicNanoseconds()
                continuation.resume(returning: .success((stamps, Double(endNs - startNs) / 1e9)))
            }
            thread.name = "bench-renamer"
            thread.start()
        }
        return try result.get()
    }

    /// Drops `files` articles into a running daemon's inbox at once (renames as fast as one
    /// thread can) and times them until the store has recorded every one.
    func burstTest(folder: String, configPath: String, files: Int, idle: Bool) async throws -> BurstFigures {
        let generator = CorpusGenerator(axes: generatorAxes, options: .init(seed: options.seed &+ 1))
        let staging = folder + "/staging"
        progress("  writing \(files) articles")
        let (names, bytes) = try writeCorpus(generator, range: 0..<files, into: staging)
        let daemon = try await DaemonUnderTest(binary: options.binary, folder: folder, configPath: configPath,
                                               watchdogMicroseconds: options.watchdogMicroseconds)
        defer { daemon.stop() }
        var figures = BurstFigures()
        figures.startupPeakRSSMiB = Double(daemon.peakResidentBytes()) / 1_048_576
        let burstPeakMeasured = daemon.resetPeakResident()
        if files > 0 {
            let reader = try AppDatabase.openReadOnly(stateDirectory: daemon.state)
            let start = ContinuousClock.now
            for name in names {
                do {
                    try FileSystem.rename(staging + "/" + name, to: daemon.inbox + "/" + name)
                } catch {
                    throw BenchmarkError("cannot rename \(name) into the inbox: \(error)")
                }
            }
            figures.renameSeconds = (ContinuousClock.now - start).seconds
            progress("  renamed in \(BenchmarkReport.format(figures.renameSeconds)) s; waiting for the daemon")
            let deadline = start + .seconds(Swift.max(120, files / 200))
            var lastCount = ContinuousClock.now
            var done = false
            while !done && ContinuousClock.now < deadline {
                // The STATUS= line is free to read; the store is the check that does not depend on it.
                if await daemon.messages.lastCounts()?.handled ?? 0 >= files { break }
                if ContinuousClock.now - lastCount > .milliseconds(250) {
                    lastCount = ContinuousClock.now
                    done = try await reader.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM file") ?? 0 } >= files
                }
                if !done { try await Task.sleep(for: .milliseconds(5)) }
            }
            figures.seconds = (ContinuousClock.now - start).seconds
            let processed = try await reader.read {
                try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM file WHERE status = 'processed'") ?? 0
            }
            figures.lost = files - processed
            figures.articlesPerSecond = Double(processed) / figures.seconds
            figures.megabytesPerSecond = Double(bytes) / 1e6 / figures.seconds
            try reader.close()
        }
        let peak = Double(daemon.peakResidentBytes()) / 1_048_576
        if burstPeakMeasured {
            figures.burstPeakRSSMiB = peak
        } else {
            figures.startupPeakRSSMiB = Swift.max(figures.startupPeakRSSMiB, peak)
        }
        let (rss, anonymous) = daemon.residentBytes()
        figures.endRSSMiB = Double(rss) / 1_048_576
        figures.endAnonymousMiB = Double(anonymous) / 1_048_576
        figures.endProportionalMiB = Double(daemon.proportionalBytes()) / 1_048_576
        if idle { figures.idle = try await idleWindow(daemon) }
        return figures
    }

    /// Waits a second for the daemon to settle, then counts its threads' context switches (each
    /// wake-up from a sleep is one), its CPU ticks and its watchdog pings over an idle window.
    func idleWindow(_ daemon: DaemonUnderTest) async throws -> IdleFigures {
        try await Task.sleep(for: .seconds(1))
        let switches = daemon.contextSwitches(), ticks = daemon.cpuTicks(), pings = await daemon.notifications("WATCHDOG")
        let start = ContinuousClock.now
        try await Task.sleep(for: .seconds(options.idleSeconds))
        let seconds = (ContinuousClock.now - start).seconds
        return IdleFigures(seconds: seconds, wakeups: DaemonUnderTest.switches(from: switches, to: daemon.contextSwitches()),
                           pings: await daemon.notifications("WATCHDOG") - pings, cpuTicks: daemon.cpuTicks() - ticks)
    }
}

extension Duration {
    var seconds: Double {
        let (s, attos) = components
        return Double(s) + Double(attos) / 1e18
    }
}

import Foundation
import FrontwatchCore
import FrontwatchDaemon
import FrontwatchSystem
import Glibc
import Logging
import Testing

/// Alerts the journal took while the state disk was full: marked sent once space returns,
/// without a restart and without sending them again. The store is the real one (`AppDatabase.open`,
/// WAL) on a real tmpfs that really fills up.
@Suite("alerts sent while the state disk is full", .serialized)
struct StorageRetryTests {
    /// A sink that fills the state folder's tmpfs as it takes the first alert, so the marking
    /// that follows fails with SQLITE_FULL.
    final class FillingSink: AlertSink, @unchecked Sendable {
        private let lock = NSLock()
        private var delivered: [Alert] = []
        let filler: String

        init(filler: String) { self.filler = filler }

        func deliver(_ alert: Alert) throws {
            lock.withLock {
                if delivered.isEmpty { Self.fill(filler) }
                delivered.append(alert)
            }
        }

        var alerts: [Alert] { lock.withLock { delivered } }

        static func fill(_ path: String) {
            let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
            guard fd >= 0 else { return }
            defer { close(fd) }
            let chunk = [UInt8](repeating: 0x62, count: 4096)
            while chunk.withUnsafeBytes({ write(fd, $0.baseAddress!, $0.count) }) > 0 {}
        }
    }

    @Test("alerts the journal took but the full store could not mark are marked when space returns, never sent twice")
    func unmarkedAlertsAreMarkedWithoutRestart() async throws {
        let f = try Fixture()
        defer { f.remove() }
        let state = f.dir + "/tmpfs-state"
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        let mount = Process()
        mount.executableURL = URL(fileURLWithPath: "/bin/mount")
        mount.arguments = ["-t", "tmpfs", "-o", "size=2m", "tmpfs", state]
        try mount.run()
        mount.waitUntilExit()
        try #require(mount.terminationStatus == 0, "mount a tmpfs (needs root)")
        defer {
            let umount = Process()
            umount.executableURL = URL(fileURLWithPath: "/bin/umount")
            umount.arguments = ["-l", state]
            try? umount.run()
            umount.waitUntilExit()
        }
        let database = try AppDatabase.open(stateDirectory: state)
        let filler = state + "/filler"
        let sink = FillingSink(filler: filler)
        let queue = WorkQueue()
        let (handled, seen) = AsyncStream<WorkItem>.makeStream()
        let pipeline = ArticlePipeline(loaded: f.loaded, database: database, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        let service = AnalysisService(queue: queue, pipeline: pipeline, database: database, sink: sink,
                                      notifier: SystemdNotifier(), retryInterval: .milliseconds(50),
                                      logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() },
                                      observer: { item, _ in seen.yield(item) })
        let path = try f.put("a.txt", sampleArticle)
        let marked = try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask { try await service.run(); return false }
            group.addTask {
                try await Task.sleep(for: .seconds(30))  // a safety net: the retry never came
                return false
            }
            group.addTask {
                queue.send(.file(path: path))
                var freed = false
                for await item in handled where item == .retryAlerts {
                    if !freed {
                        // The first retry finds the disk still full; then space returns.
                        #expect(try database.pendingAlerts().count == 2, "still pending in the store")
                        try FileManager.default.removeItem(atPath: filler)
                        freed = true
                    } else if try database.pendingAlerts().isEmpty {
                        return true
                    }
                }
                return false
            }
            let first = try await group.next() ?? false
            queue.finish()
            group.cancelAll()
            return first
        }
        #expect(marked, "the alerts were marked sent without a restart")
        #expect(sink.alerts.count == 2, "each alert sent once: \(sink.alerts.map(\.axis))")
        #expect(try database.status().alerts_sent == 2)
    }
}

import Foundation
@testable import FrontwatchDaemon
import FrontwatchSystem
import Logging
import ServiceLifecycle
import Testing

@Suite("WAL checkpoints")
struct WALCheckpointerTests {
    @Test("checkpoints run off the commit path, and the log stays bounded under writes that never pause")
    func logStaysSmall() async throws {
        let dir = NSTemporaryDirectory() + "fw-wal-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let database = try AppDatabase.open(stateDirectory: dir)
        let autocheckpoint = try await database.writer.read { try Int.fetchOne($0, sql: "PRAGMA wal_autocheckpoint") }
        #expect(autocheckpoint == WALCheckpointer.safetyNetPages)
        // 6,000 commits of one row each, without a pause: with no checkpoint at all the log
        // would hold every one of them (about 9 KB each, some 55 MB).
        // The checkpointer runs as the daemon runs it, a service in a ServiceGroup beside the
        // writes; they yield now and then, as the daemon's analysis loop does between articles,
        // so that it gets a thread on a busy machine.
        let checkpointer = try #require(database.checkpointer)
        let group = ServiceGroup(services: [checkpointer], logger: Logger(label: "wal-test") { _ in SwiftLogNoOpLogHandler() })
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            for i in 0..<6000 {
                try database.recordRejected(path: "/in/\(i).txt", identity: nil, reason: "test \(i)")
                if i % 64 == 0 { await Task.yield() }
            }
            // As at SIGTERM: a checkpoint asked for and not yet run is still run.
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        let wal = try FileManager.default.attributesOfItem(atPath: AppDatabase.path(in: dir) + "-wal")[.size] as? Int ?? 0
        #expect(wal < 24 << 20, "WAL is \(wal) bytes")
        #expect((database.checkpointer?.completed ?? 0) > 0)
        #expect(try database.status().rejected == 6000)
    }
}

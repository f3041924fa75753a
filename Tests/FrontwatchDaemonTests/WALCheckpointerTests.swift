import Foundation
@testable import FrontwatchDaemon
import FrontwatchSystem
import Testing

@Suite("WAL checkpoints")
struct WALCheckpointerTests {
    @Test("checkpoints run off the commit path, and the log stays bounded under writes that never pause")
    func logStaysSmall() throws {
        let dir = NSTemporaryDirectory() + "fw-wal-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let database = try AppDatabase.open(stateDirectory: dir)
        let autocheckpoint = try database.writer.read { try Int.fetchOne($0, sql: "PRAGMA wal_autocheckpoint") }
        #expect(autocheckpoint == WALCheckpointer.safetyNetPages)
        // 6,000 commits of one row each, without a pause: with no checkpoint at all the log
        // would hold every one of them (about 9 KB each, some 55 MB).
        for i in 0..<6000 {
            try database.recordRejected(path: "/in/\(i).txt", identity: nil, reason: "test \(i)")
        }
        let wal = try FileManager.default.attributesOfItem(atPath: AppDatabase.path(in: dir) + "-wal")[.size] as? Int ?? 0
        #expect(wal < 24 << 20, "WAL is \(wal) bytes")
        #expect((database.checkpointer?.completed ?? 0) > 0)
        #expect(try database.status().rejected == 6000)
    }
}

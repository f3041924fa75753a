import Foundation
import FrontwatchSystem
import FrontwatchTestSupport
import Synchronization

/// Reads the daemon's alerts back from the real journal (`TestJournal.follow`: `journalctl
/// --follow`, filtered by `MESSAGE_ID` and the daemon's `_PID`, from the start of this run on),
/// keeping each article's first alert's `__REALTIME_TIMESTAMP` (when journald received it, in
/// microseconds of CLOCK_REALTIME).
final class JournalAlerts: Sendable {
    private let process: Process
    private let first = Mutex<[String: Int64]>([:])

    init(messageID: String, pid: Int32) throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/journalctl") else {
            throw BenchmarkError("journalctl is missing: install systemd")
        }
        let (entries, process) = try TestJournal.follow(["MESSAGE_ID=\(messageID)", "_PID=\(pid)"])
        self.process = process
        Task.detached { [self] in
            for await entry in entries {
                guard let article = entry["FRONTWATCH_ARTICLE"],
                      let realtime = entry["__REALTIME_TIMESTAMP"].flatMap({ Int64($0) }) else { continue }
                first.withLock { if $0[article] == nil { $0[article] = realtime } }
            }
        }
    }

    /// The first alert's time per article, read so far.
    func firstByArticle() -> [String: Int64] {
        first.withLock { $0 }
    }

    /// Ends journalctl with SIGKILL: a child spawned from a pool thread inherits its blocked
    /// SIGTERM, and journalctl does not unblock it.
    func stop() {
        if process.isRunning { try? ProcessControl.forceKill(process.processIdentifier) }
        process.waitUntilExit()
    }
}

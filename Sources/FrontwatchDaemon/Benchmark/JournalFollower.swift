import Foundation
import FrontwatchSystem
import Synchronization

/// Reads the daemon's alerts back from the real journal: `journalctl --follow --output=json`
/// filtered by `MESSAGE_ID` and `_PID`, keeping each entry's article and journald's
/// `__REALTIME_TIMESTAMP` (when journald received it, in microseconds of CLOCK_REALTIME).
final class JournalFollower: Sendable {
    struct Entry: Sendable, Decodable {
        var article: String
        var realtime: Int64

        enum CodingKeys: String, CodingKey {
            case article = "FRONTWATCH_ARTICLE"
            case realtime = "__REALTIME_TIMESTAMP"
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            article = try c.decode(String.self, forKey: .article)
            guard let t = Int64(try c.decode(String.self, forKey: .realtime)) else {
                throw DecodingError.dataCorruptedError(forKey: .realtime, in: c, debugDescription: "not a number")
            }
            realtime = t
        }
    }

    private let process: Process
    private let entries = Mutex<[Entry]>([])

    init(messageID: String, pid: Int32) throws {
        let journalctl = ["/usr/bin/journalctl", "/bin/journalctl"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let journalctl else { throw BenchmarkError("journalctl is missing: install systemd") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: journalctl)
        process.arguments = ["--follow", "--output=json", "--no-pager", "--lines=all", "--all",
                             "--output-fields=FRONTWATCH_ARTICLE", "MESSAGE_ID=\(messageID)", "_PID=\(pid)"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        self.process = process
        let handle = pipe.fileHandleForReading
        let thread = Thread { [self] in
            let decoder = JSONDecoder()
            var buffer = Data()
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { return }
                buffer.append(chunk)
                var start = buffer.startIndex
                var parsed: [Entry] = []
                while let newline = buffer[start...].firstIndex(of: 0x0A) {
                    if let entry = try? decoder.decode(Entry.self, from: buffer[start..<newline]) { parsed.append(entry) }
                    start = buffer.index(after: newline)
                }
                buffer = Data(buffer[start...])
                if !parsed.isEmpty { self.entries.withLock { $0 += parsed } }
            }
        }
        thread.name = "bench-journal"
        try process.run()
        thread.start()
    }

    /// Entries read so far.
    var count: Int { entries.withLock { $0.count } }

    /// The first entry per article, read so far.
    func firstByArticle() -> [String: Int64] {
        entries.withLock { list in
            var first: [String: Int64] = [:]
            for e in list where first[e.article] == nil { first[e.article] = e.realtime }
            return first
        }
    }

    /// Ends journalctl with SIGKILL: a child spawned from a pool thread inherits its blocked
    /// SIGTERM, and journalctl does not unblock it.
    func stop() {
        if process.isRunning { try? ProcessControl.forceKill(process.processIdentifier) }
        process.waitUntilExit()
    }
}

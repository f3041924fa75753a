import Foundation
import FrontwatchSystem
import Glibc

/// The real systemd-journald for tests, a journald of the tests' own: `scripts/test` runs the
/// suite through `scripts/with-test-journal`, in a mount namespace where tmpfs file systems cover
/// journald's sockets and files, and the harness starts `/lib/systemd/systemd-journald` there.
/// Entries are read back with `journalctl`. Outside such a namespace no daemon is started: its
/// alerts would land in the machine's journal under the real MESSAGE_ID.
public enum TestJournal {
    /// The file `scripts/with-test-journal` leaves on the tmpfs it mounts over journald's sockets.
    public static let marker = "/run/systemd/journal/frontwatch-tests"

    /// Why this process must not log to the journal it would reach, or nil when that journal is
    /// the tests' own: the marker is there and this process's mount namespace is not PID 1's.
    public static let notOwnJournal: String? = {
        let own = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/mnt")) ?? "?"
        let init1 = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/1/ns/mnt")) ?? "?"
        guard FileManager.default.fileExists(atPath: marker), own != init1 else {
            return "the tests need a journal of their own, so that no test alert lands in the machine's journal: run them with scripts/test (or scripts/with-test-journal swift test), as root"
        }
        return nil
    }()

    /// Throws unless the journal this process reaches is the tests' own (`notOwnJournal`).
    public static func requireOwn() throws {
        if let problem = notOwnJournal { throw TestFailure(problem) }
    }

    /// Makes sure the tests' own journald is listening; starts `/lib/systemd/systemd-journald`
    /// when it is not, and waits (with inotify, not a sleep) until it answers. Concurrent callers
    /// share one start and all wait for it.
    public static func ensureRunning() async throws {
        try requireOwn()
        if JournalWriter.isAvailable { return }
        try await JournalStarter.shared.start()
    }

    /// `--since` for every read: the second this test process started. Tests find a daemon's
    /// entries by `_PID=`, and the journal keeps the entries of earlier runs, whose daemons may
    /// have had the same PID (seen: an alert of an earlier run's daemon taken for this one's).
    public static let sinceTestRun: String = {
        // /proc/self/stat field 22: start time in clock ticks after boot; /proc/stat btime: boot.
        let stat = (try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8)) ?? ""
        let afterName = stat.split(separator: ")").last.map { $0.split(separator: " ") } ?? []
        let ticks = afterName.count > 19 ? Int(afterName[19]) ?? 0 : 0
        let system = (try? String(contentsOfFile: "/proc/stat", encoding: .utf8)) ?? ""
        let boot = system.split(separator: "\n").first { $0.hasPrefix("btime ") }.flatMap { Int($0.dropFirst(6)) } ?? 0
        return "--since=@\(boot + ticks / Clocks.ticksPerSecond - 1)"
    }()

    /// Entries matching `matches` (journalctl `FIELD=value` terms), as they are written, from the
    /// start of this test run on: `journalctl --follow --output=json`.
    public static func follow(_ matches: [String]) throws -> (AsyncStream<[String: String]>, Process) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/journalctl")
        process.arguments = ["--follow", "--output=json", "--no-pager", "--lines=all", "--all", sinceTestRun] + matches
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        let (stream, continuation) = AsyncStream<[String: String]>.makeStream()
        let handle = pipe.fileHandleForReading
        let thread = Thread {
            var buffer = Data()
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                buffer.append(chunk)
                while let newline = buffer.firstIndex(of: 0x0A) {
                    let line = buffer[buffer.startIndex..<newline]
                    buffer = Data(buffer[(newline + 1)...])
                    if let entry = parse(Data(line)) { continuation.yield(entry) }
                }
            }
            continuation.finish()
        }
        try process.run()
        thread.start()
        return (stream, process)
    }

    /// Every entry matching `matches` written since this test run started: `journalctl
    /// --output=json`, of the system journal or of the journal files in `directory`.
    public static func entries(_ matches: [String], directory: String? = nil) throws -> [[String: String]] {
        let (_, data) = try captureOutput("/usr/bin/journalctl",
                                          (directory.map { ["--directory=\($0)"] } ?? [])
                                              + ["--output=json", "--no-pager", "--all", sinceTestRun] + matches)
        return data.split(separator: 0x0A).compactMap { parse(Data($0)) }
    }

    /// One line of `journalctl --output=json`: its string fields (and byte-array fields decoded
    /// as UTF-8); nil when it is not a JSON object.
    public static func parse(_ line: Data) -> [String: String]? {
        guard let object = try? JSONSerialization.jsonObject(with: line) as? [String: Any] else { return nil }
        var entry: [String: String] = [:]
        for (k, v) in object {
            if let s = v as? String {
                entry[k] = s
            } else if let bytes = v as? [Int] {
                entry[k] = String(decoding: bytes.map { UInt8(truncatingIfNeeded: $0) }, as: UTF8.self)
            }
        }
        return entry
    }
}

/// Starts one journald at a time for `TestJournal.ensureRunning`.
private actor JournalStarter {
    static let shared = JournalStarter()
    private var starting: Task<Void, Error>?

    func start() async throws {
        if starting == nil {
            starting = Task { try await Self.launch() }
        }
        let task = starting!
        defer { if starting == task { starting = nil } }
        try await task.value
    }

    /// Launches journald and waits for it to answer on its socket. journald creates its sockets
    /// anew (replacing stale ones), so every check follows an inotify event in their folder.
    private static func launch() async throws {
        if JournalWriter.isAvailable { return }
        let dir = "/run/systemd/journal"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let watcher = try InotifyWatcher()
        try watcher.watch(directory: dir)
        defer { watcher.stop() }
        let events = watcher.events()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/lib/systemd/systemd-journald")
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        _ = try await within(30, "journald's socket") {
            for await _ in events where JournalWriter.isAvailable { return true }
            return JournalWriter.isAvailable
        }
    }
}

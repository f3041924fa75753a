import Foundation
import Glibc

/// The counts of a daemon's `STATUS=processed N, duplicates D, rejected R, alerts A, pending P`
/// line (since that process started).
struct DaemonCounts: Equatable, Sendable, CustomStringConvertible {
    var processed = 0, duplicates = 0, rejected = 0, alerts = 0, pending = 0

    /// Parses a notify message; nil when it has no counts line.
    init?(message: String) {
        guard let line = message.split(separator: "\n").first(where: { $0.hasPrefix("STATUS=processed ") }) else { return nil }
        var values: [String: Int] = [:]
        // The counts come first; after a "; " the daemon may add a note (a refused reload).
        let counts = line.dropFirst("STATUS=".count).split(separator: ";", maxSplits: 1).first ?? ""
        for part in counts.split(separator: ",") {
            let words = part.split(separator: " ")
            if words.count == 2, let n = Int(words[1]) { values[String(words[0])] = n }
        }
        guard let p = values["processed"], let d = values["duplicates"], let r = values["rejected"],
              let a = values["alerts"], let pe = values["pending"] else { return nil }
        (processed, duplicates, rejected, alerts, pending) = (p, d, r, a, pe)
    }

    init() {}

    /// Files handled in any way that counts: processed, duplicates and rejected.
    var handled: Int { processed + duplicates + rejected }

    var description: String {
        "processed \(processed), duplicates \(duplicates), rejected \(rejected), alerts \(alerts), pending \(pending)"
    }
}

/// `frontwatch status --format json`, decoded.
struct StateReport: Decodable, Equatable {
    struct Axis: Decodable, Equatable {
        var axis: String
        var change: String
        var actor: String
        var corroboration: Int
        var last_alert_id: String?
    }

    var processed: Int
    var duplicates: Int
    var rejected: Int
    var alerts_pending: Int
    var alerts_sent: Int
    var axes: [Axis]
}

/// Every notify message a daemon sends (across restarts on the same socket), awaitable: a wait
/// ends when the message arrives, or when `within`'s safety-net timeout cancels it.
actor NotifyMessages {
    private(set) var messages: [String] = []
    /// When each message arrived.
    private(set) var arrivals: [ContinuousClock.Instant] = []
    private var waiters: [Int: (from: Int, predicate: @Sendable (String) -> Bool, continuation: CheckedContinuation<Int?, Never>)] = [:]
    private var nextID = 0
    private var closed = false

    /// Starts reading `socket`'s messages.
    static func recording(_ socket: NotifySocket) -> NotifyMessages {
        let recorder = NotifyMessages()
        let stream = socket.stamped
        Task.detached {
            for await (message, at) in stream { await recorder.append(message, at: at) }
            await recorder.close()
        }
        return recorder
    }

    private func append(_ message: String, at: ContinuousClock.Instant) {
        messages.append(message)
        arrivals.append(at)
        let index = messages.count - 1
        for (id, waiter) in waiters where index >= waiter.from && waiter.predicate(message) {
            waiters[id] = nil
            waiter.continuation.resume(returning: index)
        }
    }

    private func close() {
        closed = true
        for (_, waiter) in waiters { waiter.continuation.resume(returning: nil) }
        waiters = [:]
    }

    private func cancel(_ id: Int) {
        waiters.removeValue(forKey: id)?.continuation.resume(returning: nil)
    }

    /// How many messages have arrived so far: an index to wait from.
    var count: Int { messages.count }

    /// The index of the first message at or after `from` that satisfies `predicate`; waits for it.
    func first(from: Int, where predicate: @escaping @Sendable (String) -> Bool) async -> Int? {
        if let found = messages.indices.first(where: { $0 >= from && predicate(messages[$0]) }) { return found }
        if closed || Task.isCancelled { return nil }
        let id = nextID
        nextID += 1
        return await withTaskCancellationHandler {
            await withCheckedContinuation { c in waiters[id] = (from, predicate, c) }
        } onCancel: {
            Task { await self.cancel(id) }
        }
    }

    /// Waits (with a safety-net timeout) for a message at or after `from`; returns its index.
    @discardableResult
    func waitFor(_ what: String, from: Int = 0, seconds: Double = 60,
                 where predicate: @escaping @Sendable (String) -> Bool) async throws -> Int {
        let found = try await within(seconds, what) { await self.first(from: from, where: predicate) }
        guard let found else { throw TimedOut(what: what + " (the notify socket closed)") }
        return found
    }

    /// Waits for a `STATUS=` counts line at or after `from` that satisfies `predicate`.
    @discardableResult
    func waitForCounts(_ what: String, from: Int = 0, seconds: Double = 60,
                       where predicate: @escaping @Sendable (DaemonCounts) -> Bool) async throws -> DaemonCounts {
        let index = try await waitFor("STATUS with \(what)", from: from, seconds: seconds) { message in
            DaemonCounts(message: message).map(predicate) ?? false
        }
        return DaemonCounts(message: messages[index])!
    }

    /// The longest time without a message containing `text` between `start` and `end`.
    func longestGap(without text: String, start: ContinuousClock.Instant, end: ContinuousClock.Instant) -> Duration {
        let times = [start] + messages.indices.filter { arrivals[$0] > start && arrivals[$0] < end && messages[$0].contains(text) }
            .map { arrivals[$0] } + [end]
        return zip(times, times.dropFirst()).map { $1 - $0 }.max() ?? .zero
    }

    /// The last counts line at or after `from`, if any.
    func lastCounts(from: Int = 0) -> DaemonCounts? {
        messages[min(from, messages.count)...].reversed().lazy.compactMap(DaemonCounts.init(message:)).first
    }
}

extension NotifyMessages {
    /// Waits (at most `seconds`, a safety net) for the first message at or after `from` that
    /// has the line `text` (or, with `prefix`, a line starting with it); returns its index.
    @discardableResult
    func waitFor(_ text: String, prefix: Bool = false, from: Int = 0, seconds: Double = 30) async throws -> Int {
        do {
            return try await waitFor(text + " on the notify socket", from: from, seconds: seconds) { message in
                message.split(separator: "\n").contains { prefix ? $0.hasPrefix(text) : $0 == text }
            }
        } catch let timeout as TimedOut {
            throw TimedOut(what: "\(timeout.what); received so far: \(messages)")
        }
    }
}

/// One scenario's daemon: its folders (inbox, state, staging beside the inbox), its config file,
/// its notify socket, and the `frontwatch run` process, restartable on the same state.
final class TestDaemon: @unchecked Sendable {
    let folder: TempFolder
    let inbox: String
    let state: String
    let staging: String
    let configPath: String
    let notify: NotifySocket
    let messages: NotifyMessages
    private(set) var process: DaemonProcess?

    /// Folders under a fresh temporary folder, and a configuration of `yaml` (over the defaults;
    /// retries are fast so journal gaps heal quickly in tests).
    init(_ label: String, config yaml: String = "") throws {
        folder = try TempFolder(label)
        inbox = try folder.sub("inbox")
        state = try folder.sub("state")
        staging = try folder.sub("staging")
        configPath = folder.path + "/frontwatch.yaml"
        notify = try NotifySocket(in: folder.path)
        messages = NotifyMessages.recording(notify)
        try writeConfig(yaml)
    }

    /// Replaces the configuration file (the daemon reads it at start and on SIGHUP).
    func writeConfig(_ yaml: String) throws {
        let text = yaml.contains("gazetteer:") ? yaml : yaml + "\ngazetteer: \(repositoryRoot)/config/gazetteer.yaml\n"
        let withRetry = text.contains("retry_seconds") ? text : text + "alerts: {retry_seconds: 0.5}\n"
        try withRetry.write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    /// Starts `frontwatch run` and waits for its `READY=1`.
    @discardableResult
    func start(environment: [String: String] = [:], launcher: [String] = [], log: String = "journal") async throws -> DaemonProcess {
        let from = await messages.count
        let process = try DaemonProcess(
            arguments: ["run", "--watch", inbox, "--state", state, "--config", configPath, "--log", log],
            environment: ["NOTIFY_SOCKET": notify.path].merging(environment) { _, new in new }, launcher: launcher)
        self.process = process
        do {
            try await messages.waitFor("READY=1", from: from, seconds: 30) { $0.split(separator: "\n").contains("READY=1") }
        } catch {
            process.signal(SIGKILL)
            _ = await process.waitForExit()
            throw TestFailure("the daemon did not get ready: \(error); stderr: \(process.stderrText())")
        }
        return process
    }

    /// `kill -9`, and waits for the process to be gone.
    func kill9() async {
        guard let process else { return }
        process.signal(SIGKILL)
        _ = await process.waitForExit()
        self.process = nil
    }

    /// SIGTERM, and waits for the exit; returns the exit status.
    @discardableResult
    func stop() async -> Int32 {
        guard let process else { return 0 }
        process.signal(SIGTERM)
        let status = await process.waitForExit()
        self.process = nil
        return status
    }

    /// Stops the daemon if it runs, and removes the folders.
    func tearDown() async {
        if let process {
            process.signal(SIGKILL)
            _ = await process.waitForExit()
        }
        notify.close()
        folder.remove()
    }

    /// Writes `bytes` in the staging folder and renames it into the inbox: an atomic arrival.
    func drop(_ bytes: [UInt8], named name: String) throws {
        let temp = staging + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: temp))
        try rename(temp, to: inbox + "/" + name)
    }

    /// `drop` for text.
    func drop(_ text: String, named name: String) throws {
        try drop(Array(text.utf8), named: name)
    }

    /// `frontwatch status --state STATE --format json`, run as a separate process (as a user would,
    /// while the daemon runs).
    func report() throws -> StateReport {
        let (status, data) = try captureOutput(DaemonProcess.binary, ["status", "--state", state, "--format", "json"])
        guard status == 0 else { throw TestFailure("frontwatch status exited \(status)") }
        return try JSONDecoder().decode(StateReport.self, from: data)
    }
}

/// A test's own failure, with what went wrong.
struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The source tree this test bundle was built from.
let repositoryRoot: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().path

/// `rename(2)`, throwing.
func rename(_ from: String, to: String) throws {
    guard Glibc.rename(from, to) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
}

/// `rename(2)` with a raw byte name for the target (names that are not valid UTF-8).
func rename(_ from: String, toRaw: [UInt8]) throws {
    let target = toRaw.map { CChar(bitPattern: $0) } + [0]
    guard Glibc.rename(from, target) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
}

/// Articles made up for these tests.
enum Articles {
    static let axes = ["Kupiansk", "Lyman", "Bakhmut", "Avdiivka", "Vuhledar", "Siversk"]

    /// An article that alerts: one axis, a date, a unique tag so no two are duplicates.
    static func alerting(axis: String, day: String, tag: String) -> String {
        """
        date \(day)
        source frontwatch tests
        Russian forces intensified attacks in the \(axis) direction on Monday, the General Staff said.
        Report reference \(tag).

        """
    }

    /// An article with no event in it (cheap to analyse), unique by `tag`.
    static func quiet(tag: String) -> String {
        "date 2024-01-10\nA quiet day was reported along the front; reference \(tag).\n"
    }

    /// `YYYY-MM-DD` for `days` after 2015-01-01.
    static func day(_ days: Int) -> String {
        let date = Date(timeIntervalSince1970: 1_420_070_400 + Double(days) * 86_400)
        let f = DateFormatter()
        f.timeZone = TimeZone(identifier: "UTC")
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = "yyyy-MM-dd"
        return f.string(from: date)
    }
}

/// Runs `body` with a fresh `TestDaemon`, and tears it down (kills the daemon, removes the
/// folders) however `body` ends.
func withTestDaemon<T>(_ label: String, config: String = "", _ body: (TestDaemon) async throws -> T) async throws -> T {
    let daemon = try TestDaemon(label, config: config)
    do {
        let result = try await body(daemon)
        await daemon.tearDown()
        return result
    } catch {
        await daemon.tearDown()
        throw error
    }
}

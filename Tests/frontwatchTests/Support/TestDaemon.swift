import Foundation
import FrontwatchTestSupport
import Glibc

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
        let process = try await DaemonProcess.run(inbox: inbox, state: state, configPath: configPath, log: log,
                                                  notify: notify, messages: messages, environment: environment, launcher: launcher)
        self.process = process
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

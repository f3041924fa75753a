import Foundation
import FrontwatchSystem
import Synchronization

/// The real daemon binary, run as systemd would run it: its own inbox, state and configuration,
/// a notify socket the benchmark owns, and optionally `WATCHDOG_USEC`.
final class DaemonUnderTest: Sendable {
    let inbox: String
    let state: String
    let process: Process
    let notify: NotifyLog

    var pid: Int32 { process.processIdentifier }

    /// Starts `binary run` and waits for `READY=1`.
    init(binary: String, folder: String, configPath: String, watchdogMicroseconds: UInt64?) async throws {
        inbox = folder + "/inbox"
        state = folder + "/state"
        try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        notify = try NotifyLog(path: folder + "/notify.sock")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["run", "--watch", inbox, "--state", state, "--config", configPath, "--log", "journal"]
        var env = ProcessInfo.processInfo.environment
        for key in ["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "STATE_DIRECTORY", "CONFIGURATION_DIRECTORY"] {
            env[key] = nil
        }
        env["NOTIFY_SOCKET"] = notify.path
        if let usec = watchdogMicroseconds { env["WATCHDOG_USEC"] = String(usec) }
        process.environment = env
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        let deadline = ContinuousClock.now + .seconds(60)
        while notify.count("READY") == 0 {
            guard process.isRunning, ContinuousClock.now < deadline else {
                stop()
                throw BenchmarkError("the daemon did not report READY=1 within 60 s (exit status \(process.isRunning ? "none, still running" : String(process.terminationStatus)))")
            }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    /// SIGTERM, then waits for the exit.
    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        notify.close()
    }

    /// `/proc/<pid>/status` VmHWM: peak resident set size, in bytes.
    func peakResidentBytes() -> Int {
        ProcProbe.statusField("/proc/\(pid)/status", "VmHWM:") * 1024
    }

    /// `/proc/<pid>/status` VmRSS and RssAnon: resident set size now, and its anonymous part
    /// (heap, stacks: the memory that is the daemon's alone), in bytes.
    func residentBytes() -> (total: Int, anonymous: Int) {
        let path = "/proc/\(pid)/status"
        return (ProcProbe.statusField(path, "VmRSS:") * 1024, ProcProbe.statusField(path, "RssAnon:") * 1024)
    }

    /// `/proc/<pid>/smaps_rollup` Pss: the daemon's share of the memory it maps (shared pages
    /// divided among their users), in bytes.
    func proportionalBytes() -> Int {
        ProcProbe.statusField("/proc/\(pid)/smaps_rollup", "Pss:") * 1024
    }

    /// Resets the peak resident set size to the current one (`5` into `/proc/<pid>/clear_refs`),
    /// so that the next `peakResidentBytes()` is the peak since now. False when not allowed.
    func resetPeakResident() -> Bool {
        (try? FileSystem.writeFile("5", to: "/proc/\(pid)/clear_refs")) != nil
    }

    /// Context switches of each thread, voluntary and not, so far, by thread id.
    func contextSwitches() -> [String: Int] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        var counts: [String: Int] = [:]
        for tid in tasks {
            let path = "/proc/\(pid)/task/\(tid)/status"
            counts[tid] = ProcProbe.statusField(path, "voluntary_ctxt_switches:")
                + ProcProbe.statusField(path, "nonvoluntary_ctxt_switches:")
        }
        return counts
    }

    /// Switches between two snapshots: threads that exited in between are missed (libdispatch
    /// retires idle workers), threads that started count from zero.
    static func switches(from start: [String: Int], to end: [String: Int]) -> Int {
        end.reduce(0) { sum, entry in sum + max(0, entry.value - (start[entry.key] ?? 0)) }
    }

    /// User plus system CPU time so far, in clock ticks.
    func cpuTicks() -> Int {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return 0 }
        // Fields after the command name: state is field 3; utime and stime are 14 and 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13 else { return 0 }
        return (Int(fields[11]) ?? 0) + (Int(fields[12]) ?? 0)
    }

    /// Threads of the process.
    func threadCount() -> Int {
        ProcProbe.statusField("/proc/\(pid)/status", "Threads:")
    }
}

/// Reads numbers out of /proc files.
enum ProcProbe {
    /// The first number after `key` in a `Key:\tvalue` file; 0 when absent.
    static func statusField(_ path: String, _ key: String) -> Int {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix(key) {
            let digits = line.dropFirst(key.count).drop { $0 == " " || $0 == "\t" }.prefix { $0.isNumber }
            return Int(digits) ?? 0
        }
        return 0
    }
}

/// What the daemon told its notify socket: counts of each `KEY=` heard and the last `STATUS=`.
final class NotifyLog: Sendable {
    struct Heard: Sendable {
        var counts: [String: Int] = [:]
        var lastStatus = ""
    }

    /// What was heard, shared with the listener's reader thread.
    final class Tally: Sendable {
        let heard = Mutex(Heard())

        func add(_ message: String) {
            heard.withLock { h in
                for line in message.split(separator: "\n") {
                    guard let eq = line.firstIndex(of: "=") else { continue }
                    h.counts[String(line[..<eq]), default: 0] += 1
                    if line.hasPrefix("STATUS=") { h.lastStatus = String(line.dropFirst(7)) }
                }
            }
        }
    }

    private let listener: NotifyListener
    private let tally = Tally()

    init(path: String) throws {
        let tally = self.tally
        do {
            listener = try NotifyListener(path: path) { tally.add($0) }
        } catch {
            throw BenchmarkError("cannot listen on the notify socket \(path): \(error)\(error.name == "ENAMETOOLONG" ? "; use a shorter --work-dir" : "")")
        }
    }

    /// The socket's path, for `NOTIFY_SOCKET`.
    var path: String { listener.path }

    /// How many messages carried `key=`.
    func count(_ key: String) -> Int {
        tally.heard.withLock { $0.counts[key] ?? 0 }
    }

    /// The last `STATUS=` text.
    var lastStatus: String { tally.heard.withLock { $0.lastStatus } }

    /// Stops listening.
    func close() {
        listener.close()
    }
}

/// A benchmark that could not run, with what to do about it.
public struct BenchmarkError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public var message: String

    init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

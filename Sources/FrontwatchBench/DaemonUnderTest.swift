import Foundation
import FrontwatchSystem
import FrontwatchTestSupport
import Glibc

/// The real daemon binary, run as systemd would run it (`DaemonProcess.run`): its own inbox,
/// state and configuration, a notify socket the benchmark owns, and optionally `WATCHDOG_USEC`.
final class DaemonUnderTest: Sendable {
    let inbox: String
    let state: String
    let daemon: DaemonProcess
    let notify: NotifySocket
    /// What the daemon told its notify socket.
    let messages: NotifyMessages

    var pid: Int32 { daemon.pid }

    /// Starts `binary run` and waits for `READY=1`.
    init(binary: String, folder: String, configPath: String, watchdogMicroseconds: UInt64?) async throws {
        inbox = folder + "/inbox"
        state = folder + "/state"
        try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        do {
            notify = try NotifySocket(in: folder)
        } catch {
            throw BenchmarkError("cannot listen on the notify socket \(folder)/notify.sock: \(error)\((error as? Errno)?.name == "ENAMETOOLONG" ? "; use a shorter --work-dir" : "")")
        }
        messages = NotifyMessages.recording(notify)
        do {
            daemon = try await DaemonProcess.run(
                binary: binary, inbox: inbox, state: state, configPath: configPath, notify: notify, messages: messages,
                environment: watchdogMicroseconds.map { ["WATCHDOG_USEC": String($0)] } ?? [:], anyJournal: true,
                readySeconds: 60)
        } catch {
            notify.close()
            throw BenchmarkError("\(error)")
        }
    }

    /// SIGTERM, then waits for the exit.
    func stop() {
        if daemon.process.isRunning { daemon.signal(SIGTERM) }
        daemon.process.waitUntilExit()
        notify.close()
    }

    /// Messages so far that carried `key=`.
    func notifications(_ key: String) async -> Int {
        await messages.messages.reduce(0) { sum, message in
            sum + message.split(separator: "\n").filter { $0.hasPrefix(key + "=") }.count
        }
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

/// A benchmark that could not run, with what to do about it.
public struct BenchmarkError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public var message: String

    init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

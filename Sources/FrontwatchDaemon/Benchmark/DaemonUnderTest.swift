import Foundation
import Glibc
import Synchronization

/// The real daemon binary, run as systemd would run it: its own inbox, state and configuration,
/// a notify socket the benchmark owns, and optionally `WATCHDOG_USEC`.
final class DaemonUnderTest: Sendable {
    let inbox: String
    let state: String
    let process: Process
    let notify: NotifyListener

    var pid: Int32 { process.processIdentifier }

    /// Starts `binary run` and waits for `READY=1`.
    init(binary: String, folder: String, configPath: String, watchdogMicroseconds: UInt64?) async throws {
        inbox = folder + "/inbox"
        state = folder + "/state"
        try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        notify = try NotifyListener(path: folder + "/notify.sock")
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

    /// Clock ticks per second (`sysconf(_SC_CLK_TCK)`).
    static var ticksPerSecond: Double { Double(sysconf(Int32(_SC_CLK_TCK))) }
}

/// systemd's side of the notify protocol: a datagram socket read by a thread of its own. It
/// keeps counts of each `KEY=` it hears and the last `STATUS=` line.
final class NotifyListener: Sendable {
    struct Heard: Sendable {
        var counts: [String: Int] = [:]
        var lastStatus = ""
    }

    let path: String
    private let fd: Int32
    private let heard = Mutex(Heard())

    init(path: String) throws {
        self.path = path
        unlink(path)
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw BenchmarkError("cannot create the notify socket: errno \(errno)") }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: addr.sun_path) else {
            Glibc.close(fd)
            throw BenchmarkError("the notify socket path is too long: \(path); use a shorter --work-dir")
        }
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
        }
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else {
            Glibc.close(fd)
            throw BenchmarkError("cannot bind the notify socket \(path): errno \(errno)")
        }
        self.fd = fd
        let thread = Thread { [self] in self.readLoop() }
        thread.name = "bench-notify"
        thread.start()
    }

    private func readLoop() {
        defer { Glibc.close(fd) }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n < 0 {
                if errno == EINTR { continue }
                return
            }
            if n == 0 { return }
            let message = String(decoding: buffer[0..<n], as: UTF8.self)
            heard.withLock { h in
                for line in message.split(separator: "\n") {
                    guard let eq = line.firstIndex(of: "=") else { continue }
                    h.counts[String(line[..<eq]), default: 0] += 1
                    if line.hasPrefix("STATUS=") { h.lastStatus = String(line.dropFirst(7)) }
                }
            }
        }
    }

    /// How many messages carried `key=`.
    func count(_ key: String) -> Int {
        heard.withLock { $0.counts[key] ?? 0 }
    }

    /// The last `STATUS=` text.
    var lastStatus: String { heard.withLock { $0.lastStatus } }

    /// Stops the reader (shutdown wakes the blocked `recv`, which then closes the socket).
    func close() {
        shutdown(fd, Int32(SHUT_RDWR))
        unlink(path)
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

/// CLOCK_REALTIME in microseconds, the clock of the journal's `__REALTIME_TIMESTAMP`.
func realtimeMicroseconds() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    return Int64(ts.tv_sec) * 1_000_000 + Int64(ts.tv_nsec) / 1000
}

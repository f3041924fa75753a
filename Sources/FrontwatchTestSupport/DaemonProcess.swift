import Foundation
import Glibc

/// The real `frontwatch` binary, run as systemd would run it: for the tests and the bench.
public final class DaemonProcess: @unchecked Sendable {
    /// The running process.
    public let process = Process()
    /// Its standard error, drained as it comes (`stderrText()`).
    public let stderr = Pipe()
    private let stderrLock = NSLock()
    private var stderrData = Data()
    private let stderrDone = DispatchSemaphore(value: 0)
    private let exitLock = NSLock()
    private var exitStatus: Int32?
    private var exitWaiters: [UUID: CheckedContinuation<Int32?, Never>] = [:]

    /// The built `frontwatch` binary next to this program (the test bundle or `frontwatch-bench`:
    /// `.build/<config>/frontwatch`).
    public static var binary: String { besideThisProgram("frontwatch") }

    /// The path of `name` in the folder of this program's binary (`/proc/self/exe`).
    public static func besideThisProgram(_ name: String) -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        let exe = String(decoding: buffer[0..<max(0, n)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return (exe as NSString).deletingLastPathComponent + "/" + name
    }

    /// Starts the daemon `binary`; `launcher` runs it through another program first (`setpriv ...`,
    /// `nsenter ...`), which must `exec` it so the pid stays the daemon's.
    /// Refused outside the tests' own journal (`TestJournal.requireOwn`) unless `anyJournal`
    /// (the bench, which measures the machine's journal).
    public init(binary: String = DaemonProcess.binary, arguments: [String], environment: [String: String] = [:],
                launcher: [String] = [], anyJournal: Bool = false) throws {
        if !anyJournal { try TestJournal.requireOwn() }
        if let first = launcher.first {
            process.executableURL = URL(fileURLWithPath: first)
            process.arguments = Array(launcher.dropFirst()) + [binary] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = arguments
        }
        var env = ProcessInfo.processInfo.environment
        for key in ["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "STATE_DIRECTORY", "CONFIGURATION_DIRECTORY"] {
            env[key] = nil
        }
        env.merge(environment) { _, new in new }
        process.environment = env
        process.standardError = stderr
        process.standardOutput = FileHandle.nullDevice
        process.terminationHandler = { [self] finished in
            let waiters = exitLock.withLock { () -> [CheckedContinuation<Int32?, Never>] in
                exitStatus = finished.terminationStatus
                defer { exitWaiters = [:] }
                return Array(exitWaiters.values)
            }
            for waiter in waiters { waiter.resume(returning: finished.terminationStatus) }
        }
        try process.run()
        // Drain stderr as it comes: a daemon logging to stderr (no journal) must never block on
        // a full pipe because the test reads it only at the end.
        let handle = stderr.fileHandleForReading
        let thread = Thread { [self] in
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                stderrLock.withLock { stderrData.append(chunk) }
            }
            stderrDone.signal()
        }
        thread.start()
    }

    /// The daemon's process id.
    public var pid: Int32 { process.processIdentifier }

    /// Sends `sig` (`kill(2)`).
    public func signal(_ sig: Int32) {
        kill(process.processIdentifier, sig)
    }

    /// Waits for the process to exit and returns its status.
    public func waitForExit() async -> Int32 {
        await withCheckedContinuation { (c: CheckedContinuation<Int32, Never>) in
            DispatchQueue.global().async {
                self.process.waitUntilExit()
                c.resume(returning: self.process.terminationStatus)
            }
        }
    }

    /// The exit status once the process has ended; nil if the wait was cancelled first (unlike
    /// `waitForExit`, this wait can be raced against another event).
    public func exited() async -> Int32? {
        let id = UUID()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Int32?, Never>) in
                let done: Int32?? = exitLock.withLock {
                    if let exitStatus { return .some(exitStatus) }
                    if Task.isCancelled { return .some(nil) }
                    exitWaiters[id] = c
                    return .none
                }
                if let done { c.resume(returning: done) }
            }
        } onCancel: {
            exitLock.withLock { exitWaiters.removeValue(forKey: id) }?.resume(returning: nil)
        }
    }

    /// What the daemon wrote to stderr (all of it once it has exited).
    public func stderrText() -> String {
        if !process.isRunning { stderrDone.wait(); stderrDone.signal() }
        return stderrLock.withLock { String(decoding: stderrData, as: UTF8.self) }
    }
}

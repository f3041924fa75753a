import Foundation
import Glibc

/// The real `frontwatch` binary, run as systemd would run it.
final class DaemonProcess: @unchecked Sendable {
    let process = Process()
    let stderr = Pipe()
    private let stderrLock = NSLock()
    private var stderrData = Data()
    private let stderrDone = DispatchSemaphore(value: 0)
    private let exitLock = NSLock()
    private var exitStatus: Int32?
    private var exitWaiters: [UUID: CheckedContinuation<Int32?, Never>] = [:]

    /// The built binary next to the test bundle (`.build/<config>/frontwatch`).
    static var binary: String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        let exe = String(decoding: buffer[0..<max(0, n)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return (exe as NSString).deletingLastPathComponent + "/frontwatch"
    }

    /// Starts the daemon; `launcher` runs it through another program first (`setpriv ...`,
    /// `nsenter ...`), which must `exec` it so the pid stays the daemon's.
    /// Refused outside the tests' own journal (`TestJournal.requireOwn`).
    init(arguments: [String], environment: [String: String] = [:], launcher: [String] = []) throws {
        try TestJournal.requireOwn()
        if let first = launcher.first {
            process.executableURL = URL(fileURLWithPath: first)
            process.arguments = Array(launcher.dropFirst()) + [Self.binary] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: Self.binary)
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

    var pid: Int32 { process.processIdentifier }

    func signal(_ sig: Int32) {
        kill(process.processIdentifier, sig)
    }

    /// Waits for the process to exit and returns its status.
    func waitForExit() async -> Int32 {
        await withCheckedContinuation { (c: CheckedContinuation<Int32, Never>) in
            DispatchQueue.global().async {
                self.process.waitUntilExit()
                c.resume(returning: self.process.terminationStatus)
            }
        }
    }

    /// The exit status once the process has ended; nil if the wait was cancelled first (unlike
    /// `waitForExit`, this wait can be raced against another event).
    func exited() async -> Int32? {
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
    func stderrText() -> String {
        if !process.isRunning { stderrDone.wait(); stderrDone.signal() }
        return stderrLock.withLock { String(decoding: stderrData, as: UTF8.self) }
    }
}

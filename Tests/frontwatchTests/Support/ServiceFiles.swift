import Foundation
import FrontwatchTestSupport
import Glibc

/// A systemd unit file read the way systemd reads it, enough for tests: `[Section]` headers,
/// `Key=value` lines, comments, repeated keys kept in order. (No line continuations: the unit
/// under test has none, and `lines(of:)` fails the test if one appears.)
struct UnitFile {
    struct Entry: Equatable {
        var section: String
        var key: String
        var value: String
    }

    let entries: [Entry]

    init(path: String) throws {
        try self.init(text: String(contentsOfFile: path, encoding: .utf8))
    }

    init(text: String) {
        var section = ""
        var entries: [Entry] = []
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("["), line.hasSuffix("]") {
                section = String(line.dropFirst().dropLast())
                continue
            }
            guard let eq = line.firstIndex(of: "=") else { continue }
            entries.append(Entry(section: section,
                                 key: line[..<eq].trimmingCharacters(in: .whitespaces),
                                 value: line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)))
        }
        self.entries = entries
    }

    /// Every value of `key` in `section`, in order.
    func values(_ key: String, in section: String = "Service") -> [String] {
        entries.filter { $0.section == section && $0.key == key }.map(\.value)
    }

    /// The last value of `key` (the one systemd uses for single-valued settings).
    func value(_ key: String, in section: String = "Service") -> String? {
        values(key, in: section).last
    }

    /// A command line (`ExecStart=`...) split into words the way systemd does for lines without
    /// quotes, `$VARIABLE` expansion or prefixes; nil when the line uses any of those.
    static func simpleCommand(_ line: String) -> [String]? {
        if line.contains(where: { "\"'\\;".contains($0) }) { return nil }
        if let first = line.first, "-@:+!|".contains(first) { return nil }
        return line.split(separator: " ").map(String.init)
    }
}

/// Output and status of a finished child process.
struct CommandResult {
    var status: Int32
    var stdout: String
    var stderr: String

    var succeeded: Bool { status == 0 }
    /// Both streams, for failure messages.
    var all: String { "exit \(status)\nstdout:\n\(stdout)\nstderr:\n\(stderr)" }
}

/// Runs a command to completion and collects its output; `environment` entries are added to
/// (or, with a nil value, removed from) the test's own environment.
func runCommand(_ executable: String, _ arguments: [String], in directory: String? = nil,
                environment: [String: String?] = [:]) async throws -> CommandResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    var env = ProcessInfo.processInfo.environment
    for (key, value) in environment { env[key] = value }
    process.environment = env
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let child = FinishedChild(process: process, stdout: out, stderr: err)
    return await withCheckedContinuation { (c: CheckedContinuation<CommandResult, Never>) in
        DispatchQueue.global().async { c.resume(returning: child.collect()) }
    }
}

/// Reads both pipes of a child to the end (stderr on a second thread, so a chatty child cannot
/// block on a full pipe), then reaps it.
private final class FinishedChild: @unchecked Sendable {
    let process: Process
    let stdout: Pipe
    let stderr: Pipe
    private var errData = Data()

    init(process: Process, stdout: Pipe, stderr: Pipe) {
        self.process = process
        self.stdout = stdout
        self.stderr = stderr
    }

    func collect() -> CommandResult {
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            self.errData = self.stderr.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = stdout.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return CommandResult(status: process.terminationStatus,
                             stdout: String(decoding: outData, as: UTF8.self),
                             stderr: String(decoding: errData, as: UTF8.self))
    }
}

/// Finds an executable on `PATH` (or nil), so a test can say what is missing instead of failing
/// obscurely.
func which(_ name: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    for dir in path.split(separator: ":") {
        let candidate = "\(dir)/\(name)"
        if access(candidate, X_OK) == 0 { return candidate }
    }
    return nil
}

/// CLOCK_MONOTONIC in microseconds, the clock of `MONOTONIC_USEC=`.
func monotonicMicroseconds() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000 + UInt64(ts.tv_nsec) / 1000
}

/// The `KEY=value` lines of one notify datagram.
func notifyFields(_ message: String) -> [String: String] {
    var fields: [String: String] = [:]
    for line in message.split(separator: "\n") {
        guard let eq = line.firstIndex(of: "=") else { continue }
        fields[String(line[..<eq])] = String(line[line.index(after: eq)...])
    }
    return fields
}

import Foundation
import FrontwatchSystem
import FrontwatchTestSupport
import Glibc

/// A systemd-journald of a test's own, that the test may stop and start at will without
/// disturbing any other test: it runs in a private mount namespace where a folder of the test is
/// mounted over `/run/systemd/journal` (its sockets) and another over `/run/log/journal` (its
/// files). A daemon started with `launcher` runs in that namespace and logs to it; `entries`
/// reads its files from outside with `journalctl --directory`.
final class PrivateJournal: @unchecked Sendable {
    let sockets: String
    let files: String
    private let holder: Process
    private let holderInput = Pipe()
    private var journald: Process?

    /// Sets up the namespace (needs root: `unshare --mount`, `mount --bind`).
    init(in folder: String) async throws {
        sockets = folder + "/journal-run"
        files = folder + "/journal-log"
        try FileManager.default.createDirectory(atPath: sockets, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: files, withIntermediateDirectories: true)
        // The holder keeps the namespace alive until its stdin closes (`close()`).
        holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        holder.arguments = ["--mount", "--propagation", "private", "--", "/bin/sh", "-c",
                            "mount --bind \"$1\" /run/systemd/journal && mount --bind \"$2\" /run/log/journal && echo mounted && exec cat",
                            "sh", sockets, files]
        let output = Pipe()
        holder.standardInput = holderInput
        holder.standardOutput = output
        holder.standardError = FileHandle.nullDevice
        try holder.run()
        let handle = output.fileHandleForReading
        let line = try await within(30, "the private journal namespace") {
            await withCheckedContinuation { (c: CheckedContinuation<String, Never>) in
                DispatchQueue.global().async {
                    c.resume(returning: String(decoding: handle.availableData, as: UTF8.self))
                }
            }
        }
        guard line.contains("mounted") else {
            throw TestFailure("cannot set up a private mount namespace for journald (unshare/mount need root): \(line)")
        }
    }

    /// Runs a program inside the namespace (`nsenter` execs it: the pid is the program's).
    var launcher: [String] { ["/usr/bin/nsenter", "--target", "\(holder.processIdentifier)", "--mount", "--"] }

    /// Starts journald in the namespace and waits (inotify, not a sleep) for it to create its socket.
    func start() async throws {
        let watcher = try InotifyWatcher()
        try watcher.watch(directory: sockets)
        let events = watcher.events()
        defer { watcher.stop() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: launcher[0])
        process.arguments = Array(launcher.dropFirst()) + ["/lib/systemd/systemd-journald"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        journald = process
        // journald (re)creates the socket on start: wait for that creation, not for the old file.
        _ = try await within(30, "the private journald's socket") {
            for await batch in events where batch.contains(.created(name: "socket")) { return true }
            return false
        }
    }

    /// Stops journald (SIGTERM) and waits for it to exit; its socket file stays, unanswered.
    func stop() async {
        guard let journald else { return }
        journald.terminate()
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                journald.waitUntilExit()
                c.resume()
            }
        }
        self.journald = nil
    }

    /// Stops journald and lets the namespace go.
    func close() async {
        await stop()
        try? holderInput.fileHandleForWriting.close()
        holder.waitUntilExit()
    }

    /// The folder journald writes its files into (`<files>/<machine-id>`).
    private var journalDirectory: String {
        let ids = (try? FileManager.default.contentsOfDirectory(atPath: files)) ?? []
        return ids.first.map { files + "/" + $0 } ?? files
    }

    /// Every entry matching `matches` in this journal.
    func entries(_ matches: [String]) throws -> [[String: String]] {
        try TestJournal.entries(matches, directory: journalDirectory)
    }

    /// Entries matching `matches` as they are written (`journalctl --follow`), from the start.
    func follow(_ matches: [String]) throws -> (AsyncStream<[String: String]>, Process) {
        try TestJournal.follow(["--directory=\(journalDirectory)"] + matches)
    }
}

/// Serialises tests that change machine-wide settings (`/proc/sys/fs/inotify/...`): take it for
/// as short a time as the change lasts.
actor SystemWideSettings {
    static let shared = SystemWideSettings()
    private var busy = false
    private var queue: [CheckedContinuation<Void, Never>] = []

    /// Runs `body` alone among the holders of this lock.
    func exclusively<T: Sendable>(_ body: @Sendable () async throws -> T) async rethrows -> T {
        if busy {
            await withCheckedContinuation { queue.append($0) }
        }
        busy = true
        defer {
            if queue.isEmpty { busy = false } else { queue.removeFirst().resume() }
        }
        return try await body()
    }

    /// Reads a `/proc/sys` value.
    nonisolated static func read(_ path: String) throws -> String {
        try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Writes a `/proc/sys` value.
    nonisolated static func write(_ value: String, to path: String) throws {
        try (value + "\n").write(toFile: path, atomically: false, encoding: .utf8)
    }
}

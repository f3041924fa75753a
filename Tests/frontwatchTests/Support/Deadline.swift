import Foundation

struct TimedOut: Error, CustomStringConvertible {
    var what: String
    var description: String { "timed out waiting for \(what)" }
}

/// Runs `body` and fails if it has not finished within `seconds`. The timeout is a safety net
/// for a broken daemon, not a way of waiting: `body` awaits a real event.
func within<T: Sendable>(_ seconds: Double, _ what: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: .seconds(seconds))
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else { throw TimedOut(what: what) }
        return value
    }
}

/// A fresh temporary folder, removed by `remove()`.
struct TempFolder {
    let path: String

    init(_ label: String) throws {
        let base = FileManager.default.temporaryDirectory.path + "/frontwatch-test-\(label)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        path = base
    }

    func sub(_ name: String) throws -> String {
        let p = path + "/" + name
        try FileManager.default.createDirectory(atPath: p, withIntermediateDirectories: true)
        return p
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Writes an article next to the inbox and renames it in: an atomic arrival.
func dropAtomically(_ text: String, named name: String, into inbox: String, staging: String) throws {
    let temp = staging + "/" + name
    try Data(text.utf8).write(to: URL(fileURLWithPath: temp))
    guard rename(temp, inbox + "/" + name) == 0 else {
        throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
    }
}

/// Runs a program to completion and returns its exit status and standard output (stderr is
/// discarded).
func captureOutput(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: Data) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, data)
}

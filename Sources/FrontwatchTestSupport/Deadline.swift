import Foundation

/// A wait that its safety-net timeout ended.
public struct TimedOut: Error, CustomStringConvertible {
    /// What was awaited.
    public var what: String
    /// A wait for `what` that timed out.
    public init(what: String) { self.what = what }
    /// "timed out waiting for ...".
    public var description: String { "timed out waiting for \(what)" }
}

/// A test's own failure, with what went wrong.
public struct TestFailure: Error, CustomStringConvertible {
    /// What went wrong.
    public var description: String
    /// A failure that says `description`.
    public init(_ description: String) { self.description = description }
}

/// Runs `body` and fails if it has not finished within `seconds`. The timeout is a safety net
/// for a broken daemon, not a way of waiting: `body` awaits a real event.
public func within<T: Sendable>(_ seconds: Double, _ what: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
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
public struct TempFolder: Sendable {
    /// The folder.
    public let path: String

    /// A new folder `frontwatch-test-LABEL-XXXXXXXX` in the temporary directory.
    public init(_ label: String) throws {
        let base = FileManager.default.temporaryDirectory.path + "/frontwatch-test-\(label)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        path = base
    }

    /// The subfolder `name`, created.
    public func sub(_ name: String) throws -> String {
        let p = path + "/" + name
        try FileManager.default.createDirectory(atPath: p, withIntermediateDirectories: true)
        return p
    }

    /// Removes the folder and everything in it.
    public func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Writes an article next to the inbox and renames it in: an atomic arrival.
public func dropAtomically(_ text: String, named name: String, into inbox: String, staging: String) throws {
    let temp = staging + "/" + name
    try Data(text.utf8).write(to: URL(fileURLWithPath: temp))
    guard rename(temp, inbox + "/" + name) == 0 else {
        throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
    }
}

/// Runs a program to completion and returns its exit status and standard output (stderr is
/// discarded).
public func captureOutput(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: Data) {
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

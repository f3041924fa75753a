import Foundation
import FrontwatchSystem
import Glibc
import Testing

/// Data-driven watcher tests, in the style of fsnotify's testdata: each case is a script of file
/// operations in a fresh folder and the events the watcher must report, in order. Every script
/// ends with a marker file written and closed, and the test collects events up to the marker, so
/// "no event" is checked too, without sleeping.
struct WatchScript: Sendable, CustomTestStringConvertible {
    var name: String
    var setup: @Sendable (String) throws -> Void = { _ in }
    var operations: @Sendable (String, String) throws -> Void  // (watched folder, folder outside)
    var expected: [DirectoryEvent]
    var testDescription: String { name }
}

func write(_ path: String, _ text: String) throws {
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
}

let watchScripts: [WatchScript] = [
    WatchScript(name: "a file written in place reports close-after-write, not its opens",
                operations: { dir, _ in
                    try write(dir + "/a.txt", "date 2024-01-01\ntext")
                    _ = try String(contentsOfFile: dir + "/a.txt", encoding: .utf8)  // a read: no event
                },
                expected: [.created(name: "a.txt"), .closedAfterWrite(name: "a.txt")]),
    WatchScript(name: "an atomic rename in reports arrival only",
                operations: { dir, outside in
                    try write(outside + "/b.txt", "x")
                    #expect(rename(outside + "/b.txt", dir + "/b.txt") == 0)
                },
                expected: [.arrived(name: "b.txt")]),
    WatchScript(name: "a hard link reports creation",
                operations: { dir, outside in
                    try write(outside + "/c.txt", "x")
                    #expect(link(outside + "/c.txt", dir + "/c.txt") == 0)
                },
                expected: [.created(name: "c.txt")]),
    WatchScript(name: "appending after close reports a second close",
                setup: { dir in try write(dir + "/d.txt", "one") },
                operations: { dir, _ in
                    let h = try FileHandle(forWritingTo: URL(fileURLWithPath: dir + "/d.txt"))
                    try h.seekToEnd()
                    try h.write(contentsOf: Data(" two".utf8))
                    try h.close()
                },
                expected: [.closedAfterWrite(name: "d.txt")]),
    WatchScript(name: "a subfolder, a FIFO and a symlink report creation",
                operations: { dir, _ in
                    try FileManager.default.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: false)
                    #expect(mkfifo(dir + "/fifo", 0o644) == 0)
                    #expect(symlink("/etc/hostname", dir + "/link") == 0)
                },
                expected: [.created(name: "sub"), .created(name: "fifo"), .created(name: "link")]),
    WatchScript(name: "a name that is not UTF-8 is reported raw",
                operations: { dir, outside in
                    try write(outside + "/e", "x")
                    let bad: [UInt8] = Array((dir + "/bad-").utf8) + [0xFF, 0xFE] + Array(".txt".utf8) + [0]
                    let src = Array((outside + "/e").utf8CString)
                    #expect(bad.withUnsafeBufferPointer { b in
                        b.withMemoryRebound(to: CChar.self) { rename(src, $0.baseAddress!) }
                    } == 0)
                },
                expected: [.undecodableName(bytes: Array("bad-".utf8) + [0xFF, 0xFE] + Array(".txt".utf8))]),
    WatchScript(name: "chmod and chown of a file report its attributes changed; reading it does not",
                setup: { dir in try write(dir + "/locked.txt", "x") },
                operations: { dir, _ in
                    #expect(chmod(dir + "/locked.txt", 0o000) == 0)
                    #expect(chown(dir + "/locked.txt", 0, 65534) == 0)
                    #expect(chmod(dir + "/locked.txt", 0o640) == 0)
                    _ = try String(contentsOfFile: dir + "/locked.txt", encoding: .utf8)
                },
                expected: [.attributesChanged(name: "locked.txt")]),
    WatchScript(name: "chmod of the watched folder itself reports the folder's attributes changed",
                operations: { dir, _ in
                    #expect(chmod(dir, 0o700) == 0)
                    #expect(chmod(dir, 0o755) == 0)
                },
                expected: [.directoryAttributesChanged]),
]

@Suite("inotify watcher")
struct InotifyWatcherTests {
    @Test(arguments: watchScripts)
    func script(_ script: WatchScript) async throws {
        let base = NSTemporaryDirectory() + "fw-watch-\(UUID().uuidString.prefix(8))"
        let dir = base + "/watched", outside = base + "/outside"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: base) }
        try script.setup(dir)

        let watcher = try InotifyWatcher()
        try watcher.watch(directory: dir)
        let events = watcher.events()
        try script.operations(dir, outside)
        try write(dir + "/zz-marker", "end")

        var seen: [DirectoryEvent] = []
        for await batch in events {
            seen += batch
            if seen.contains(.closedAfterWrite(name: "zz-marker")) { break }
        }
        watcher.stop()
        // The kernel merges an event identical to the last one only while that one is unread, so
        // whether three chmods give one event or three depends on when the reader ran: compare
        // with runs of identical events folded into one.
        func folded(_ events: some Sequence<DirectoryEvent>) -> [DirectoryEvent] {
            events.reduce(into: []) { out, e in if out.last != e { out.append(e) } }
        }
        let before = seen.prefix { $0 != .created(name: "zz-marker") }
        #expect(folded(before) == folded(script.expected))
    }

    @Test("deleting the watched folder reports it gone; a new watch on the recreated folder works")
    func folderGoneAndBack() async throws {
        let dir = NSTemporaryDirectory() + "fw-gone-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let watcher = try InotifyWatcher()
        try watcher.watch(directory: dir)
        var iterator = watcher.events().makeAsyncIterator()
        try FileManager.default.removeItem(atPath: dir)
        var gone = false
        while !gone, let batch = await iterator.next() { gone = batch.contains(.directoryGone) }
        #expect(gone)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try watcher.watch(directory: dir)
        try write(dir + "/back.txt", "x")
        var back = false
        while !back, let batch = await iterator.next() { back = batch.contains(.closedAfterWrite(name: "back.txt")) }
        #expect(back)
        watcher.stop()
    }

    @Test("with watchingMounts, a mount and an unmount are reported (a file system mounted on the watched path hides it)")
    func mountsAreReported() async throws {
        let dir = NSTemporaryDirectory() + "fw-mounts-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let watcher = try InotifyWatcher(watchingMounts: true)
        try watcher.watch(directory: dir)
        var iterator = watcher.events().makeAsyncIterator()
        func run(_ tool: String, _ arguments: [String]) throws -> Int32 {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: tool)
            p.arguments = arguments
            try p.run()
            p.waitUntilExit()
            return p.terminationStatus
        }
        try #require(try run("/bin/mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", dir]) == 0, "mount (needs root)")
        var mounted = false
        while !mounted, let batch = await iterator.next() { mounted = batch.contains(.mountsChanged) }
        #expect(mounted)
        #expect(try run("/bin/umount", [dir]) == 0)
        var unmounted = false
        while !unmounted, let batch = await iterator.next() { unmounted = batch.contains(.mountsChanged) || batch.contains(.directoryGone) }
        #expect(unmounted)
        watcher.stop()
    }

    @Test("an overflowing queue reports overflow")
    func overflow() async throws {
        // The kernel's per-instance queue holds max_queued_events; write more files than that
        // before reading anything.
        let limit = Int((try? String(contentsOfFile: "/proc/sys/fs/inotify/max_queued_events", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 16384
        try #require(limit <= 20_000, "max_queued_events is \(limit): too large to overflow quickly")
        let dir = NSTemporaryDirectory() + "fw-overflow-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let watcher = try InotifyWatcher()
        try watcher.watch(directory: dir)
        for i in 0..<(limit / 2 + 10) { try write(dir + "/f\(i)", "") }  // two events per file
        var overflowed = false
        for await batch in watcher.events() {
            if batch.contains(.overflow) { overflowed = true; break }
        }
        watcher.stop()
        #expect(overflowed)
    }
}

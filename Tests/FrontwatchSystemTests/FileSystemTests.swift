import Foundation
import FrontwatchSystem
import Glibc
import Testing

@Suite("safe file reads")
final class FileSystemTests {
    let dir: String

    init() throws {
        dir = NSTemporaryDirectory() + "fw-fs-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    deinit {
        // Some tests take permissions away: give them back so the folder can be removed.
        _ = chmod(dir, 0o755)
        try? FileManager.default.removeItem(atPath: dir)
    }

    @Test func readsARegularFile() throws {
        try Data("hello".utf8).write(to: URL(fileURLWithPath: dir + "/a"))
        let snap = try FileSystem.readRegularFile(at: dir + "/a", maxBytes: 100)
        #expect(snap.bytes == Array("hello".utf8))
        #expect(snap.identity.kind == .regular)
        #expect(snap.identity.size == 5)
    }

    @Test func resolvesAPathHoweverItIsSpelled() throws {
        try FileManager.default.createDirectory(atPath: dir + "/real", withIntermediateDirectories: true)
        #expect(symlink(dir + "/real", dir + "/link") == 0)
        #expect(FileSystem.resolvedPath(dir + "/real") == dir + "/real")
        #expect(FileSystem.resolvedPath(dir + "/link/") == dir + "/real")
        #expect(FileSystem.resolvedPath(dir + "//link/./") == dir + "/real")
        // What does not exist yet is appended as written, `..` taken lexically there.
        #expect(FileSystem.resolvedPath(dir + "/link/../real/./x/y") == dir + "/real/x/y")
        #expect(FileSystem.resolvedPath(dir + "/none/../real") == dir + "/real")
        #expect(FileSystem.resolvedPath(".") == FileManager.default.currentDirectoryPath)
        #expect(FileSystem.resolvedPath("/") == "/")
    }

    @Test func refusesASymlinkWithoutFollowingIt() throws {
        #expect(symlink("/etc/passwd", dir + "/link") == 0)
        let error = #expect(throws: FileReadError.self) { try FileSystem.readRegularFile(at: dir + "/link", maxBytes: 1 << 20) }
        #expect(error?.reason == "symlink")
        #expect(error?.errno?.name == "ELOOP")
    }

    @Test func refusesAFIFOWithoutBlocking() throws {
        #expect(mkfifo(dir + "/fifo", 0o644) == 0)
        let error = #expect(throws: FileReadError.self) { try FileSystem.readRegularFile(at: dir + "/fifo", maxBytes: 100) }
        #expect(error?.reason == "not-regular")
    }

    @Test func refusesADeviceAndADirectory() throws {
        #expect(throws: FileReadError.self) { try FileSystem.readRegularFile(at: "/dev/null", maxBytes: 100) }
        #expect(throws: FileReadError.self) { try FileSystem.readRegularFile(at: dir, maxBytes: 100) }
    }

    @Test func refusesAFileOverTheCapUnread() throws {
        let path = dir + "/big"
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        #expect(truncate(path, 1 << 30) == 0)  // sparse: 1 GiB without using the disk
        let error = #expect(throws: FileReadError.self) { try FileSystem.readRegularFile(at: path, maxBytes: 16 << 20) }
        #expect(error?.reason == "too-large")
        #expect(error?.errno?.name == "EFBIG")
    }

    @Test func escapesNamesThatAreNotUTF8() {
        #expect(FileSystem.escapedName(Array("ok-ü".utf8)) == "ok-ü")
        #expect(FileSystem.escapedName([0x61, 0xFF, 0x62, 0xC3]) == "a\\xffb\\xc3")
    }

    @Test func journalFieldNamesCannotBeForged() {
        #expect(JournalField("_PID", "1").name == "PID")
        #expect(JournalField("axis\nPRIORITY=0", "x").name == "AXIS_PRIORITY_0")
        #expect(JournalField("9lives", "x").name == "F9LIVES")
    }

    @Test func errnoNamesItself() {
        #expect(Errno(ENOENT).name == "ENOENT")
        #expect(Errno(ENOENT).description.contains("No such file"))
    }

    /// The store finds files rejected for lack of permission by "(EACCES)" and "(EPERM)" in
    /// their reason (`AppDatabase.unreadablePatterns`; the unprivileged PermissionTests run it
    /// end to end): the C name stays in messages, though swift-system's `description` is
    /// `strerror(3)` alone.
    @Test func errnoExplainedKeepsTheCName() {
        #expect(Errno(EACCES).explained == "Permission denied (EACCES)")
        #expect(Errno(EPERM).explained.hasSuffix(" (EPERM)"))
    }
}

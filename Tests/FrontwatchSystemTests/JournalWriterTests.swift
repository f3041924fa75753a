import Foundation
import FrontwatchSystem
import Glibc
import Testing

/// The journal's native protocol, against a datagram socket that plays journald.
@Suite("journal writer")
final class JournalWriterTests {
    let dir: String

    init() throws {
        dir = NSTemporaryDirectory() + "fw-jw-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: dir) }

    /// Binds a datagram socket at `path`; returns its descriptor.
    func bindSocket(_ path: String) throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        try #require(fd >= 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, b) in path.utf8.enumerated() { raw[i] = b }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        try #require(bound == 0)
        return fd
    }

    @Test("one datagram; a value with a newline is length-prefixed and cannot forge a field")
    func nativeFormat() throws {
        let path = dir + "/socket"
        let fd = try bindSocket(path)
        defer { close(fd) }
        try JournalWriter(socketPath: path).send([
            JournalField("MESSAGE", "plain"),
            JournalField("FRONTWATCH_EVIDENCE", "a\nPRIORITY=0"),
        ])
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = recv(fd, &buffer, buffer.count, 0)
        let expected = Array("MESSAGE=plain\nFRONTWATCH_EVIDENCE\n".utf8) + [12, 0, 0, 0, 0, 0, 0, 0]
            + Array("a\nPRIORITY=0\n".utf8)
        #expect(Array(buffer[0..<max(0, n)]) == expected)
    }

    @Test("a missing socket is ENOENT and a socket nobody reads is ECONNREFUSED, never a silent success")
    func failuresAreReported() throws {
        #expect(throws: Errno(ENOENT)) { try JournalWriter(socketPath: dir + "/missing").send([JournalField("MESSAGE", "x")]) }
        let path = dir + "/dead"
        close(try bindSocket(path))  // the file stays, nobody listens
        #expect(throws: Errno(ECONNREFUSED)) { try JournalWriter(socketPath: path).send([JournalField("MESSAGE", "x")]) }
    }

    @Test("isListening: true only while a socket is bound, false for a missing or a stale socket file")
    func listening() throws {
        let path = dir + "/probe"
        #expect(!JournalWriter(socketPath: path).isListening)
        let fd = try bindSocket(path)
        #expect(JournalWriter(socketPath: path).isListening)
        close(fd)
        #expect(FileManager.default.fileExists(atPath: path))  // the file stays behind...
        #expect(!JournalWriter(socketPath: path).isListening)  // ...and answers nobody
    }
}

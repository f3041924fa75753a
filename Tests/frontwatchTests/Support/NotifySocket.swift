import Foundation
import Glibc

/// Plays systemd's side of the notify protocol: a datagram socket whose messages arrive as an
/// `AsyncStream` of `KEY=value` lines.
final class NotifySocket: @unchecked Sendable {
    let path: String
    private let fd: Int32
    let messages: AsyncStream<String>
    private let continuation: AsyncStream<String>.Continuation

    init(in folder: String) throws {
        let path = folder + "/notify.sock"
        self.path = path
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        precondition(bytes.count < MemoryLayout.size(ofValue: addr.sun_path), "socket path too long for a test")
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
        }
        let result = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard result == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        self.fd = fd
        let (messages, continuation) = AsyncStream<String>.makeStream(of: String.self)
        self.messages = messages
        self.continuation = continuation
        let thread = Thread { [fd, continuation] in
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let n = recv(fd, &buffer, buffer.count, 0)
                if n < 0 {
                    if errno == EINTR { continue }
                    break
                }
                if n == 0 { break }
                continuation.yield(String(decoding: buffer[0..<n], as: UTF8.self))
            }
            continuation.finish()
        }
        thread.start()
    }

    /// Stops the reader (shutdown wakes the blocked `recv`).
    func close() {
        shutdown(fd, Int32(SHUT_RDWR))
        Glibc.close(fd)
        unlink(path)
    }
}

/// Waits for the next notify message that satisfies `predicate`, returning every message seen
/// up to and including it.
func awaitMessage(_ iterator: inout AsyncStream<String>.Iterator, where predicate: (String) -> Bool) async -> [String] {
    var seen: [String] = []
    while let message = await iterator.next() {
        seen.append(message)
        if predicate(message) { return seen }
    }
    return seen
}

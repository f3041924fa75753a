import CSystemd
import Foundation
import FrontwatchSystem
import Glibc

/// The service manager's side of the notify protocol (`sd_notify(3)`): an `AF_UNIX` datagram
/// socket bound at a path, read by a thread of its own. For the benchmark and the tests, which
/// run the daemon as systemd would and listen to what it reports.
public final class NotifyListener: @unchecked Sendable {
    /// The socket's path: the `NOTIFY_SOCKET` to give the daemon.
    public let path: String
    private let fd: Int32
    private let lock = NSLock()
    private var closed = false

    /// Binds a datagram socket at `path` (`socket(2)`, `bind(2)`; a stale socket file there is
    /// removed first) and calls `receive` with each message, on the reader thread, in order;
    /// `ended` once the socket is closed.
    public init(path: String, receive: @escaping @Sendable (String) -> Void,
                ended: @escaping @Sendable () -> Void = {}) throws(Errno) {
        self.path = path
        var addr = try unixSocketAddress(path)
        unlink(path)
        let fd = try syscall { socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0) }
        do throws(Errno) {
            _ = try syscall {
                withUnsafePointer(to: &addr) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
                }
            }
        } catch {
            Glibc.close(fd)
            throw error
        }
        self.fd = fd
        let thread = Thread {
            // `recv(2)` until `close()` shuts the socket down (which wakes a blocked `recv`).
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                guard let n = try? syscall({ recv(fd, &buffer, buffer.count, 0) }), n > 0 else { break }
                receive(String(decoding: buffer[0..<n], as: UTF8.self))
            }
            Glibc.close(fd)
            ended()
        }
        thread.name = "frontwatch-notify-listener"
        thread.start()
    }

    deinit {
        close()
    }

    /// Stops listening: `shutdown(2)` wakes the reader, which closes the socket and calls
    /// `ended`; the path is unlinked. (The reader closes it, so it never reads a reused descriptor.)
    public func close() {
        let first = lock.withLock { () -> Bool in
            defer { closed = true }
            return !closed
        }
        guard first else { return }
        shutdown(fd, Int32(SHUT_RDWR))
        unlink(path)
    }
}

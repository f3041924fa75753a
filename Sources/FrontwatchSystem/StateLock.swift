import Glibc

/// An exclusive lock on a state folder, held for the life of the process: two daemons on one
/// state would share axis state and send every alert twice.
///
/// `flock(2)` on `frontwatch.lock` in the folder, which holds the holder's PID. The kernel drops
/// the lock when the process exits, however it exits, so a crash never leaves a stale lock.
public final class StateLock: Sendable {
    let fd: Int32

    /// Why the lock could not be taken.
    public struct Refused: Error, Sendable, CustomStringConvertible {
        /// The lock file.
        public let path: String
        /// The PID written by the daemon that holds it, when it could be read.
        public let holder: Int32?
        /// The system call's error, when it was not that the lock is held.
        public let errno: Errno?

        public var description: String {
            if let errno { return "cannot lock \(path): \(errno)" }
            let who = holder.map { "frontwatch (pid \($0))" } ?? "another frontwatch"
            return "\(who) already uses the state folder \(path.dropLast("/frontwatch.lock".count)); one daemon per state folder (stop it, or give this one --state DIR of its own)"
        }
    }

    /// Takes the lock on `directory` (created if missing) or throws `Refused` at once (never waits).
    public init(directory: String) throws(Refused) {
        let path = directory + "/frontwatch.lock"
        do {
            try FileSystem.createDirectory(directory)
        } catch {
            throw Refused(path: path, holder: nil, errno: error)
        }
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o640)
        guard fd >= 0 else { throw Refused(path: path, holder: nil, errno: .current) }
        do {
            _ = try syscall { flock(fd, LOCK_EX | LOCK_NB) }
        } catch {
            var buffer = [UInt8](repeating: 0, count: 32)
            let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 31, 0) }
            close(fd)
            let holder = n > 0 ? Int32(String(decoding: buffer[0..<n], as: UTF8.self).filter(\.isNumber)) : nil
            throw Refused(path: path, holder: error.code == EWOULDBLOCK ? holder : nil,
                          errno: error.code == EWOULDBLOCK ? nil : error)
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        self.fd = fd
    }

    deinit { close(fd) }
}

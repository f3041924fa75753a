import Glibc
import SystemPackage

/// An exclusive lock on a state folder, held for the life of the process: two daemons on one
/// state would share axis state and send every alert twice.
///
/// `flock(2)` on `frontwatch.lock` in the folder, which holds the holder's PID. The kernel drops
/// the lock when the process exits, however it exits, so a crash never leaves a stale lock.
public final class StateLock: Sendable {
    let fd: FileDescriptor

    /// Why the lock could not be taken.
    public struct Refused: Error, Sendable, CustomStringConvertible {
        /// The lock file.
        public let path: String
        /// The PID written by the daemon that holds it, when it could be read.
        public let holder: Int32?
        /// The system call's error, when it was not that the lock is held.
        public let errno: Errno?

        public var description: String {
            if let errno { return "cannot lock \(path): \(errno.explained)" }
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
        let fd: FileDescriptor
        do {
            fd = try throwingErrno {
                try FileDescriptor.open(path, .readWrite, options: [.create, .closeOnExec, .noFollow],
                                        permissions: [.ownerReadWrite, .groupRead])
            }
        } catch {
            throw Refused(path: path, holder: nil, errno: error)
        }
        do {
            _ = try syscall { flock(fd.rawValue, LOCK_EX | LOCK_NB) }
        } catch {
            var buffer = [UInt8](repeating: 0, count: 32)
            let n = (try? buffer.withUnsafeMutableBytes { try fd.read(fromAbsoluteOffset: 0, into: UnsafeMutableRawBufferPointer(rebasing: $0[..<31])) }) ?? 0
            try? fd.close()
            let holder = n > 0 ? Int32(String(decoding: buffer[0..<n], as: UTF8.self).filter(\.isNumber)) : nil
            throw Refused(path: path, holder: error == .wouldBlock ? holder : nil,
                          errno: error == .wouldBlock ? nil : error)
        }
        _ = try? fd.resize(to: 0)
        _ = try? fd.writeAll(toAbsoluteOffset: 0, "\(getpid())\n".utf8)
        self.fd = fd
    }

    deinit { try? fd.close() }
}

import Foundation
import FrontwatchTestSupport
import Glibc

/// A small tmpfs mounted on a folder for one test (`mount -t tmpfs -o size=...`, as root), so
/// the state folder can really run out of space.
struct Tmpfs {
    let path: String

    /// Mounts a tmpfs of `size` (`2m`, `512k`) on `path`, which must exist.
    init(on path: String, size: String) throws {
        let (status, _) = try captureOutput("/bin/mount", ["-t", "tmpfs", "-o", "size=\(size),mode=0755", "tmpfs", path])
        guard status == 0 else { throw TestFailure("mount -t tmpfs on \(path) exited \(status) (root is needed)") }
        self.path = path
    }

    /// Unmounts it (lazily, so a daemon still holding a file does not keep it mounted).
    func unmount() {
        _ = try? captureOutput("/bin/umount", ["-l", path])
    }

    /// Writes a file until the file system says ENOSPC; returns its path. Removing it frees the space.
    func fill(named name: String = "filler") throws -> String {
        let file = path + "/" + name
        let fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw TestFailure("cannot create \(file): errno \(errno)") }
        defer { close(fd) }
        let chunk = [UInt8](repeating: 0x61, count: 4096)
        while true {
            let n = chunk.withUnsafeBytes { write(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                guard errno == ENOSPC else { throw TestFailure("writing \(file): errno \(errno)") }
                return file
            }
            if n < chunk.count {
                continue  // the last pages: the next write says ENOSPC
            }
        }
    }

    /// Free bytes (`statvfs`).
    var available: Int {
        var s = statvfs()
        guard statvfs(path, &s) == 0 else { return -1 }
        return Int(s.f_bavail) * Int(s.f_frsize)
    }
}

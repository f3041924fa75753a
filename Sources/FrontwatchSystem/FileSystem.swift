import CSystemd
import Glibc
import SystemPackage

/// Changes to the file system: folders made, files written, renamed and removed, each a thin
/// wrapper over one or two system calls. Reading is in `FileSystem+Reading.swift`, what a path
/// is in `FileIdentity.swift`, listing in `FileSystem+DirectoryListing.swift`.
public enum FileSystem {
    /// `mkdir -p` with the given mode for directories it creates.
    public static func createDirectory(_ path: String, mode: mode_t = 0o750) throws(Errno) {
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            current += "/" + part
            if mkdir(current, mode) != 0 {
                let err = Errno.current
                if err.code != EEXIST { throw err }
            }
        }
    }

    /// `rename(2)`.
    public static func rename(_ from: String, to: String) throws(Errno) {
        _ = try syscall { Glibc.rename(from, to) }
    }

    /// Writes a whole file (created with mode 0640), replacing any old one atomically: a
    /// temporary file beside it, written whole (swift-system's `writeAll`, which retries
    /// `EINTR` and short writes), then `rename(2)`.
    public static func writeAtomically(_ text: String, to path: String) throws(Errno) {
        let temp = path + ".tmp-\(getpid())"
        let fd = try throwingErrno {
            try FileDescriptor.open(temp, .writeOnly, options: [.create, .truncate, .closeOnExec],
                                    permissions: [.ownerReadWrite, .groupRead])
        }
        do {
            try throwingErrno { _ = try fd.writeAll(text.utf8) }
        } catch {
            try? fd.close()
            unlink(temp)
            throw error
        }
        try? fd.close()
        try rename(temp, to: path)
    }
}

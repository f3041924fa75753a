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

    /// Writes a whole file in place (`open(2)` with `O_CREAT | O_TRUNC`, mode 0644, then
    /// `write(2)`), without a temporary file or `fsync`: for test corpora, where speed matters
    /// and a torn file after a crash does not.
    public static func writeFile(_ text: String, to path: String) throws(Errno) {
        let fd = try syscall { open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644) }
        defer { close(fd) }
        var text = text
        let failure: Errno? = text.withUTF8 { buffer in
            var done = 0
            while done < buffer.count {
                let n = write(fd, buffer.baseAddress! + done, buffer.count - done)
                if n < 0 {
                    let error = Errno.current
                    if error.code == EINTR { continue }
                    return error
                }
                done += n
            }
            return nil
        }
        if let failure { throw failure }
    }

    /// `unlink(2)`.
    public static func remove(_ path: String) throws(Errno) {
        _ = try syscall { unlink(path) }
    }

    /// A new, empty directory with a unique name `PREFIX` + six characters, mode 0700
    /// (`mkdtemp(3)`); returns its path.
    public static func makeUniqueDirectory(prefix: String) throws(Errno) -> String {
        var template = Array((prefix + "XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else { throw Errno.current }
        return String(cString: made)
    }
}

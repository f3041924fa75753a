import FrontwatchSystem
import Glibc

extension FileSystem {
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
                do throws(Errno) {
                    done += try syscall { write(fd, buffer.baseAddress! + done, buffer.count - done) }
                } catch {
                    return error
                }
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

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
}

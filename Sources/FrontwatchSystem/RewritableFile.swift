import Glibc
import SystemPackage

/// A small file that is rewritten in place, many times, through one open descriptor.
///
/// Each `replaceContents` is a `pwrite(2)` at offset 0 and an `ftruncate(2)`: no new file, no
/// `rename(2)`, no `fsync(2)`. A process crash (a trap, `kill -9`) never tears a `pwrite`, so
/// a reader after a crash sees one whole version; a power cut can, so readers must tolerate a
/// damaged file (the crash marker treats one as absent). Writing a new file and renaming it over
/// the old one per update cost about a tenth of an article's analysis time.
public final class RewritableFile {
    /// The file's path.
    public let path: String
    private let fd: FileDescriptor
    private var length = 0

    /// Opens (creating with `mode` if needed) `path` for reading and writing: `open(2)` with
    /// `O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW`.
    public init(path: String, mode: mode_t = 0o640) throws(Errno) {
        self.path = path
        fd = try throwingErrno {
            try FileDescriptor.open(path, .readWrite, options: [.create, .closeOnExec, .noFollow],
                                    permissions: FilePermissions(rawValue: mode))
        }
        if let st = try? fd.stat() { length = Int(st.rawValue.st_size) }
    }

    deinit {
        try? fd.close()
    }

    /// Replaces the whole content: `pwrite(2)` at offset 0, then `ftruncate(2)` when the new
    /// content is shorter than the old.
    public func replaceContents(with text: String) throws(Errno) {
        // swift-system's writeAll retries EINTR and short writes.
        let written = try throwingErrno { try fd.writeAll(toAbsoluteOffset: 0, text.utf8) }
        if written < length {
            try throwingErrno { try fd.resize(to: Int64(written)) }
        }
        length = written
    }
}

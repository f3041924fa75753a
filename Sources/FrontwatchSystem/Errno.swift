import CSystemd
import Glibc

/// A failed system call's error number, with its C name and text.
public struct Errno: Error, Sendable, Equatable, CustomStringConvertible {
    /// The raw `errno` value.
    public let code: Int32

    /// Wraps a raw error number.
    public init(_ code: Int32) {
        self.code = code
    }

    /// `ENOENT`: the file is not there (any more).
    public var isNoSuchFile: Bool { code == ENOENT }

    /// `EACCES` or `EPERM`: permission denied, which a chmod or chown may change.
    public var isPermissionDenied: Bool { code == EACCES || code == EPERM }

    /// The current thread's `errno`.
    package static var current: Errno { Errno(cfw_errno()) }

    /// "No such file or directory (ENOENT)".
    public var description: String {
        let text = strerror(code).map { String(cString: $0) } ?? "error \(code)"
        return "\(text) (\(name))"
    }

    /// The C name, e.g. `ENOENT`.
    public var name: String {
        switch code {
        case ENOENT: return "ENOENT"
        case EACCES: return "EACCES"
        case EPERM: return "EPERM"
        case ELOOP: return "ELOOP"
        case EISDIR: return "EISDIR"
        case ENOTDIR: return "ENOTDIR"
        case EAGAIN: return "EAGAIN"
        case EINTR: return "EINTR"
        case EFBIG: return "EFBIG"
        case EIO: return "EIO"
        case ENOSPC: return "ENOSPC"
        case ECONNREFUSED: return "ECONNREFUSED"
        case EMSGSIZE: return "EMSGSIZE"
        case ENAMETOOLONG: return "ENAMETOOLONG"
        case EMFILE: return "EMFILE"
        case EINVAL: return "EINVAL"
        case ENXIO: return "ENXIO"
        case EXDEV: return "EXDEV"
        case EEXIST: return "EEXIST"
        case ENODEV: return "ENODEV"
        default: return "errno \(code)"
        }
    }
}

/// Every system call goes through here: it retries `EINTR` and turns -1 into a thrown `Errno`.
@inline(__always)
package func syscall<T: BinaryInteger>(_ body: () -> T) throws(Errno) -> T {
    while true {
        let result = body()
        if result >= 0 { return result }
        let err = Errno.current
        if err.code == EINTR { continue }
        throw err
    }
}

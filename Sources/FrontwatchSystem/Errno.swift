import CSystemd
import Glibc
import SystemPackage

/// A failed system call's error number: swift-system's `Errno`, named here so that the
/// modules above need not import `SystemPackage` to catch or match one.
public typealias Errno = SystemPackage.Errno

extension Errno {
    /// Wraps a raw error number, e.g. `Errno(ENOENT)`.
    public init(_ code: Int32) {
        self.init(rawValue: code)
    }

    /// The raw `errno` value.
    public var code: Int32 { rawValue }

    /// `ENOENT`: the file is not there (any more).
    public var isNoSuchFile: Bool { self == .noSuchFileOrDirectory }

    /// `EACCES` or `EPERM`: permission denied, which a chmod or chown may change.
    public var isPermissionDenied: Bool { self == .permissionDenied || self == .notPermitted }

    /// The current thread's `errno` (read through the C shim: Swift cannot read the macro).
    package static var current: Errno { Errno(cfw_errno()) }

    /// The text and the C name, "No such file or directory (ENOENT)": for the messages a
    /// person reads, where `description` (`strerror(3)` alone) would hide which error it was.
    public var explained: String { "\(description) (\(name))" }

    /// The C name, e.g. `ENOENT`.
    public var name: String {
        switch self {
        case .noSuchFileOrDirectory: return "ENOENT"
        case .permissionDenied: return "EACCES"
        case .notPermitted: return "EPERM"
        case .tooManySymbolicLinkLevels: return "ELOOP"
        case .isDirectory: return "EISDIR"
        case .notDirectory: return "ENOTDIR"
        case .resourceTemporarilyUnavailable: return "EAGAIN"
        case .interrupted: return "EINTR"
        case .fileTooLarge: return "EFBIG"
        case .ioError: return "EIO"
        case .noSpace: return "ENOSPC"
        case .connectionRefused: return "ECONNREFUSED"
        case .messageTooLong: return "EMSGSIZE"
        case .fileNameTooLong: return "ENAMETOOLONG"
        case .tooManyOpenFiles: return "EMFILE"
        case .invalidArgument: return "EINVAL"
        case .noSuchAddressOrDevice: return "ENXIO"
        case .improperLink: return "EXDEV"
        case .fileExists: return "EEXIST"
        case .operationNotSupportedByDevice: return "ENODEV"
        default: return "errno \(code)"
        }
    }
}

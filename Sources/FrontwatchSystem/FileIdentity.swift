import Glibc
import SystemPackage

/// What `lstat`/`fstat` says about a file, in the terms frontwatch needs.
public struct FileIdentity: Sendable, Hashable {
    /// The kind of file.
    public enum Kind: String, Sendable {
        case regular, directory, symlink, fifo, socket, characterDevice = "character-device",
             blockDevice = "block-device", unknown
    }

    /// The kind of file.
    public var kind: Kind
    /// Device number.
    public var device: UInt64
    /// Inode number.
    public var inode: UInt64
    /// Size in bytes.
    public var size: Int64
    /// Modification time, nanoseconds since the epoch.
    public var mtimeNanoseconds: Int64
    /// Number of hard links.
    public var linkCount: Int

    init(_ st: stat) {
        switch st.st_mode & S_IFMT {
        case S_IFREG: kind = .regular
        case S_IFDIR: kind = .directory
        case S_IFLNK: kind = .symlink
        case S_IFIFO: kind = .fifo
        case S_IFSOCK: kind = .socket
        case S_IFCHR: kind = .characterDevice
        case S_IFBLK: kind = .blockDevice
        default: kind = .unknown
        }
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
        size = Int64(st.st_size)
        mtimeNanoseconds = Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
        linkCount = Int(st.st_nlink)
    }

    /// Modification time in whole seconds since the epoch.
    public var mtimeSeconds: Int { Int(mtimeNanoseconds / 1_000_000_000) }
}

extension FileSystem {
    /// `stat(2)`: what `path` leads to, following symlinks (as `inotify_add_watch(2)` does).
    public static func identity(following path: String) throws(Errno) -> FileIdentity {
        FileIdentity(try Stat(path, followTargetSymlink: true).rawValue)
    }

    /// `lstat(2)`: what is at `path`, without following a symlink.
    public static func identity(of path: String) throws(Errno) -> FileIdentity {
        FileIdentity(try Stat(path, followTargetSymlink: false).rawValue)
    }

    /// `lstat(2)` of a path given as raw bytes (a name that is not valid UTF-8).
    public static func identity(ofRawPath path: [UInt8]) throws(Errno) -> FileIdentity {
        let cPath = path.map { CChar(bitPattern: $0) } + [0]
        return FileIdentity(try Stat(cPath, followTargetSymlink: false).rawValue)
    }

    /// True when something (of any kind) exists at `path` (`lstat(2)` succeeds).
    public static func exists(_ path: String) -> Bool {
        (try? Stat(path, followTargetSymlink: false)) != nil
    }
}

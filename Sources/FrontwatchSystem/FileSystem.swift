import CSystemd
import Glibc

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

/// A file read safely: its bytes and the identity of what was actually read.
public struct FileSnapshot: Sendable {
    /// The file's content.
    public var bytes: [UInt8]
    /// `fstat` of the opened file.
    public var identity: FileIdentity
}

/// Why a file could not be read.
public struct FileReadError: Error, Sendable, CustomStringConvertible {
    /// A stable reason code.
    public var reason: String
    /// What happened, for a person.
    public var message: String
    /// The errno behind it, if any.
    public var errno: Errno?

    public var description: String { message }
}

/// File operations frontwatch needs, each a thin wrapper over one or two system calls.
public enum FileSystem {
    /// `stat(2)`: what `path` leads to, following symlinks (as `inotify_add_watch(2)` does).
    public static func identity(following path: String) throws(Errno) -> FileIdentity {
        var st = stat()
        _ = try syscall { stat(path, &st) }
        return FileIdentity(st)
    }

    /// `lstat(2)`: what is at `path`, without following a symlink.
    public static func identity(of path: String) throws(Errno) -> FileIdentity {
        var st = stat()
        _ = try syscall { lstat(path, &st) }
        return FileIdentity(st)
    }

    /// Reads a regular file without following symlinks or blocking on FIFOs.
    ///
    /// `open(2)` with `O_NOFOLLOW | O_NONBLOCK | O_NOCTTY`, then `fstat(2)` on the descriptor, so
    /// what is checked is what is read: a symlink, FIFO, device or directory is refused before a
    /// byte is read. Files over `maxBytes` are refused.
    public static func readRegularFile(at path: String, maxBytes: Int) throws(FileReadError) -> FileSnapshot {
        let fd: Int32
        do {
            fd = try syscall { open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC) }
        } catch {
            if error.code == ELOOP {
                throw FileReadError(reason: "symlink", message: "is a symbolic link; frontwatch does not follow links (move the file itself into the folder)", errno: error)
            }
            if error.code == ENXIO {
                throw FileReadError(reason: "not-regular", message: "is a socket or device with no reader; only regular files are read", errno: error)
            }
            throw FileReadError(reason: "open", message: "cannot be opened: \(error)", errno: error)
        }
        defer { close(fd) }
        var st = stat()
        do {
            _ = try syscall { fstat(fd, &st) }
        } catch {
            throw FileReadError(reason: "stat", message: "cannot be examined: \(error)", errno: error)
        }
        let identity = FileIdentity(st)
        guard identity.kind == .regular else {
            throw FileReadError(reason: "not-regular", message: "is a \(identity.kind.rawValue), not a regular file; only regular files are read", errno: nil)
        }
        if identity.size > Int64(maxBytes) {
            throw FileReadError(reason: "too-large", message: "is \(identity.size) bytes, over the size cap of \(maxBytes) bytes (watch.max_file_bytes)", errno: Errno(EFBIG))
        }
        // Read up to one byte past the cap, so a file that grew since fstat is caught too.
        var bytes = [UInt8](repeating: 0, count: Int(identity.size) + 1)
        var filled = 0
        while true {
            if filled == bytes.count {
                if filled > maxBytes {
                    throw FileReadError(reason: "too-large", message: "grew past the size cap of \(maxBytes) bytes while being read (watch.max_file_bytes)", errno: Errno(EFBIG))
                }
                bytes.append(contentsOf: repeatElement(0, count: max(4096, bytes.count)))
            }
            let capacity = bytes.count
            let n = bytes.withUnsafeMutableBytes { buffer in
                retryingRead(fd, buffer.baseAddress! + filled, capacity - filled)
            }
            if n < 0 {
                let error = Errno(Int32(-n))
                throw FileReadError(reason: "read", message: "cannot be read: \(error)", errno: error)
            }
            if n == 0 { break }
            filled += n
        }
        bytes.removeSubrange(filled...)
        return FileSnapshot(bytes: bytes, identity: identity)
    }

    /// Reads a small text file whole (configuration, gazetteer); follows symlinks, as /etc does.
    public static func readText(at path: String, maxBytes: Int = 16 << 20) throws(Errno) -> String {
        let fd = try syscall { open(path, O_RDONLY | O_CLOEXEC) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = chunk.withUnsafeMutableBytes { b in retryingRead(fd, b.baseAddress!, b.count) }
            if n < 0 { throw Errno(Int32(-n)) }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
            if bytes.count > maxBytes { throw Errno(EFBIG) }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `lstat(2)` of a path given as raw bytes (a name that is not valid UTF-8).
    public static func identity(ofRawPath path: [UInt8]) throws(Errno) -> FileIdentity {
        var st = stat()
        let cPath = path.map { CChar(bitPattern: $0) } + [0]
        _ = try syscall { lstat(cPath, &st) }
        return FileIdentity(st)
    }

    /// Shows bytes that are not valid UTF-8 as `\xNN` escapes, so a name can be logged and stored.
    public static func escapedName(_ bytes: [UInt8]) -> String {
        var out = ""
        var i = 0
        scan: while i < bytes.count {
            for length in 1...4 where i + length <= bytes.count {
                if let run = String(validating: bytes[i..<(i + length)], as: UTF8.self) {
                    out += run
                    i += length
                    continue scan
                }
            }
            let b = bytes[i]
            out += "\\x" + (b < 0x10 ? "0" : "") + String(b, radix: 16)
            i += 1
        }
        return out
    }

    /// True when something (of any kind) exists at `path`.
    public static func exists(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0
    }

    /// The absolute path of `path` with every symlink, `.` and `..` resolved: `realpath(3)` of
    /// the longest leading part that exists, with the rest (what does not exist yet) appended
    /// as written, as `realpath -m` does. A relative path is taken from the current directory
    /// (`getcwd(3)`). The same folder, however it is spelled, gives the same string.
    public static func resolvedPath(_ path: String) -> String {
        var absolute = path
        if !path.hasPrefix("/") {
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            guard getcwd(&buffer, buffer.count) != nil else { return path }
            absolute = String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self) + "/" + path
        }
        var head = absolute
        var rest: [Substring] = []
        while true {
            if let resolved = realpath(head, nil) {
                defer { free(resolved) }
                var parts = String(cString: resolved).split(separator: "/")
                for part in rest.reversed() where part != "." {
                    if part == ".." { _ = parts.popLast() } else { parts.append(part) }
                }
                return "/" + parts.joined(separator: "/")
            }
            guard head != "/", let slash = head.lastIndex(of: "/") else { return absolute }
            let name = head[head.index(after: slash)...]
            if !name.isEmpty { rest.append(Substring(name)) }
            head = slash == head.startIndex ? "/" : String(head[..<slash])
        }
    }

    /// The names in a directory, without `.` and `..`, in no particular order.
    public static func entries(of directory: String) throws(Errno) -> [String] {
        guard let dir = opendir(directory) else { throw Errno.current }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// The raw bytes of the names in a directory, for names that are not valid UTF-8.
    public static func rawEntries(of directory: String) throws(Errno) -> [[UInt8]] {
        guard let dir = opendir(directory) else { throw Errno.current }
        defer { closedir(dir) }
        var names: [[UInt8]] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix(while: { $0 != 0 })) }
            if name != [0x2E] && name != [0x2E, 0x2E] { names.append(name) }
        }
        return names
    }

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

    /// Writes a whole file (created with mode 0640), replacing any old one atomically.
    public static func writeAtomically(_ text: String, to path: String) throws(Errno) {
        let temp = path + ".tmp-\(getpid())"
        let fd = try syscall { open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o640) }
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { b in write(fd, b.baseAddress! + written, b.count - written) }
            if n < 0 {
                let error = Errno.current
                if error.code == EINTR { continue }
                close(fd)
                unlink(temp)
                throw error
            }
            written += n
        }
        close(fd)
        try rename(temp, to: path)
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

    /// The absolute path of the running executable (`/proc/self/exe`).
    public static func executablePath() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The value of an environment variable.
    public static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}

/// `read(2)` retried on `EINTR`; returns the byte count, or minus the errno.
func retryingRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    while true {
        let n = read(fd, buffer, count)
        if n >= 0 { return n }
        let code = Errno.current.code
        if code != EINTR { return -Int(code) }
    }
}

import Glibc
import SystemPackage

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

extension FileSystem {
    /// Reads a regular file without following symlinks or blocking on FIFOs.
    ///
    /// `open(2)` with `O_NOFOLLOW | O_NONBLOCK | O_NOCTTY`, then `fstat(2)` on the descriptor, so
    /// what is checked is what is read: a symlink, FIFO, device or directory is refused before a
    /// byte is read. Files over `maxBytes` are refused.
    public static func readRegularFile(at path: String, maxBytes: Int) throws(FileReadError) -> FileSnapshot {
        let fd: FileDescriptor
        do {
            fd = try openForReading(path, options: [.noFollow, .nonBlocking, .noControllingTerminal, .closeOnExec])
        } catch {
            if error == .tooManySymbolicLinkLevels {
                throw FileReadError(reason: "symlink", message: "is a symbolic link; frontwatch does not follow links (move the file itself into the folder)", errno: error)
            }
            if error == .noSuchAddressOrDevice {
                throw FileReadError(reason: "not-regular", message: "is a socket or device with no reader; only regular files are read", errno: error)
            }
            throw FileReadError(reason: "open", message: "cannot be opened: \(error.explained)", errno: error)
        }
        defer { try? fd.close() }
        let identity: FileIdentity
        do {
            identity = FileIdentity(try fd.stat().rawValue)
        } catch {
            throw FileReadError(reason: "stat", message: "cannot be examined: \(error.explained)", errno: error)
        }
        guard identity.kind == .regular else {
            throw FileReadError(reason: "not-regular", message: "is a \(identity.kind.rawValue), not a regular file; only regular files are read", errno: nil)
        }
        if identity.size > Int64(maxBytes) {
            throw FileReadError(reason: "too-large", message: "is \(identity.size) bytes, over the size cap of \(maxBytes) bytes (watch.max_file_bytes)", errno: .fileTooLarge)
        }
        // Read up to one byte past the cap, so a file that grew since fstat is caught too.
        var bytes = [UInt8](repeating: 0, count: Int(identity.size) + 1)
        var filled = 0
        while true {
            if filled == bytes.count {
                if filled > maxBytes {
                    throw FileReadError(reason: "too-large", message: "grew past the size cap of \(maxBytes) bytes while being read (watch.max_file_bytes)", errno: .fileTooLarge)
                }
                bytes.append(contentsOf: repeatElement(0, count: max(4096, bytes.count)))
            }
            let n: Int
            do {
                n = try read(fd, into: &bytes, from: filled)
            } catch {
                throw FileReadError(reason: "read", message: "cannot be read: \(error.explained)", errno: error)
            }
            if n == 0 { break }
            filled += n
        }
        bytes.removeSubrange(filled...)
        return FileSnapshot(bytes: bytes, identity: identity)
    }

    /// Reads a small text file whole (configuration, gazetteer); follows symlinks, as /etc does.
    public static func readText(at path: String, maxBytes: Int = 16 << 20) throws(Errno) -> String {
        let fd = try openForReading(path, options: [.closeOnExec])
        defer { try? fd.close() }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = try read(fd, into: &chunk, from: 0)
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
            if bytes.count > maxBytes { throw .fileTooLarge }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `open(2)` for reading, retried on `EINTR` by swift-system.
    private static func openForReading(_ path: String, options: FileDescriptor.OpenOptions) throws(Errno) -> FileDescriptor {
        try throwingErrno { try FileDescriptor.open(path, .readOnly, options: options) }
    }

    /// One `read(2)` into `buffer` from index `start` to its end, retried on `EINTR` by
    /// swift-system; the byte count, 0 at the end of the file.
    private static func read(_ fd: FileDescriptor, into buffer: inout [UInt8], from start: Int) throws(Errno) -> Int {
        try throwingErrno {
            try buffer.withUnsafeMutableBytes { raw in
                try fd.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[start...]))
            }
        }
    }
}

extension FileDescriptor.OpenOptions {
    /// `O_NOCTTY`: opening a terminal does not make it the process's controlling terminal
    /// (swift-system names no such option).
    static var noControllingTerminal: Self { Self(rawValue: O_NOCTTY) }
}

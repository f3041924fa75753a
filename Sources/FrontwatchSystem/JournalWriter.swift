import CSystemd
import Glibc

/// One field of a journal entry: an uppercase name and a value that may hold any bytes.
public struct JournalField: Sendable, Equatable {
    /// The field name: uppercase letters, digits and underscores, not starting with `_`.
    public var name: String
    /// The value, sent as is (newlines and any bytes are allowed by the native protocol).
    public var value: String

    /// Creates a field. Names that journald would reject are normalised, not trusted.
    public init(_ name: String, _ value: String) {
        self.name = JournalField.sanitize(name)
        self.value = value
    }

    /// Uppercases and replaces anything but `[A-Z0-9_]`, and strips leading underscores, so a
    /// caller cannot set trusted fields (`_PID`) or smuggle `=` into a name.
    static func sanitize(_ name: String) -> String {
        var out = ""
        for u in name.utf8 {
            switch u {
            case UInt8(ascii: "a")...UInt8(ascii: "z"): out.append(Character(Unicode.Scalar(u - 32)))
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): out.append(Character(Unicode.Scalar(u)))
            default: out.append("_")
            }
        }
        while out.hasPrefix("_") { out.removeFirst() }
        if out.isEmpty { out = "FIELD" }
        if let first = out.utf8.first, first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9") { out = "F" + out }
        return String(out.prefix(64))
    }
}

/// Writes structured entries to systemd-journald.
///
/// Speaks journald's native protocol itself: one datagram to `/run/systemd/journal/socket`, each
/// field `NAME=value\n`, or `NAME\n` + 64-bit little-endian length + value + `\n` when the value
/// holds a newline, so a value may contain newlines or text like `\nPRIORITY=0` without being able
/// to forge another field. Not `sd_journal_sendv(3)`: it reports success when the socket is
/// missing ("fail silently if the journal is not available"), and an alert sent into that silence
/// would be marked delivered and lost. Here a missing socket is `ENOENT`, a dead one
/// `ECONNREFUSED`, and the caller keeps the alert pending. An entry too big for one datagram
/// (`EMSGSIZE`) goes through `sd_journal_sendv`, which passes it in a memfd.
///
/// One unconnected datagram socket serves every entry for the writer's life (each `sendto(2)`
/// names the path, so a journald that restarts is reached again without a new socket; datagrams
/// from several threads at once do not mix).
public final class JournalWriter: Sendable {
    /// The socket journald listens on.
    public static let socketPath = "/run/systemd/journal/socket"

    let path: String
    /// The writer's socket; -1 if it could not be made, and each send makes one of its own.
    private let fd: Int32

    /// A writer for journald's socket (`path` is for tests: a socket of their own).
    public init(socketPath path: String = JournalWriter.socketPath) {
        self.path = path
        fd = Self.makeSocket()
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    /// A datagram socket with a large send buffer, as libsystemd makes one: a burst of entries
    /// does not block on a busy journald. -1 on failure.
    private static func makeSocket() -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return -1 }
        var size: Int32 = 8 * 1024 * 1024
        _ = setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        return fd
    }

    /// True when something is bound to this writer's socket: `connect(2)` of a datagram socket
    /// succeeds only then (`ENOENT` without the file, `ECONNREFUSED` with a stale one).
    public var isListening: Bool {
        guard let address = try? unixSocketAddress(path) else { return false }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var copy = address
        return withUnsafePointer(to: &copy) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) == 0
            }
        }
    }

    /// Sends one entry; throws `ENOENT` when journald's socket is missing, `ECONNREFUSED` when
    /// no journald listens on it, or another errno of `sendto(2)`.
    public func send(_ fields: [JournalField]) throws(Errno) {
        let payload = Self.nativePayload(fields)
        let own = fd >= 0 ? -1 : Self.makeSocket()
        defer { if own >= 0 { close(own) } }
        let fd = self.fd >= 0 ? self.fd : own
        if fd < 0 { throw Errno.current }
        var address = try unixSocketAddress(path)
        do {
            _ = try syscall {
                payload.withUnsafeBytes { bytes in
                    withUnsafePointer(to: &address) {
                        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                            sendto(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL), $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                        }
                    }
                }
            }
        } catch {
            guard error.code == EMSGSIZE, path == Self.socketPath else { throw error }
            try sendLarge(fields)
        }
    }

    /// An entry too large for a datagram: libsystemd sends it in a memfd. Checked for a listening
    /// journald first, since libsystemd reports success without one.
    private func sendLarge(_ fields: [JournalField]) throws(Errno) {
        guard isListening else { throw Errno(FileSystem.exists(path) ? ECONNREFUSED : ENOENT) }
        let lines = fields.map { Array(($0.name + "=").utf8) + Array($0.value.utf8) }
        let result = JournalWriter.withIOVecs(lines) { iov in
            cfw_journal_sendv(iov.baseAddress, Int32(iov.count))
        }
        if result < 0 { throw Errno(-result) }
    }

    /// The native protocol's datagram for `fields`.
    static func nativePayload(_ fields: [JournalField]) -> [UInt8] {
        var payload: [UInt8] = []
        for field in fields {
            let value = Array(field.value.utf8)
            payload.append(contentsOf: field.name.utf8)
            if value.contains(0x0A) {
                payload.append(0x0A)
                withUnsafeBytes(of: UInt64(value.count).littleEndian) { payload.append(contentsOf: $0) }
            } else {
                payload.append(UInt8(ascii: "="))
            }
            payload.append(contentsOf: value)
            payload.append(0x0A)
        }
        return payload
    }

    static func withIOVecs<R>(_ lines: [[UInt8]], _ body: (UnsafeBufferPointer<iovec>) -> R) -> R {
        // Copy the lines into one buffer so every iovec can point into stable memory.
        var storage: [UInt8] = []
        storage.reserveCapacity(lines.reduce(0) { $0 + $1.count })
        var offsets: [(Int, Int)] = []
        for line in lines {
            offsets.append((storage.count, line.count))
            storage.append(contentsOf: line)
        }
        return storage.withUnsafeMutableBytes { raw in
            let iovecs = offsets.map { iovec(iov_base: raw.baseAddress! + $0.0, iov_len: $0.1) }
            return iovecs.withUnsafeBufferPointer(body)
        }
    }
}

/// The `sockaddr_un` of a socket path; `ENAMETOOLONG` when it does not fit.
package func unixSocketAddress(_ path: String) throws(Errno) -> sockaddr_un {
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    let bytes = Array(path.utf8)
    guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { throw Errno(ENAMETOOLONG) }
    withUnsafeMutableBytes(of: &address.sun_path) { raw in
        for (i, b) in bytes.enumerated() { raw[i] = b }
    }
    return address
}

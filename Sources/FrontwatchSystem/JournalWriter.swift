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
/// Calls `sd_journal_sendv(3)`, which speaks journald's native protocol on
/// `/run/systemd/journal/socket`: each field is one iovec `NAME=value`, so a value may contain
/// newlines or text like `\nPRIORITY=0` without being able to forge another field.
public struct JournalWriter: Sendable {
    /// The socket journald listens on.
    public static let socketPath = "/run/systemd/journal/socket"

    /// A writer; it holds no state, libsystemd keeps one socket per process.
    public init() {}

    /// True when journald's socket exists (it may still refuse to answer).
    public static var isAvailable: Bool {
        FileSystem.exists(socketPath)
    }

    /// Sends one entry; throws the errno libsystemd reports (`ENOENT` when journald is absent).
    public func send(_ fields: [JournalField]) throws(Errno) {
        let lines = fields.map { Array(($0.name + "=").utf8) + Array($0.value.utf8) }
        let result = JournalWriter.withIOVecs(lines) { iov in
            cfw_journal_sendv(iov.baseAddress, Int32(iov.count))
        }
        if result < 0 { throw Errno(-result) }
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

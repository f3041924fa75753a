import Glibc

/// The daemon's own resident memory.
public enum ProcessMemory {
    /// Drops the pages of code and constants that start-up touched from this process's resident
    /// set: `madvise(MADV_DONTNEED)` on every read-only, private, file-backed mapping (the
    /// executable and its libraries) that holds no private copy of a page (`Anonymous: 0 kB` in
    /// smaps; relocated constants, written once and then made read-only, are such copies and are
    /// kept). Nothing is lost: the dropped pages are the files' contents, and the ones the daemon
    /// goes on using fault back in from the page cache at their first use. What start-up alone
    /// ran (argument parsing, YAML and ICU, migrations) stops counting against the daemon.
    /// Returns the bytes of mappings advised.
    @discardableResult
    public static func releaseStartupPages() -> Int {
        guard let smaps = try? FileSystem.readText(at: "/proc/self/smaps", maxBytes: 64 << 20) else { return 0 }
        var candidate: (start: UInt, end: UInt)?
        var released = 0
        func flush(anonymousKB: Int) {
            guard let range = candidate, anonymousKB == 0,
                  let address = UnsafeMutableRawPointer(bitPattern: range.start) else { return }
            if madvise(address, Int(range.end - range.start), MADV_DONTNEED) == 0 { released += Int(range.end - range.start) }
        }
        for line in smaps.split(separator: "\n") {
            if line.hasPrefix("Anonymous:") {
                let kb = line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap { Int($0) }
                flush(anonymousKB: kb ?? 1)
                candidate = nil
                continue
            }
            // A mapping's header: start-end perms offset dev inode path
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 6, fields[1].count == 4, fields[0].contains("-") else { continue }
            candidate = nil
            let perms = Array(fields[1].utf8)
            guard fields[5].hasPrefix("/"), perms[0] == UInt8(ascii: "r"), perms[1] == UInt8(ascii: "-"),
                  perms[3] == UInt8(ascii: "p") else { continue }
            let range = fields[0].split(separator: "-")
            guard range.count == 2, let start = UInt(range[0], radix: 16), let end = UInt(range[1], radix: 16), end > start else { continue }
            candidate = (start, end)
        }
        return released
    }
}

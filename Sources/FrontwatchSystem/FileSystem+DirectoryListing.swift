import Glibc

extension FileSystem {
    /// The names in a directory as raw bytes, without `.` and `..`, in no particular order
    /// (`opendir(3)`, `readdir(3)`): bytes, since a name need not be valid UTF-8; the caller
    /// decides what to do with one that is not (`escapedName` shows it).
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
}

import FrontwatchSystem

/// Remembers, in `<state>/analysing`, which file the pipeline is analysing and how many times in
/// a row it has started on it, so that a file which crashes the analysis (a bug, but one that
/// would otherwise restart-loop the daemon for ever, holding every later article back) is set
/// aside after `maxAttempts` crashes instead of being tried again.
///
/// Written before each analysis and never cleared: a file that was recorded is never analysed
/// again, so a stale marker only matters for the file it names, when that file comes back
/// unrecorded, i.e. after a crash during its analysis. A `kill -9` that lands there counts too,
/// which is why one crash is forgiven.
struct AnalysisMarker {
    /// Starts on a file this many times at most; the next start is refused.
    static let maxAttempts = 2

    /// The file's identity as far as the marker cares: the same bytes at the same place.
    struct Key: Equatable {
        var device: UInt64
        var inode: UInt64
        var size: Int64
        var mtime: Int64

        init(_ identity: FileIdentity) {
            (device, inode, size, mtime) = (identity.device, identity.inode, identity.size, identity.mtimeNanoseconds)
        }

        init(device: UInt64, inode: UInt64, size: Int64, mtime: Int64) {
            (self.device, self.inode, self.size, self.mtime) = (device, inode, size, mtime)
        }
    }

    private let path: String
    /// What the marker said at start-up, or after the last `begin`.
    private var current: (key: Key, attempts: Int)?

    /// Reads the marker of an earlier run, if any.
    init(stateDirectory: String) {
        path = stateDirectory + "/analysing"
        if let text = try? FileSystem.readText(at: path, maxBytes: 64 * 1024) {
            current = Self.parse(text)
        }
    }

    /// Notes that analysis of `identity` starts; returns how many times it has started on this
    /// exact file before without finishing (0 normally), and whether the marker could be written.
    mutating func begin(_ identity: FileIdentity, path file: String) -> (crashes: Int, written: Bool) {
        let key = Key(identity)
        let previous = current.map { $0.key == key ? $0.attempts : 0 } ?? 0
        current = (key, previous + 1)
        let text = "\(previous + 1) \(identity.device) \(identity.inode) \(identity.size) \(identity.mtimeNanoseconds)\n\(file)\n"
        do {
            try FileSystem.writeAtomically(text, to: path)
            return (previous, true)
        } catch {
            return (previous, false)
        }
    }

    static func parse(_ text: String) -> (key: Key, attempts: Int)? {
        let fields = text.split(separator: "\n").first?.split(separator: " ").map { String($0) } ?? []
        guard fields.count == 5, let attempts = Int(fields[0]), let device = UInt64(fields[1]), let inode = UInt64(fields[2]),
              let size = Int64(fields[3]), let mtime = Int64(fields[4]) else { return nil }
        return (Key(device: device, inode: inode, size: size, mtime: mtime), attempts)
    }
}

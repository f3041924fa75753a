import FrontwatchSystem

/// Remembers, in `<state>/analysing`, which files the pipeline is analysing and how many times
/// each has been started on without finishing, so that a file which crashes the analysis (a bug,
/// but one that would otherwise restart-loop the daemon for ever, holding every later article
/// back) is set aside after `maxAttempts` crashes instead of being tried again.
///
/// The pipeline analyses files in batches; the marker names the whole batch, once, before its
/// analysis starts. After a crash nobody knows which file of the batch did it, so every file of
/// it counts one attempt and, when it comes back (the start scan finds it unrecorded), is
/// analysed alone, with the marker naming it alone: the one that crashes again reaches
/// `maxAttempts` and is set aside, the others go through. A `kill -9` that lands during an
/// analysis counts too, which is why one crash is forgiven.
///
/// Written before each analysis and never cleared: a file that was recorded is never analysed
/// again, so a stale entry only matters for a file that comes back unrecorded, i.e. after a
/// crash during its analysis. The file is rewritten in place (`RewritableFile`).
struct AnalysisMarker {
    /// Starts on a file this many times at most; the next start is refused.
    static let maxAttempts = 2
    /// Crashed files carried from run to run at most; files deleted while suspect would
    /// otherwise stay in the marker for ever.
    static let maxCarried = 4096

    /// The file's identity as far as the marker cares: the same bytes at the same place.
    struct Key: Hashable {
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

    /// One file named in the marker.
    struct Entry: Equatable {
        var key: Key
        var attempts: Int
        var path: String
    }

    private let path: String
    private var file: RewritableFile?
    /// Files of an earlier run whose analysis started and never finished, with their attempts.
    private var crashed: [Key: Entry] = [:]

    /// Reads the marker of an earlier run, if any.
    init(stateDirectory: String) {
        path = stateDirectory + "/analysing"
        if let text = try? FileSystem.readText(at: path, maxBytes: 16 << 20) {
            for entry in Self.parse(text).suffix(Self.maxCarried) { crashed[entry.key] = entry }
        }
    }

    /// How many times analysis of this exact file started before without finishing (0 normally).
    func crashes(_ identity: FileIdentity) -> Int {
        crashed[Key(identity)]?.attempts ?? 0
    }

    /// Notes that analysis of `files` starts (a batch, or one suspect file alone); returns
    /// whether the marker could be written. The files of earlier crashes that have not come
    /// back yet stay named, with their counts.
    mutating func begin(_ files: [(identity: FileIdentity, path: String)]) -> Bool {
        var entries: [Entry] = []
        var starting = Set<Key>()
        for (identity, file) in files {
            let key = Key(identity)
            starting.insert(key)
            entries.append(Entry(key: key, attempts: (crashed[key]?.attempts ?? 0) + 1, path: file))
        }
        for entry in crashed.values where !starting.contains(entry.key) { entries.append(entry) }
        var text = "frontwatch-analysing 2 \(entries.count)\n"
        for e in entries {
            // A path is only there for a person reading the file; newlines would break the lines.
            let shown = e.path.contains("\n") ? e.path.split(separator: "\n").joined(separator: "\\n") : e.path
            text += "\(e.attempts) \(e.key.device) \(e.key.inode) \(e.key.size) \(e.key.mtime) \(shown)\n"
        }
        do {
            if file == nil { file = try RewritableFile(path: path) }
            try file!.replaceContents(with: text)
            return true
        } catch {
            return false
        }
    }

    /// Rewrites the marker with only the files of earlier crashes that have not come back yet:
    /// the batch it named ended without a crash but was not recorded (the store could not be
    /// written), so a restart must not count it as an attempt. Returns whether it was written
    /// (a shorter rewrite in place needs no new space on a full disk).
    mutating func settle() -> Bool {
        begin([])
    }

    /// Notes that the analysis of these files ended without a crash: they are no longer suspect.
    mutating func finished(_ identities: some Sequence<FileIdentity>) {
        guard !crashed.isEmpty else { return }
        for identity in identities { crashed[Key(identity)] = nil }
    }

    /// The entries of a marker's text: version 2 (`frontwatch-analysing 2 COUNT` then one line
    /// per file), or the single-file version 1 of earlier releases (`ATTEMPTS DEV INO SIZE MTIME`,
    /// then the path). A damaged marker (a power cut during its rewrite) yields what parses.
    static func parse(_ text: String) -> [Entry] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let first = lines.first else { return [] }
        let header = first.split(separator: " ")
        if header.count == 3, header[0] == "frontwatch-analysing", header[1] == "2", let count = Int(header[2]) {
            return lines.dropFirst().prefix(count).compactMap { line -> Entry? in
                let fields = line.split(separator: " ", maxSplits: 5)
                guard fields.count >= 5, let entry = entry(fields.prefix(5).map(String.init)) else { return nil }
                return Entry(key: entry.key, attempts: entry.attempts, path: fields.count > 5 ? String(fields[5]) : "")
            }
        }
        guard let entry = entry(header.map(String.init)) else { return [] }
        return [Entry(key: entry.key, attempts: entry.attempts, path: lines.count > 1 ? String(lines[1]) : "")]
    }

    private static func entry(_ fields: [String]) -> (key: Key, attempts: Int)? {
        guard fields.count == 5, let attempts = Int(fields[0]), let device = UInt64(fields[1]), let inode = UInt64(fields[2]),
              let size = Int64(fields[3]), let mtime = Int64(fields[4]) else { return nil }
        return (Key(device: device, inode: inode, size: size, mtime: mtime), attempts)
    }
}

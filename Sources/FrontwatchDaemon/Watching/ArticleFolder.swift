import FrontwatchSystem

/// A folder of articles as the daemon reads it: which of its entries are articles, and the path
/// each one is known by (in the store, the log, and the alert ids computed from it).
///
/// The daemon's start scan and rescans list the watch folder through it, and so do `replay`,
/// `eval`, `train` and `analyze` when given a folder, so that an offline command reads exactly
/// the files the daemon would, under the same names.
public struct ArticleFolder: Sendable {
    /// The folder, resolved (`FileSystem.resolvedPath`): absolute, without symlinks, `.` or `..`.
    public let path: String
    /// The names skipped (`watch.ignore`).
    public let ignore: IgnoreRules

    /// The folder at `path`, resolved now: `dir`, `./dir/` and `/abs/dir` are one folder, with
    /// one set of article paths, whatever the current directory or a symlink on the way.
    public init(path: String, ignore: IgnoreRules) {
        self.path = FileSystem.resolvedPath(path)
        self.ignore = ignore
    }

    /// The folder at `path`, skipping the names `config` ignores.
    public init(path: String, config: FrontwatchConfig) {
        self.init(path: path, ignore: IgnoreRules(patterns: config.ignorePatterns))
    }

    /// What a listing found.
    public struct Listing: Sendable, Equatable {
        /// The names read as articles, sorted: the order the daemon queues them in at a scan.
        public var names: [String]
        /// Names that are not valid UTF-8, as raw bytes: the daemon rejects them (they cannot be
        /// carried as paths); ignore patterns are not applied to them.
        public var undecodable: [[UInt8]]
    }

    /// The entries that are articles: every name that is valid UTF-8 and matches no ignore
    /// pattern. What each is (a regular file, a directory, a link) is not looked at here: the
    /// daemon rejects what is not a regular file with a reason, and so do the offline commands.
    public func list() throws(Errno) -> Listing {
        var listing = Listing(names: [], undecodable: [])
        for raw in try FileSystem.rawEntries(of: path) {
            guard let name = String(validating: raw, as: UTF8.self) else {
                listing.undecodable.append(raw)
                continue
            }
            if reads(name) { listing.names.append(name) }
        }
        listing.names.sort()
        return listing
    }

    /// True when a file of this name is read as an article (no ignore pattern matches it).
    public func reads(_ name: String) -> Bool {
        !ignore.matches(name)
    }

    /// The path of the entry `name`: the folder's resolved path, a slash, the name.
    public func path(of name: String) -> String {
        path == "/" ? "/" + name : path + "/" + name
    }
}

import FrontwatchCore
import FrontwatchSystem
import Logging

/// What happened to one file.
public enum FileOutcome: Sendable, Equatable {
    /// Read, analysed and recorded; these alerts were raised (and are pending delivery).
    case processed(events: Int, alerts: [Alert])
    /// Same content as a file processed before.
    case duplicate(of: String)
    /// Could not be read as an article.
    case rejected(reason: String)
    /// This exact file was handled before (a rescan or restart found it again).
    case alreadySeen
    /// The name matches an ignore pattern, or the file vanished before it could be read.
    case ignored
}

/// The analysis step: file path in, recorded events and pending alerts out.
///
/// An actor because SIGHUP swaps its configuration and gazetteer while it runs.
public actor ArticlePipeline {
    private var settings: FrontwatchConfig
    private var extractor: Extractor
    private var tracker: AxisTracker
    private var ignore: IgnoreRules
    private var scratch = Extractor.Scratch()
    private var marker: AnalysisMarker
    private var markerWarned = false
    private let database: AppDatabase
    private let logger: Logger

    /// Counters for `STATUS=` and the final log line.
    public struct Counters: Sendable, Equatable {
        /// Articles read and recorded.
        public var processed = 0
        /// Files whose content had been seen before.
        public var duplicates = 0
        /// Files that could not be read as articles.
        public var rejected = 0
        /// Alerts raised.
        public var alerts = 0
    }

    /// Counts since start.
    public private(set) var counters = Counters()

    /// A pipeline over a store.
    public init(loaded: LoadedConfig, database: AppDatabase, logger: Logger) {
        self.settings = loaded.config
        self.extractor = Extractor(gazetteer: loaded.gazetteer)
        self.tracker = AxisTracker(policy: loaded.config.tracker)
        self.ignore = IgnoreRules(patterns: loaded.config.ignorePatterns)
        self.database = database
        self.logger = logger
        self.marker = AnalysisMarker(stateDirectory: loaded.config.stateDirectory)
    }

    /// Swaps in a new configuration and gazetteer (SIGHUP). State is untouched.
    public func reload(_ loaded: LoadedConfig) {
        settings = loaded.config
        extractor = Extractor(gazetteer: loaded.gazetteer)
        tracker = AxisTracker(policy: loaded.config.tracker)
        ignore = IgnoreRules(patterns: loaded.config.ignorePatterns)
    }

    /// True when the name matches an ignore pattern.
    public func isIgnored(name: String) -> Bool {
        ignore.matches(name)
    }

    /// Reads, analyses and records one file of the watch folder.
    public func process(path: String) -> FileOutcome {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        if ignore.matches(name) { return .ignored }
        let identity: FileIdentity
        do {
            identity = try FileSystem.identity(of: path)
        } catch {
            if error.code == ENOENT_ { return .ignored }
            return reject(path: path, identity: nil, reason: "stat", message: "cannot be examined: \(error)", errno: error)
        }
        do {
            if try database.hasSeen(path: path, identity: identity) { return .alreadySeen }
        } catch {
            logger.error("state database read failed", metadata: ["error": "\(error)"])
        }
        if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return reject(path: path, identity: identity, reason: "invalid-name",
                          message: "has control characters (such as a newline) in its name; rename it to a plain name to have it read",
                          errno: nil, movable: false)
        }
        if identity.kind == .directory {
            return reject(path: path, identity: identity, reason: "directory",
                          message: "is a directory; frontwatch reads the files directly in the watch folder, not subfolders", errno: nil)
        }
        // Decided on lstat before any open: opening a device node can have side effects, and a
        // link is never followed. readRegularFile checks again on the descriptor (a race).
        if identity.kind == .symlink {
            return reject(path: path, identity: identity, reason: "symlink",
                          message: "is a symbolic link; frontwatch does not follow links (move or copy the file itself into the folder)",
                          errno: nil)
        }
        if identity.kind != .regular {
            return reject(path: path, identity: identity, reason: "not-regular",
                          message: "is a \(identity.kind.rawValue), not a regular file; only regular files are read", errno: nil)
        }
        let snapshot: FileSnapshot
        do {
            snapshot = try FileSystem.readRegularFile(at: path, maxBytes: settings.maxFileBytes)
        } catch {
            if error.errno?.code == ENOENT_ { return .ignored }
            return reject(path: path, identity: identity, reason: error.reason, message: error.message, errno: error.errno)
        }
        if let longest = Self.longestLine(snapshot.bytes, over: settings.maxLineBytes) {
            return reject(path: path, identity: snapshot.identity, reason: "line-too-long",
                          message: "has a line of \(longest) bytes or more with no line break, over the cap of \(settings.maxLineBytes) bytes (watch.max_line_bytes); wrap the text or raise the cap",
                          errno: nil)
        }
        var hash = StableHash()
        hash.combine(bytes: snapshot.bytes)
        let record = FileRecord(path: path, identity: snapshot.identity, contentHash: hash.hex + "-" + String(snapshot.bytes.count))
        do {
            if let original = try database.processedPath(withContentHash: record.contentHash!) {
                try database.recordDuplicate(record, of: original)
                counters.duplicates += 1
                logger.info("duplicate article: same content as an earlier file", metadata: ["file": "\(path)", "original": "\(original)"])
                return .duplicate(of: original)
            }
        } catch {
            logger.error("state database failed", metadata: ["error": "\(error)", "file": "\(path)"])
        }
        let (crashes, written) = marker.begin(snapshot.identity, path: path)
        if !written, !markerWarned {
            markerWarned = true
            logger.warning("cannot write \(settings.stateDirectory)/analysing; a file that crashes the analysis would be retried at every restart",
                           metadata: ["folder": "\(settings.stateDirectory)"])
        }
        if crashes >= AnalysisMarker.maxAttempts {
            return reject(path: path, identity: snapshot.identity, reason: "analysis-crashed",
                          message: "stopped frontwatch \(crashes) times while being analysed; it is set aside so that the articles behind it get through. This is a bug: please report it with the file",
                          errno: nil)
        }
        let article: Article
        do {
            article = try ArticleParser.parse(bytes: snapshot.bytes,
                                              fallbackDate: CalendarDay(unixSeconds: snapshot.identity.mtimeSeconds))
        } catch {
            return reject(path: path, identity: snapshot.identity, reason: error.code.rawValue, message: error.message, errno: nil)
        }
        if article.dateSource == .fileModification {
            logger.notice("article has no date header; using the file's modification date",
                          metadata: ["file": "\(path)", "date": "\(article.date?.description ?? "?")"])
        }
        if article.encoding != .utf8 {
            logger.notice("article is not UTF-8; decoded as \(article.encoding.rawValue)", metadata: ["file": "\(path)"])
        }
        let events = extractor.extract(from: article, scratch: &scratch)
        do {
            let alerts = try database.recordArticle(record, article: article, events: events, tracker: tracker)
            counters.processed += 1
            counters.alerts += alerts.count
            logger.debug("article processed", metadata: ["file": "\(path)", "events": "\(events.count)", "alerts": "\(alerts.count)"])
            return .processed(events: events.count, alerts: alerts)
        } catch {
            logger.error("could not record the article in the state database; it will be read again on the next rescan",
                         metadata: ["file": "\(path)", "error": "\(error)"])
            return .ignored
        }
    }

    /// Rejects a file whose name is not valid UTF-8 (once per file identity).
    public func rejectUndecodableName(directory: String, bytes: [UInt8]) -> FileOutcome {
        let raw = Array(directory.utf8) + [UInt8(ascii: "/")] + bytes
        let shown = directory + "/" + FileSystem.escapedName(bytes)
        guard let identity = try? FileSystem.identity(ofRawPath: raw) else { return .ignored }
        if (try? database.hasSeen(path: shown, identity: identity)) == true { return .alreadySeen }
        return reject(path: shown, identity: identity, reason: "invalid-name",
                      message: "has a name that is not valid UTF-8; rename it (e.g. with `mv` and a UTF-8 name) to have it read",
                      errno: nil, movable: false)
    }

    private func reject(path: String, identity: FileIdentity?, reason: String, message: String, errno: Errno?,
                        movable: Bool = true) -> FileOutcome {
        counters.rejected += 1
        var metadata: Logger.Metadata = [
            "message_id": "\(MessageID.fileRejected)",
            "file": "\(path)",
            "reason": "\(reason)",
        ]
        if let errno { metadata["errno"] = "\(errno.code)" }
        var where_ = ""
        if movable, settings.rejected == .move, identity?.kind != .directory {
            switch RejectedFolder.move(path: path, reason: "\(reason): \(message)", stateDirectory: settings.stateDirectory) {
            case .success(let moved):
                where_ = "; moved to \(moved)"
                metadata["moved_to"] = "\(moved)"
            case .failure(let error):
                where_ = "; left in place: it could not be moved to \(settings.stateDirectory)/rejected (\(error))"
            }
        }
        logger.error("rejected \(Self.printable(path)): \(message)\(where_)", metadata: metadata)
        do {
            try database.recordRejected(path: path, identity: identity, reason: "\(reason): \(message)")
        } catch {
            logger.error("state database write failed", metadata: ["error": "\(error)"])
        }
        return .rejected(reason: reason)
    }

    /// The length of the first line longer than `limit` bytes, or nil when every line fits.
    static func longestLine(_ bytes: [UInt8], over limit: Int) -> Int? {
        var start = 0
        var found: Int?
        bytes.withUnsafeBufferPointer { buffer in
            for i in 0...buffer.count where i == buffer.count || buffer[i] == 0x0A {
                if i - start > limit {
                    found = i - start
                    return
                }
                start = i + 1
            }
        }
        return found
    }

    /// A path made safe for a one-line message: control characters shown as escapes.
    static func printable(_ path: String) -> String {
        var out = ""
        for scalar in path.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F {
                out += "\\x" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

let ENOENT_: Int32 = 2

import Foundation
import FrontwatchCore
import FrontwatchSystem
import Logging

/// The daemon's configuration, as read from `frontwatch.yaml` (see `config/frontwatch.yaml`).
///
/// Every key has a default, so an empty file, or none at all, gives a working daemon.
public struct FrontwatchConfig: Sendable, Equatable {
    /// How the watch folder is watched.
    public enum WatchMode: String, Sendable, Codable {
        /// inotify(7): instant, for local filesystems.
        case inotify
        /// Periodic rescans, for network filesystems where inotify delivers nothing.
        case poll
    }

    /// What happens to a file frontwatch cannot read as an article.
    public enum RejectedPolicy: String, Sendable, Codable {
        /// Leave it where it is and remember it (by path, inode, size, mtime) so it is not retried.
        case keep
        /// Move it to `rejected/` beside the state database, with a `NAME.reason` file.
        case move
    }

    /// The folder articles are dropped into.
    public var watchDirectory: String
    /// Where the SQLite database lives.
    public var stateDirectory: String
    /// inotify or poll.
    public var watchMode: WatchMode
    /// Poll mode: seconds between scans.
    public var pollIntervalSeconds: Double
    /// inotify mode: seconds between full rescans of the folder, which catch what no event
    /// reports (a file made readable through a parent folder or a group change); 0: never.
    public var rescanSeconds: Double
    /// A file written in place is processed once it has been closed and left unchanged this long.
    public var settleSeconds: Double
    /// A file that keeps changing is processed anyway after this long (as Syncthing does).
    public var maxSettleSeconds: Double
    /// Glob patterns of names to ignore (editor and transfer temp files, a folder's README and
    /// JSON data files). The daemon, `replay`, `eval` and `analyze` of a folder skip the same.
    public var ignorePatterns: [String]
    /// Files larger than this are rejected unread.
    public var maxFileBytes: Int
    /// Files with a line longer than this are rejected before analysis: a sentence with no breaks
    /// that long is not reporting, and analysing it would hold up every article behind it.
    public var maxLineBytes: Int
    /// Files of this size or more are analysed alone, one at a time, after the smaller files that
    /// arrived with them: a normal article never waits behind a batch of large ones.
    public var largeArticleBytes: Int
    /// Articles dated more than this many days after today are rejected: a date in the future
    /// would hold an axis's state (its episode and cooldown) until then.
    public var futureDays: Int
    /// What happens to rejected files.
    public var rejected: RejectedPolicy
    /// Episode window, cooldown, eased alerts, confidence floor.
    public var tracker: TrackerPolicy
    /// Path of the gazetteer; relative paths are relative to the config file's folder.
    public var gazetteerPath: String?
    /// Path of the trained scorer; relative paths are relative to the config file's folder.
    public var scorerPath: String?
    /// Path of the lexicon; relative paths are relative to the config file's folder.
    public var lexiconPath: String?
    /// Minimum level of the daemon's own log messages.
    public var logLevel: Logger.Level
    /// Repeated reports (one file rejected again and again) are summarised once per this many seconds.
    public var logSummarySeconds: Double
    /// Rejection reports for one file that go out as they are in each summary interval; the rest
    /// are held back and summarised.
    public var logReportsPerFile: Int
    /// Per-file notes of one kind (duplicate, no date header, decoded) that go out as they are in
    /// each summary interval; the rest are counted in one summary line.
    public var logNoticesPerInterval: Int
    /// Seconds between retries of alerts the journal did not take.
    public var alertRetrySeconds: Double
    /// Seconds before the first retry of a state-database write that failed (a full disk); each
    /// failed retry doubles the wait, up to `storageMaxRetrySeconds`.
    public var storageRetrySeconds: Double
    /// The longest wait between retries of a failed state-database write.
    public var storageMaxRetrySeconds: Double
    /// Events stored per article at most (the best one of each axis and change always is).
    public var maxEventsPerArticle: Int
    /// Events stored per article and axis at most.
    public var maxEventsPerAxis: Int
    /// Evidence sentences longer than this are stored (and alerted) cut, with an ellipsis.
    public var maxEvidenceBytes: Int

    /// The built-in defaults.
    public init() {
        watchDirectory = "/var/spool/frontwatch/inbox"
        stateDirectory = "/var/lib/frontwatch"
        watchMode = .inotify
        pollIntervalSeconds = 5
        rescanSeconds = 600
        settleSeconds = 1
        maxSettleSeconds = 60
        ignorePatterns = [".*", "*.tmp", "*.part", "*.swp", "*~", ".#*", "*.crdownload", "README*", "*.json"]
        maxFileBytes = 16 * 1024 * 1024
        maxLineBytes = 64 * 1024
        largeArticleBytes = 1 << 20
        futureDays = 2
        rejected = .keep
        tracker = TrackerPolicy()
        gazetteerPath = nil
        scorerPath = nil
        lexiconPath = nil
        logLevel = .info
        logSummarySeconds = 60
        logReportsPerFile = 3
        logNoticesPerInterval = 10
        alertRetrySeconds = 5
        storageRetrySeconds = 1
        storageMaxRetrySeconds = 30
        maxEventsPerArticle = 100
        maxEventsPerAxis = 10
        maxEvidenceBytes = 2000
    }
}

extension FrontwatchConfig {
    struct File: Decodable {
        struct Watch: Decodable {
            var directory: String?
            var mode: WatchMode?
            var poll_interval_seconds: Double?
            var rescan_seconds: Double?
            var settle_seconds: Double?
            var max_settle_seconds: Double?
            var ignore: [String]?
            var max_file_bytes: Int?
            var max_line_bytes: Int?
            var large_article_bytes: Int?
            var future_days: Int?
            var rejected: RejectedPolicy?
        }
        struct State: Decodable {
            var directory: String?
            var retry_seconds: Double?
            var max_retry_seconds: Double?
            var max_events_per_article: Int?
            var max_events_per_axis: Int?
            var max_evidence_bytes: Int?
        }
        struct Log: Decodable {
            var level: String?
            var summary_interval_seconds: Double?
            var reports_per_file: Int?
            var notices_per_interval: Int?
        }
        struct Alerts: Decodable { var retry_seconds: Double? }
        var watch: Watch?
        var state: State?
        var tracker: TrackerPolicy?
        var gazetteer: String?
        var scorer: String?
        var lexicon: String?
        var log: Log?
        var alerts: Alerts?
    }

    /// Parses a configuration file's text over the defaults. `baseDirectory` resolves a relative
    /// gazetteer path.
    public static func parse(yaml: String, baseDirectory: String?) throws(ConfigError) -> FrontwatchConfig {
        var config = FrontwatchConfig()
        let file: File
        do {
            file = try YAMLText.decode(File.self, from: yaml) ?? File()
        } catch {
            throw ConfigError(code: "config-syntax", message: "the configuration is not valid: \(ConfigError.describe(error))",
                              underlying: String(describing: error))
        }
        if let w = file.watch {
            if let v = w.directory { config.watchDirectory = v }
            if let v = w.mode { config.watchMode = v }
            if let v = w.poll_interval_seconds { config.pollIntervalSeconds = v }
            if let v = w.rescan_seconds { config.rescanSeconds = v }
            if let v = w.settle_seconds { config.settleSeconds = v }
            if let v = w.max_settle_seconds { config.maxSettleSeconds = v }
            if let v = w.ignore { config.ignorePatterns = v }
            if let v = w.max_file_bytes { config.maxFileBytes = v }
            if let v = w.max_line_bytes { config.maxLineBytes = v }
            if let v = w.large_article_bytes { config.largeArticleBytes = v }
            if let v = w.future_days { config.futureDays = v }
            if let v = w.rejected { config.rejected = v }
        }
        if let v = file.state?.directory { config.stateDirectory = v }
        if let v = file.state?.retry_seconds { config.storageRetrySeconds = v }
        if let v = file.state?.max_retry_seconds { config.storageMaxRetrySeconds = v }
        if let v = file.state?.max_events_per_article { config.maxEventsPerArticle = v }
        if let v = file.state?.max_events_per_axis { config.maxEventsPerAxis = v }
        if let v = file.state?.max_evidence_bytes { config.maxEvidenceBytes = v }
        if let v = file.tracker { config.tracker = v }
        if let v = file.gazetteer {
            config.gazetteerPath = v.hasPrefix("/") || baseDirectory == nil ? v : baseDirectory! + "/" + v
        }
        if let v = file.lexicon {
            config.lexiconPath = v.hasPrefix("/") || baseDirectory == nil ? v : baseDirectory! + "/" + v
        }
        if let v = file.scorer {
            config.scorerPath = v.hasPrefix("/") || baseDirectory == nil ? v : baseDirectory! + "/" + v
        }
        if let v = file.log?.level {
            guard let level = Logger.Level(rawValue: v.lowercased()) else {
                throw ConfigError(code: "config-value", message: "log.level \"\(v)\" is not a level; use trace, debug, info, notice, warning, error or critical")
            }
            config.logLevel = level
        }
        if let v = file.alerts?.retry_seconds { config.alertRetrySeconds = v }
        if let v = file.log?.summary_interval_seconds { config.logSummarySeconds = v }
        if let v = file.log?.reports_per_file { config.logReportsPerFile = v }
        if let v = file.log?.notices_per_interval { config.logNoticesPerInterval = v }
        try config.validate()
        return config
    }

    /// Rejects values that cannot work, with a message naming the key.
    public func validate() throws(ConfigError) {
        func bad(_ key: String, _ why: String) -> ConfigError {
            ConfigError(code: "config-value", message: "\(key): \(why)")
        }
        if pollIntervalSeconds <= 0 { throw bad("watch.poll_interval_seconds", "must be greater than 0") }
        if rescanSeconds < 0 { throw bad("watch.rescan_seconds", "must be 0 (never) or more") }
        if settleSeconds < 0 { throw bad("watch.settle_seconds", "must be 0 or more") }
        if maxSettleSeconds < settleSeconds { throw bad("watch.max_settle_seconds", "must be at least watch.settle_seconds") }
        if maxFileBytes <= 0 { throw bad("watch.max_file_bytes", "must be greater than 0") }
        if maxLineBytes <= 0 { throw bad("watch.max_line_bytes", "must be greater than 0") }
        if largeArticleBytes <= 0 { throw bad("watch.large_article_bytes", "must be greater than 0") }
        if futureDays < 0 { throw bad("watch.future_days", "must be 0 or more") }
        if tracker.windowDays < 0 { throw bad("tracker.window_days", "must be 0 or more") }
        if tracker.cooldownDays < 0 { throw bad("tracker.cooldown_days", "must be 0 or more") }
        if !(0...1).contains(tracker.minConfidence) { throw bad("tracker.min_confidence", "must be between 0 and 1") }
        if alertRetrySeconds <= 0 { throw bad("alerts.retry_seconds", "must be greater than 0") }
        if maxEventsPerArticle < 1 { throw bad("state.max_events_per_article", "must be at least 1") }
        if maxEventsPerAxis < 1 { throw bad("state.max_events_per_axis", "must be at least 1") }
        if maxEvidenceBytes < 80 { throw bad("state.max_evidence_bytes", "must be at least 80") }
        if storageRetrySeconds <= 0 { throw bad("state.retry_seconds", "must be greater than 0") }
        if storageMaxRetrySeconds < storageRetrySeconds { throw bad("state.max_retry_seconds", "must be at least state.retry_seconds") }
        if logSummarySeconds <= 0 { throw bad("log.summary_interval_seconds", "must be greater than 0") }
        if logNoticesPerInterval < 1 { throw bad("log.notices_per_interval", "must be at least 1") }
        if logReportsPerFile < 1 { throw bad("log.reports_per_file", "must be at least 1") }
        if watchDirectory.isEmpty { throw bad("watch.directory", "must not be empty") }
        if stateDirectory.isEmpty { throw bad("state.directory", "must not be empty") }
    }
}

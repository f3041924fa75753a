import Foundation
import FrontwatchCore
import FrontwatchSystem
import Logging
import Synchronization

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
    /// Analysed, but the state database could not be written (a full disk, an I/O error): not
    /// recorded, not a crash; the file waits and is read again when a retry can write.
    case deferred(StorageFailure)
}

/// The analysis step: file paths in, recorded events and pending alerts out.
///
/// Files come in batches: the cheap checks (ignore rules, `lstat`, already seen: one read
/// transaction), then reading, decoding, parsing and extraction of the batch on every core, then
/// one write transaction that records them all, in the order given, which is the order the
/// tracker sees their events in.
///
/// An actor because SIGHUP swaps its configuration and gazetteer while it runs.
public actor ArticlePipeline {
    private var settings: FrontwatchConfig
    private var extractor: Extractor
    private var tracker: AxisTracker
    private var ignore: IgnoreRules
    private var scratch: Extractor.Scratch
    /// Set once, when the daemon is told to stop: an analysis under way ends at once.
    private nonisolated let stopping = StopFlag()
    /// Advanced by every article analysed and every batch recorded, from any lane: the
    /// watchdog tick pings while it moves, so a long batch is not taken for a stuck loop, and
    /// a loop that is stuck (no article finishes) stops the pings.
    public nonisolated let progress = ProgressCounter()
    /// Scratch buffers are kept between articles up to this size (a large article's are let go).
    static let scratchKeepBytes = 1 << 20

    /// Files of this size or more are analysed alone (`watch.large_article_bytes`).
    public var largeArticleBytes: Int { settings.largeArticleBytes }

    /// Ends the analysis under way within a fraction of a second, and every later one at its
    /// start: their files are not recorded (the next start reads them). For a graceful stop.
    public nonisolated func stop() {
        stopping.set()
    }
    /// Files analysed side by side.
    private let lanes: Int
    private var marker: AnalysisMarker
    private var markerWarned = false
    private let database: AppDatabase
    private let logger: Logger
    /// Rejection reports per path: a few as they come, then one summary per interval.
    private var rejections: ReportLimiter
    /// The daemon's per-file notes (info, notice) per kind: a few as they come, then one summary
    /// per interval, so they never spend the eased alerts' share of journald's rate limit.
    private var notes: ReportLimiter
    /// The level each kind of note was logged at, for its summary.
    private var noteLevels: [String: Logger.Level] = [:]

    /// The kinds of per-file notes.
    enum NoteKind: String {
        case duplicate, undated, decoded, readable

        func summary(_ count: Int, seconds: String, reasons: String) -> String {
            switch self {
            case .duplicate: "\(count) more duplicate articles (same content as an earlier file) within \(seconds) s"
            case .undated: "\(count) more articles had no date header (their files' modification dates were used) within \(seconds) s"
            case .decoded: "\(count) more articles were not UTF-8 and were decoded (\(reasons)) within \(seconds) s"
            case .readable: "\(count) more files rejected as unreadable could be read within \(seconds) s"
            }
        }
    }

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
    /// Why the last reload was refused, while the configuration it refused is not replaced by a
    /// good one: `STATUS=` keeps saying it, so `systemctl status` does not read "reloaded".
    public private(set) var refusedReload: String?

    /// Records the outcome of a reload: the reason it was refused, or nil once one succeeded.
    public func noteReload(refused reason: String?) {
        refusedReload = reason
    }

    /// The alerts not yet in the journal when the analysis loop last reported them.
    private var pendingAlerts = 0

    /// The counts `STATUS=` reports (with `pending`, the alerts not yet in the journal, as the
    /// analysis loop knows them; nil: as it last said), and the last reload's refusal while it stands.
    public func statusLine(pending: Int? = nil) -> String {
        if let pending { pendingAlerts = pending }
        let c = counters
        let counts = "processed \(c.processed), duplicates \(c.duplicates), rejected \(c.rejected), alerts \(c.alerts), pending \(pendingAlerts)"
        return refusedReload.map { counts + "; " + $0 } ?? counts
    }

    /// A pipeline over a store; `lanes` files are analysed at once (default: one per core, at most 8).
    public init(loaded: LoadedConfig, database: AppDatabase, logger: Logger, lanes: Int? = nil) {
        self.settings = loaded.config
        self.extractor = loaded.extractor
        self.tracker = AxisTracker(policy: loaded.config.tracker)
        self.ignore = IgnoreRules(patterns: loaded.config.ignorePatterns)
        self.database = database
        self.logger = logger
        self.scratch = Extractor.Scratch(shouldStop: stopping.isSet)
        self.marker = AnalysisMarker(stateDirectory: loaded.config.stateDirectory)
        self.rejections = Self.rejectionLimiter(loaded.config)
        self.notes = Self.noteLimiter(loaded.config)
        self.lanes = max(1, lanes ?? min(8, ProcessInfo.processInfo.activeProcessorCount))
    }

    /// Swaps in a new configuration and gazetteer (SIGHUP). State is untouched.
    public func reload(_ loaded: LoadedConfig) {
        settings = loaded.config
        extractor = loaded.extractor
        tracker = AxisTracker(policy: loaded.config.tracker)
        ignore = IgnoreRules(patterns: loaded.config.ignorePatterns)
        let limiter = Self.rejectionLimiter(loaded.config)
        let noteLimiter = Self.noteLimiter(loaded.config)
        if limiter.burst != rejections.burst || limiter.interval != rejections.interval || noteLimiter.burst != notes.burst {
            flushReports(now: .now + .seconds(365 * 86_400))  // what was held, said before the limits change
            rejections = limiter
            notes = noteLimiter
        }
    }

    static func rejectionLimiter(_ config: FrontwatchConfig) -> ReportLimiter {
        ReportLimiter(burst: config.logReportsPerFile, interval: .milliseconds(Int64(config.logSummarySeconds * 1000)))
    }

    static func noteLimiter(_ config: FrontwatchConfig) -> ReportLimiter {
        ReportLimiter(burst: config.logNoticesPerInterval, interval: .milliseconds(Int64(config.logSummarySeconds * 1000)))
    }

    /// When the earliest held-back report is due to be summarised; nil when none is held.
    public var nextReportDue: ContinuousClock.Instant? {
        [rejections.nextDue, notes.nextDue].compactMap { $0 }.min()
    }

    /// Sends the summaries of the intervals that have ended: one line per path whose rejection
    /// reports were held back, with how many and why, and one per kind of note held back.
    public func flushReports(now: ContinuousClock.Instant = .now) {
        for summary in rejections.takeDue(now: now) { logSummary(summary) }
        for summary in notes.takeDue(now: now) { logNoteSummary(summary) }
    }

    /// A per-file note, rate-limited by kind (`log.notices_per_interval`).
    private func note(_ kind: NoteKind, _ level: Logger.Level, _ message: Logger.Message, metadata: Logger.Metadata,
                      reason: String = "") {
        let decision = notes.admit(kind.rawValue, reason: reason, now: .now)
        if let summary = decision.summary { logNoteSummary(summary) }
        noteLevels[kind.rawValue] = level
        if decision.report {
            logger.log(level: level, message, metadata: metadata)
        } else {
            logger.debug(message, metadata: metadata)
        }
    }

    private func logNoteSummary(_ s: ReportLimiter.Summary) {
        guard let kind = NoteKind(rawValue: s.key) else { return }
        let seconds = AnalysisService.seconds(s.interval)
        logger.log(level: noteLevels[s.key] ?? .info,
                   "\(kind.summary(s.held, seconds: seconds, reasons: s.reasonList)); after \(notes.burst) per \(seconds) s they are counted, not logged one by one (log.notices_per_interval), so they leave journald's rate limit to the alerts",
                   metadata: ["note": "\(kind.rawValue)", "repeats": "\(s.held)"])
    }

    private func logSummary(_ s: ReportLimiter.Summary) {
        let seconds = AnalysisService.seconds(s.interval)
        logger.error("rejected \(Self.printable(s.key)) \(s.held) more times within \(seconds) s (\(s.reasonList)): the name keeps changing; reports for it are held back after \(rejections.burst) per \(seconds) s (log.reports_per_file) and summarised",
                     metadata: ["message_id": "\(MessageID.fileRejected)", "file": "\(s.key)", "reason": "repeated",
                                "repeats": "\(s.held)", "reasons": "\(s.reasonList)"])
    }

    /// True when the name matches an ignore pattern.
    public func isIgnored(name: String) -> Bool {
        ignore.matches(name)
    }

    /// Reads, analyses and records one file of the watch folder.
    public func process(path: String) async -> FileOutcome {
        await process(paths: [path])[0]
    }

    /// A file that passed the cheap checks, waiting for analysis.
    struct Candidate: Sendable {
        var index: Int
        var path: String
        var identity: FileIdentity
        /// Rejected before as unreadable: tried again; unreadable again, it is not reported again.
        var unreadableBefore = false
    }

    /// Reads, analyses and records files of the watch folder; returns each one's outcome, in
    /// order. With `onlyUnreadable` (a file's permissions changed), only files rejected before as
    /// unreadable are tried again; others are left to the event that brings them.
    public func process(paths: [String], onlyUnreadable: Bool = false) async -> [FileOutcome] {
        var outcomes = [FileOutcome](repeating: .ignored, count: paths.count)
        var stated: [Candidate] = []
        stated.reserveCapacity(paths.count)
        for (index, path) in paths.enumerated() {
            let name = path.split(separator: "/").last.map(String.init) ?? path
            if ignore.matches(name) { continue }
            do {
                stated.append(Candidate(index: index, path: path, identity: try FileSystem.identity(of: path)))
            } catch {
                if !error.isNoSuchFile {
                    outcomes[index] = reject(path: path, identity: nil, reason: "stat", message: "cannot be examined: \(error.explained)", errno: error)
                }
            }
        }
        var seen = [AppDatabase.Seen](repeating: .new, count: stated.count)
        do {
            seen = try database.seenStates(stated.map { ($0.path, $0.identity) })
        } catch {
            logger.error("state database read failed", metadata: ["error": "\(error)"])
        }
        // Files not suspect of a crash go as one batch; a suspect alone, in its place in the order.
        var batch: [Candidate] = []
        for (var candidate, seen) in zip(stated, seen) {
            switch seen {
            case .seen:
                outcomes[candidate.index] = .alreadySeen
                continue
            case .new where onlyUnreadable:
                continue
            case .new:
                break
            case .unreadable:
                candidate.unreadableBefore = true
            }
            if let rejected = checkKind(candidate) {
                outcomes[candidate.index] = rejected
                continue
            }
            let crashes = marker.crashes(candidate.identity)
            if crashes == 0 {
                batch.append(candidate)
                continue
            }
            await analyse(batch, into: &outcomes)
            batch = []
            if crashes >= AnalysisMarker.maxAttempts {
                let outcome = reject(
                    path: candidate.path, identity: candidate.identity, reason: "analysis-crashed",
                    message: "stopped frontwatch \(crashes) times while being analysed; it is set aside so that the articles behind it get through. This is a bug: please report it with the file",
                    errno: nil)
                // Still suspect while the store cannot remember that it was set aside.
                if case .rejected = outcome { marker.finished([candidate.identity]) }
                outcomes[candidate.index] = outcome
            } else {
                await analyse([candidate], into: &outcomes)
            }
        }
        await analyse(batch, into: &outcomes)
        return outcomes
    }

    /// The rejection of a file that is not a plain regular file with a usable name, decided on
    /// `lstat` before any open: opening a device node can have side effects, and a link is never
    /// followed. `readRegularFile` checks again on the descriptor (a race).
    private func checkKind(_ c: Candidate) -> FileOutcome? {
        let name = c.path.split(separator: "/").last.map(String.init) ?? c.path
        if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return reject(path: c.path, identity: c.identity, reason: "invalid-name",
                          message: "has control characters (such as a newline) in its name; rename it to a plain name to have it read",
                          errno: nil, movable: false)
        }
        switch c.identity.kind {
        case .regular:
            return nil
        case .directory:
            return reject(path: c.path, identity: c.identity, reason: "directory",
                          message: "is a directory; frontwatch reads the files directly in the watch folder, not subfolders", errno: nil)
        case .symlink:
            return reject(path: c.path, identity: c.identity, reason: "symlink",
                          message: "is a symbolic link; frontwatch does not follow links (move or copy the file itself into the folder)",
                          errno: nil)
        default:
            return reject(path: c.path, identity: c.identity, reason: "not-regular",
                          message: "is a \(c.identity.kind.rawValue), not a regular file; only regular files are read", errno: nil)
        }
    }

    /// What reading and analysing one file came to.
    enum Analysis: Sendable {
        case article(AnalysedArticle)
        case rejected(reason: String, message: String, errno: Errno?, identity: FileIdentity)
        case vanished
        /// The daemon is stopping: the reading was ended before it was complete.
        case interrupted
    }


    /// Analyses a batch (marked first, for the crash marker) and records it in one transaction.
    private func analyse(_ batch: [Candidate], into outcomes: inout [FileOutcome]) async {
        guard !batch.isEmpty else { return }
        if !marker.begin(batch.map { ($0.identity, $0.path) }), !markerWarned {
            markerWarned = true
            logger.warning("cannot write \(settings.stateDirectory)/analysing; a file that crashes the analysis would be retried at every restart",
                           metadata: ["folder": "\(settings.stateDirectory)"])
        }
        let limits = ArticleAnalyser.Limits(maxFileBytes: settings.maxFileBytes, maxLineBytes: settings.maxLineBytes,
                            maxEventsPerArticle: settings.maxEventsPerArticle, maxEventsPerAxis: settings.maxEventsPerAxis,
                            maxEvidenceBytes: settings.maxEvidenceBytes,
                            latestDay: CalendarDay(unixSeconds: Int(Date().timeIntervalSince1970)).adding(days: settings.futureDays),
                            futureDays: settings.futureDays)
        let results = await analyseInLanes(batch, limits: limits)
        marker.finished(batch.map(\.identity))
        var articles: [AnalysedArticle] = []
        var indices: [Int] = []
        for (candidate, result) in zip(batch, results) {
            switch result {
            case .vanished, .interrupted:
                break
            case .rejected(let reason, let message, let errno, let identity):
                if candidate.unreadableBefore, reason == "open", errno?.isPermissionDenied == true {
                    outcomes[candidate.index] = .alreadySeen  // still unreadable: reported already
                    continue
                }
                outcomes[candidate.index] = reject(path: candidate.path, identity: identity, reason: reason, message: message, errno: errno)
            case .article(var article):
                if candidate.unreadableBefore {
                    article.file.replacesRejection = true
                    note(.readable, .notice, "a file rejected as unreadable can be read now", metadata: ["file": "\(candidate.path)"])
                }
                articles.append(article)
                indices.append(candidate.index)
            }
        }
        guard !articles.isEmpty else { return }
        let recorded: [RecordResult]
        do {
            recorded = try database.record(articles, tracker: tracker)
            progress.advance()
        } catch {
            // Not a crash: the analysis ended. The marker still names the batch, and a restart
            // before the retry succeeds must not count an attempt against these files.
            _ = marker.settle()
            let failure = StorageFailure(error)
            logger.debug("could not record \(articles.count) articles; they wait for a retry",
                         metadata: ["file": "\(articles[0].file.path)", "error": "\(failure)"])
            for index in indices { outcomes[index] = .deferred(failure) }
            return
        }
        for ((article, index), result) in zip(zip(articles, indices), recorded) {
            let path = article.file.path
            switch result {
            case .processed(let alerts):
                if article.dateSource == .fileModification {
                    note(.undated, .notice, "article has no date header; using the file's modification date",
                                  metadata: ["file": "\(path)", "date": "\(article.date?.description ?? "?")"])
                }
                if article.encoding != .utf8 {
                    note(.decoded, .notice, "article is not UTF-8; decoded as \(article.encoding.rawValue)", metadata: ["file": "\(path)"],
                         reason: article.encoding.rawValue)
                }
                counters.processed += 1
                counters.alerts += alerts.count
                logger.debug("article processed", metadata: ["file": "\(path)", "events": "\(article.events.count)", "alerts": "\(alerts.count)"])
                outcomes[index] = .processed(events: article.events.count, alerts: alerts)
            case .duplicate(let original):
                counters.duplicates += 1
                note(.duplicate, .info, "duplicate article \(path): same content as \(original), read earlier; not read again", metadata: ["file": "\(path)", "original": "\(original)"])
                outcomes[index] = .duplicate(of: original)
            case .alreadySeen:
                outcomes[index] = .alreadySeen
            }
        }
    }

    /// Analyses the batch in contiguous slices, one per lane; a batch smaller than two files per
    /// lane stays on this task, with the reused scratch buffers. A lane's buffers are its own and
    /// new: growing them again costs less than copying them in and out of the lane's task.
    private func analyseInLanes(_ batch: [Candidate], limits: ArticleAnalyser.Limits) async -> [Analysis] {
        let extractor = self.extractor
        let progress = self.progress
        let lanes = min(self.lanes, batch.count / 2)
        if lanes <= 1 {
            defer { scratch.shrink(above: Self.scratchKeepBytes) }
            return batch.map { Self.analyse($0, extractor: extractor, limits: limits, scratch: &scratch, progress: progress) }
        }
        let shouldStop = stopping.isSet
        var results = [Analysis](repeating: .vanished, count: batch.count)
        await withTaskGroup(of: (Int, [Analysis]).self) { group in
            for lane in 0..<lanes {
                let range = (lane * batch.count / lanes)..<((lane + 1) * batch.count / lanes)
                let slice = batch[range]
                group.addTask {
                    var scratch = Extractor.Scratch(shouldStop: shouldStop)
                    return (range.lowerBound, slice.map { Self.analyse($0, extractor: extractor, limits: limits, scratch: &scratch, progress: progress) })
                }
            }
            for await (start, analysed) in group {
                results.replaceSubrange(start..<(start + analysed.count), with: analysed)
            }
        }
        return results
    }

    /// Reads one file and runs it through the parser and the extractor (`ArticleAnalyser`): no
    /// state, no I/O but the read, so lanes can run it side by side.
    static func analyse(_ c: Candidate, extractor: Extractor, limits: ArticleAnalyser.Limits,
                        scratch: inout Extractor.Scratch, progress: ProgressCounter) -> Analysis {
        defer { progress.advance() }
        switch ArticleAnalyser.analyse(path: c.path, identity: c.identity, extractor: extractor, limits: limits, scratch: &scratch) {
        case .article(let analysed, _): return .article(analysed)
        case .rejected(let reason, let message, let errno, let identity):
            return .rejected(reason: reason, message: message, errno: errno, identity: identity)
        case .vanished: return .vanished
        case .interrupted: return .interrupted
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
        let movesAway = movable && settings.rejected == .move && identity?.kind != .directory
        if !movesAway {
            // Remembered first: a rejection the store cannot remember yet waits and is reported
            // once when it can be, not now and again at every retry.
            do {
                try database.recordRejected(path: path, identity: identity, reason: "\(reason): \(message)")
            } catch {
                return .deferred(StorageFailure(error))
            }
        }
        counters.rejected += 1
        var metadata: Logger.Metadata = [
            "message_id": "\(MessageID.fileRejected)",
            "file": "\(path)",
            "reason": "\(reason)",
        ]
        if let errno { metadata["errno"] = "\(errno.code)" }
        var where_ = ""
        if movesAway {
            switch RejectedFolder.move(path: path, reason: "\(reason): \(message)", stateDirectory: settings.stateDirectory) {
            case .success(let moved):
                where_ = "; moved to \(moved)"
                metadata["moved_to"] = "\(moved)"
            case .failure(let error):
                where_ = "; left in place: it could not be moved to \(settings.stateDirectory)/rejected (\(error.explained))"
            }
        }
        let decision = rejections.admit(path, reason: reason, now: .now)
        if let summary = decision.summary { logSummary(summary) }
        if decision.report {
            logger.error("rejected \(Self.printable(path)): \(message)\(where_)", metadata: metadata)
        } else {
            logger.debug("rejected \(Self.printable(path)) again: \(message)\(where_)", metadata: metadata)
        }
        if movesAway {
            do {
                try database.recordRejected(path: path, identity: identity, reason: "\(reason): \(message)")
            } catch {
                logger.error("state database write failed", metadata: ["error": "\(error)"])
            }
        }
        return .rejected(reason: reason)
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

/// A count that only goes up, advanced and read from any thread: the pipeline's sign of life.
public final class ProgressCounter: Sendable {
    private let value = Atomic<UInt64>(0)

    /// One more piece of work done.
    func advance() {
        value.add(1, ordering: .relaxed)
    }

    /// The count so far.
    public var count: UInt64 {
        value.load(ordering: .relaxed)
    }
}

/// A flag set once, read from any thread (the analysis lanes ask it between sentences).
final class StopFlag: Sendable {
    private let value = Atomic<Bool>(false)

    func set() {
        value.store(true, ordering: .relaxed)
    }

    /// Whether it is set; as a function value for `Extractor.Scratch.shouldStop`.
    @Sendable func isSet() -> Bool {
        value.load(ordering: .relaxed)
    }
}

import Foundation
import FrontwatchCore
import FrontwatchSystem

/// Reads one file the way the daemon does, for the daemon's pipeline and for the offline
/// commands alike (`analyze`, `replay`, `eval`, `train`): the safe read (a regular file, no
/// links, at most `watch.max_file_bytes`), the line-length cap, the decoding and parsing, the
/// date checks (not in the future, not before 2014), then the extractor and the caps on what
/// is kept of its events. No state: the pipeline's lanes run it side by side.
public enum ArticleAnalyser {
    /// The limits of one reading, from the configuration.
    public struct Limits: Sendable {
        public var maxFileBytes: Int
        public var maxLineBytes: Int
        public var maxEventsPerArticle = Int.max
        public var maxEventsPerAxis = Int.max
        public var maxEvidenceBytes = Int.max
        /// The latest article date taken (today plus `watch.future_days`); nil: no check.
        public var latestDay: CalendarDay?
        public var futureDays = 0

        /// The limits spelled out.
        public init(maxFileBytes: Int, maxLineBytes: Int, maxEventsPerArticle: Int = .max, maxEventsPerAxis: Int = .max,
                    maxEvidenceBytes: Int = .max, latestDay: CalendarDay? = nil, futureDays: Int = 0) {
            self.maxFileBytes = maxFileBytes
            self.maxLineBytes = maxLineBytes
            self.maxEventsPerArticle = maxEventsPerArticle
            self.maxEventsPerAxis = maxEventsPerAxis
            self.maxEvidenceBytes = maxEvidenceBytes
            self.latestDay = latestDay
            self.futureDays = futureDays
        }

        /// The configuration's limits, with the date check against today (the wall clock).
        public init(config: FrontwatchConfig) {
            self.init(maxFileBytes: config.maxFileBytes, maxLineBytes: config.maxLineBytes,
                      maxEventsPerArticle: config.maxEventsPerArticle, maxEventsPerAxis: config.maxEventsPerAxis,
                      maxEvidenceBytes: config.maxEvidenceBytes,
                      latestDay: CalendarDay(unixSeconds: Int(Date().timeIntervalSince1970)).adding(days: config.futureDays),
                      futureDays: config.futureDays)
        }
    }

    /// What reading a file came to.
    public enum Reading: Sendable {
        /// An article, and the record of the file it came from (identity, content hash).
        case article(Article, FileRecord)
        /// Not an article: why, in the words of the daemon's rejection.
        case rejected(reason: String, message: String, errno: Errno?, identity: FileIdentity?)
        /// The file is gone.
        case vanished
    }

    /// What reading and analysing a file came to.
    public enum Analysis: Sendable {
        /// The article's events (within the caps) and the article itself.
        case article(AnalysedArticle, Article)
        case rejected(reason: String, message: String, errno: Errno?, identity: FileIdentity)
        case vanished
        /// The reading was ended by `Extractor.Scratch.shouldStop` before it was complete.
        case interrupted
    }

    /// Before the war the project follows: a date this early is a typo or a wrong clock.
    public static let earliestDay = CalendarDay(year: 2014, month: 1, day: 1)!

    /// Reads and parses the file at `path` and checks it as the daemon does.
    public static func read(path: String, limits: Limits) -> Reading {
        let snapshot: FileSnapshot
        do {
            snapshot = try FileSystem.readRegularFile(at: path, maxBytes: limits.maxFileBytes)
        } catch {
            if error.errno?.isNoSuchFile == true { return .vanished }
            return .rejected(reason: error.reason, message: error.message, errno: error.errno, identity: nil)
        }
        let identity = snapshot.identity
        if let longest = longestLine(snapshot.bytes, over: limits.maxLineBytes) {
            return .rejected(reason: "line-too-long",
                             message: "has a line of \(longest) bytes or more with no line break, over the cap of \(limits.maxLineBytes) bytes (watch.max_line_bytes); wrap the text or raise the cap",
                             errno: nil, identity: identity)
        }
        var hash = StableHash()
        hash.combine(bytes: snapshot.bytes)
        let record = FileRecord(path: path, identity: identity, contentHash: hash.hex + "-" + String(snapshot.bytes.count))
        let article: Article
        do {
            article = try ArticleParser.parse(bytes: snapshot.bytes, fallbackDate: CalendarDay(unixSeconds: identity.mtimeSeconds))
        } catch {
            return .rejected(reason: error.code.rawValue, message: error.message, errno: nil, identity: identity)
        }
        if let day = article.date {
            let from = article.dateSource == .header ? "its date header" : "its file's modification time (it has no date header)"
            if let latest = limits.latestDay, day > latest {
                return .rejected(reason: "future-date",
                                 message: "is dated \(day) by \(from), more than \(limits.futureDays) days after today (watch.future_days): a date in the future would hold the state of its axes until then; fix the date and it is read",
                                 errno: nil, identity: identity)
            }
            if day < earliestDay {
                return .rejected(reason: "implausible-date",
                                 message: "is dated \(day) by \(from), before \(earliestDay): fix the date and it is read",
                                 errno: nil, identity: identity)
            }
        }
        return .article(article, record)
    }

    /// Reads the file (`read`) and runs the extractor over it; `identity` is what a failed open
    /// is reported with (the file as it was examined).
    public static func analyse(path: String, identity: FileIdentity, extractor: Extractor, limits: Limits,
                               scratch: inout Extractor.Scratch) -> Analysis {
        switch read(path: path, limits: limits) {
        case .vanished:
            return .vanished
        case .rejected(let reason, let message, let errno, let found):
            return .rejected(reason: reason, message: message, errno: errno, identity: found ?? identity)
        case .article(let article, let record):
            let extracted = extractor.extract(from: article, scratch: &scratch)
            if scratch.interrupted { return .interrupted }
            let (events, dropped) = bounded(extracted, limits)
            var analysed = AnalysedArticle(file: record, date: article.date, dateSource: article.dateSource,
                                           encoding: article.encoding, events: events)
            analysed.droppedEvents = dropped
            return .article(analysed, article)
        }
    }

    /// The events kept of an article's: the strongest of each axis and change first (the one
    /// `AxisTracker.collapse` picks, so alerts do not change), then the others in order, at most
    /// `maxEventsPerAxis` per axis and `maxEventsPerArticle` in all; evidence cut to
    /// `maxEvidenceBytes`. Returns them in their original order, and how many were dropped.
    static func bounded(_ events: [AxisEvent], _ limits: Limits) -> (events: [AxisEvent], dropped: Int) {
        func cut(_ e: AxisEvent) -> AxisEvent {
            guard e.evidence.utf8.count > limits.maxEvidenceBytes else { return e }
            var e = e
            var kept = Substring(e.evidence)
            while kept.utf8.count > limits.maxEvidenceBytes - 3 { kept = kept.dropLast(max(1, (kept.utf8.count - limits.maxEvidenceBytes + 3) / 4)) }
            e.evidence = kept + "…"
            return e
        }
        let needsCut = events.contains { $0.evidence.utf8.count > limits.maxEvidenceBytes }
        guard events.count > min(limits.maxEventsPerArticle, limits.maxEventsPerAxis) else {
            return (needsCut ? events.map(cut) : events, 0)
        }
        var best: [String: Int] = [:]
        for (i, e) in events.enumerated() {
            let key = e.axis + "\u{1F}" + e.change.rawValue
            if let j = best[key] { if e.confidence > events[j].confidence { best[key] = i } } else { best[key] = i }
        }
        var keep = Set(best.values)
        var perAxis: [String: Int] = [:]
        for i in keep { perAxis[events[i].axis, default: 0] += 1 }
        for (i, e) in events.enumerated() where !keep.contains(i) {
            guard keep.count < limits.maxEventsPerArticle else { break }
            if perAxis[e.axis, default: 0] < limits.maxEventsPerAxis {
                keep.insert(i)
                perAxis[e.axis, default: 0] += 1
            }
        }
        let kept = events.indices.filter { keep.contains($0) }.map { cut(events[$0]) }
        return (kept, events.count - kept.count)
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
}

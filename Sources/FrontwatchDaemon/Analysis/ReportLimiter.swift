/// Rate-limits repeated log reports by key (a path, a kind of message): the first `burst`
/// reports of a key in each `interval` go out, the rest are held back and counted, and one
/// summary per key and interval says how many were held and why.
///
/// Journald drops whatever exceeds its rate limit, per service and priority band, and the
/// alerts share those bands with the daemon's own messages; a name swapped in a loop, or a flood
/// of duplicate copies, must not spend the alerts' budget.
struct ReportLimiter {
    /// What was held back for one key in one interval.
    struct Summary: Equatable {
        var key: String
        /// Reports held back.
        var held: Int
        /// How many of them had each reason, most frequent first.
        var reasons: [(reason: String, count: Int)]
        /// Length of the interval they fell in.
        var interval: Duration

        static func == (a: Summary, b: Summary) -> Bool {
            a.key == b.key && a.held == b.held && a.reasons.map(\.reason) == b.reasons.map(\.reason)
                && a.reasons.map(\.count) == b.reasons.map(\.count)
        }

        /// `symlink 120, not-regular 98`.
        var reasonList: String {
            reasons.map { "\($0.reason) \($0.count)" }.joined(separator: ", ")
        }
    }

    /// What to do with one report.
    struct Decision {
        /// Send it.
        var report: Bool
        /// A summary of the key's interval that just ended, to send first.
        var summary: Summary?
    }

    private struct Entry {
        var start: ContinuousClock.Instant
        var reported = 0
        var held = 0
        var reasons: [String: Int] = [:]
    }

    /// Reports per key and interval that go out as they are.
    let burst: Int
    /// The interval.
    let interval: Duration
    /// Keys tracked at most; beyond, keys whose interval ended are forgotten first, and when
    /// every key is still live a new key is reported without being tracked.
    let maxKeys: Int
    private var entries: [String: Entry] = [:]

    init(burst: Int, interval: Duration, maxKeys: Int = 10_000) {
        self.burst = max(1, burst)
        self.interval = interval
        self.maxKeys = maxKeys
    }

    /// Whether a report for `key` (with `reason`) goes out now.
    mutating func admit(_ key: String, reason: String, now: ContinuousClock.Instant) -> Decision {
        var summary: Summary?
        if var entry = entries[key] {
            if now - entry.start >= interval {
                summary = Self.summary(key, entry, interval)
                entry = Entry(start: now)
            }
            if entry.reported < burst {
                entry.reported += 1
                entries[key] = entry
                return Decision(report: true, summary: summary)
            }
            entry.held += 1
            entry.reasons[reason, default: 0] += 1
            entries[key] = entry
            return Decision(report: false, summary: summary)
        }
        if entries.count >= maxKeys {
            _ = takeDue(now: now)
            if entries.count >= maxKeys { return Decision(report: true, summary: nil) }
        }
        entries[key] = Entry(start: now, reported: 1)
        return Decision(report: true, summary: nil)
    }

    /// The summaries of intervals that have ended; forgets every key whose interval ended.
    mutating func takeDue(now: ContinuousClock.Instant) -> [Summary] {
        var due: [Summary] = []
        for (key, entry) in entries where now - entry.start >= interval {
            if let summary = Self.summary(key, entry, interval) { due.append(summary) }
            entries[key] = nil
        }
        return due.sorted { $0.key < $1.key }
    }

    /// When the earliest interval with held reports ends; nil when nothing is held.
    var nextDue: ContinuousClock.Instant? {
        entries.values.filter { $0.held > 0 }.map { $0.start + interval }.min()
    }

    private static func summary(_ key: String, _ entry: Entry, _ interval: Duration) -> Summary? {
        guard entry.held > 0 else { return nil }
        let reasons = entry.reasons.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .map { (reason: $0.key, count: $0.value) }
        return Summary(key: key, held: entry.held, reasons: reasons, interval: interval)
    }
}

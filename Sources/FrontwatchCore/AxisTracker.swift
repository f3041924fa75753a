/// How the tracker groups reports into episodes and when it alerts.
public struct TrackerPolicy: Sendable, Codable, Equatable {
    /// Reports of the same change on the same axis within this many days of the episode's last
    /// report belong to one episode: they raise its corroboration count, never a second alert.
    public var windowDays: Int
    /// After an alert, no new alert for the same axis and change for this many days, even if a
    /// new episode starts.
    public var cooldownDays: Int
    /// Whether an easing of activity ("attacks subsided") alerts too, as a de-escalation notice.
    public var alertOnEased: Bool
    /// Events below this confidence are stored but never alert.
    public var minConfidence: Double

    /// Creates a policy.
    public init(windowDays: Int = 7, cooldownDays: Int = 7, alertOnEased: Bool = true, minConfidence: Double = 0.5) {
        self.windowDays = windowDays
        self.cooldownDays = cooldownDays
        self.alertOnEased = alertOnEased
        self.minConfidence = minConfidence
    }

    enum CodingKeys: String, CodingKey {
        case windowDays = "window_days", cooldownDays = "cooldown_days", alertOnEased = "alert_on_eased",
             minConfidence = "min_confidence"
    }

    public init(from decoder: any Decoder) throws {
        let d = TrackerPolicy()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        windowDays = try c.decodeIfPresent(Int.self, forKey: .windowDays) ?? d.windowDays
        cooldownDays = try c.decodeIfPresent(Int.self, forKey: .cooldownDays) ?? d.cooldownDays
        alertOnEased = try c.decodeYAMLBool(forKey: .alertOnEased) ?? d.alertOnEased
        minConfidence = try c.decodeIfPresent(Double.self, forKey: .minConfidence) ?? d.minConfidence
    }
}

/// What the tracker knows of one axis and one direction of change.
public struct AxisState: Sendable, Codable, Equatable {
    /// Canonical axis name.
    public var axis: String
    /// The direction of change this state follows.
    public var change: Change
    /// The side named in the episode's first report.
    public var actor: Side
    /// Day of the episode's first report.
    public var episodeStart: CalendarDay
    /// Day of the episode's latest report.
    public var lastSeen: CalendarDay
    /// How many reports the episode has (1 for the report that opened it).
    public var corroboration: Int
    /// Day of the last alert for this axis and change, if any.
    public var lastAlertDay: CalendarDay?
    /// Identifier of the episode's alert, if it alerted.
    public var lastAlertID: String?

    /// Creates a state.
    public init(axis: String, change: Change, actor: Side, episodeStart: CalendarDay, lastSeen: CalendarDay,
                corroboration: Int, lastAlertDay: CalendarDay?, lastAlertID: String?) {
        self.axis = axis
        self.change = change
        self.actor = actor
        self.episodeStart = episodeStart
        self.lastSeen = lastSeen
        self.corroboration = corroboration
        self.lastAlertDay = lastAlertDay
        self.lastAlertID = lastAlertID
    }
}

/// An alert to deliver: an axis newly intensified (or eased), with the sentence that proves it.
public struct Alert: Sendable, Codable, Equatable {
    /// Stable identifier: the same article and event give the same id on every run.
    public var id: String
    /// Canonical axis name.
    public var axis: String
    /// Whose activity changed.
    public var actor: Side
    /// Which way it moved.
    public var change: Change
    /// The day the change happened.
    public var day: CalendarDay
    /// The article's path.
    public var article: String
    /// The article's date as given in the article (or its file date).
    public var articleDate: CalendarDay
    /// The sentence that states the change.
    public var evidence: String
    /// The extractor's confidence.
    public var confidence: Double
    /// Reports of this episode so far.
    public var corroboration: Int
    /// The settlement the evidence sentence named, when a settlement placed it on the axis.
    public var place: String?
    /// "area" when the axis is a broad area of the gazetteer (Donbas, the south), nil for a direction.
    public var kind: String?

    /// Creates an alert.
    public init(id: String, axis: String, actor: Side, change: Change, day: CalendarDay, article: String,
                articleDate: CalendarDay, evidence: String, confidence: Double, corroboration: Int,
                place: String? = nil, kind: String? = nil) {
        self.place = place
        self.kind = kind
        self.id = id
        self.axis = axis
        self.actor = actor
        self.change = change
        self.day = day
        self.article = article
        self.articleDate = articleDate
        self.evidence = evidence
        self.confidence = confidence
        self.corroboration = corroboration
    }

    /// The one readable line that goes into the journal's MESSAGE.
    public var message: String {
        let who: String
        switch actor {
        case .russia: who = "Russian forces"
        case .ukraine: who = "Ukrainian forces"
        case .unknown: who = "activity"
        }
        let what = change == .intensified ? "intensified" : "eased"
        let flat = evidence.split(whereSeparator: \.isNewline).joined(separator: " ")
        // The day the sentence speaks of ("on Monday"), when it is not the article's.
        let when = day == articleDate ? "" : " on \(day)"
        // Where: "Orikhiv axis (Robotyne)" when a settlement placed it; an area is not an axis.
        let whereText = (kind == "area" ? "\(axis) area" : "\(axis) axis") + (place.map { " (\($0))" } ?? "")
        return "\(whereText): \(who) \(what)\(when) (article of \(articleDate)): \"\(flat)\""
    }
}

/// Decides, report by report, when an axis newly intensifies.
///
/// Pure: it takes the previous state and returns the next one, so the daemon can keep states in
/// SQLite and `replay` can keep them in a dictionary.
public struct AxisTracker: Sendable {
    /// The policy in force.
    public var policy: TrackerPolicy

    /// Creates a tracker.
    public init(policy: TrackerPolicy) {
        self.policy = policy
    }

    /// What one event does to the state.
    public struct Outcome: Sendable, Equatable {
        /// The state after the event (unchanged for a stale report).
        public var state: AxisState
        /// The alert to deliver, when the event opened a new episode that alerts.
        public var alert: Alert?
        /// The event added to a running episode.
        public var corroborated: Bool
    }

    /// Applies one event reported in `article` (dated `articleDate`) to the previous state of its
    /// axis and change. Reports more than a window older than the running episode are stale: they
    /// neither alert nor count.
    public func observe(_ event: AxisEvent, article: String, articleDate: CalendarDay, previous: AxisState?) -> Outcome {
        let day = event.day ?? articleDate
        if var state = previous {
            let sameEpisode = day >= state.episodeStart.adding(days: -policy.windowDays)
                && day <= state.lastSeen.adding(days: policy.windowDays)
            if sameEpisode {
                state.corroboration += 1
                if day > state.lastSeen { state.lastSeen = day }
                if day < state.episodeStart { state.episodeStart = day }
                return Outcome(state: state, alert: nil, corroborated: true)
            }
            if day < state.episodeStart {
                return Outcome(state: state, alert: nil, corroborated: false)
            }
        }
        var state = AxisState(axis: event.axis, change: event.change, actor: event.actor, episodeStart: day,
                              lastSeen: day, corroboration: 1, lastAlertDay: previous?.lastAlertDay, lastAlertID: nil)
        let cooledDown = previous?.lastAlertDay.map { $0.days(to: day) > policy.cooldownDays } ?? true
        let wanted = event.change == .intensified || policy.alertOnEased
        guard wanted, cooledDown, event.confidence >= policy.minConfidence else {
            return Outcome(state: state, alert: nil, corroborated: false)
        }
        let id = StableHash.hex(event.axis, event.change.rawValue, String(day.dayNumber), article, String(event.start))
        state.lastAlertDay = day
        state.lastAlertID = id
        let alert = Alert(id: id, axis: event.axis, actor: event.actor, change: event.change, day: day, article: article,
                          articleDate: articleDate, evidence: event.evidence, confidence: event.confidence,
                          corroboration: 1, place: event.place, kind: event.kind)
        return Outcome(state: state, alert: alert, corroborated: false)
    }
}

extension AxisTracker {
    /// One event per axis and change: the most confident, the earliest on a tie. An article that
    /// says the same thing three times is one report, not three.
    public static func collapse(_ events: [AxisEvent]) -> [AxisEvent] {
        var best: [String: Int] = [:]
        var order: [String] = []
        for (i, e) in events.enumerated() {
            let key = e.axis + "\u{1F}" + e.change.rawValue
            if let j = best[key] {
                if e.confidence > events[j].confidence { best[key] = i }
            } else {
                best[key] = i
                order.append(key)
            }
        }
        // A headline ("Intensified clashes near Vuhledar") often names no side that its story does:
        // the kept event takes the side of the surest event of the pair that names one.
        var sided: [String: Int] = [:]
        for (i, e) in events.enumerated() where e.actor != .unknown {
            let key = e.axis + "\u{1F}" + e.change.rawValue
            if let j = sided[key], events[j].confidence >= e.confidence { continue }
            sided[key] = i
        }
        return order.map { key in
            var e = events[best[key]!]
            if e.actor == .unknown, let j = sided[key] { e.actor = events[j].actor }
            return e
        }
    }
}

/// A dated article for a backtest: where it came from and what it says.
public struct DatedArticle: Sendable {
    /// The file's path.
    public var path: String
    /// The parsed article (its `date` orders the replay).
    public var article: Article

    /// Creates one.
    public init(path: String, article: Article) {
        self.path = path
        self.article = article
    }
}

extension AxisTracker {
    /// Runs the extractor and the tracker over articles in date order (path order on a tie), on
    /// fresh state, and returns the alerts that would have fired, each with the number of reports
    /// its episode gathered. Undated articles are skipped.
    public func replay(_ articles: [DatedArticle], extractor: Extractor) -> [Alert] {
        let ordered = articles.filter { $0.article.date != nil }.sorted {
            ($0.article.date!, $0.path) < ($1.article.date!, $1.path)
        }
        var states: [String: AxisState] = [:]
        var alerts: [Alert] = []
        var alertIndex: [String: Int] = [:]
        var scratch = Extractor.Scratch()
        for item in ordered {
            let events = AxisTracker.collapse(extractor.extract(from: item.article, scratch: &scratch))
            for event in events {
                let key = event.axis + "\u{1F}" + event.change.rawValue
                let outcome = observe(event, article: item.path, articleDate: item.article.date!, previous: states[key])
                states[key] = outcome.state
                if let alert = outcome.alert {
                    alertIndex[alert.id] = alerts.count
                    alerts.append(alert)
                } else if outcome.corroborated, let id = outcome.state.lastAlertID, let i = alertIndex[id] {
                    alerts[i].corroboration = outcome.state.corroboration
                }
            }
        }
        return alerts
    }
}

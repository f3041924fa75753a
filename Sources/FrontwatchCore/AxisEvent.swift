/// Whose activity changed: a side of the war. (Not `Actor`, which would shadow Swift's `Actor` protocol
/// in every file that imports the core.)
public enum Side: String, Sendable, Codable, CaseIterable {
    case russia
    case ukraine
    case unknown

    /// The other side of the war; unknown stays unknown.
    public var opponent: Side {
        switch self {
        case .russia: .ukraine
        case .ukraine: .russia
        case .unknown: .unknown
        }
    }
}

/// Which way activity on an axis moved.
public enum Change: String, Sendable, Codable, CaseIterable {
    case intensified
    case eased
}

/// One change of military activity on one axis, as one sentence of one article states it.
public struct AxisEvent: Sendable, Hashable, Codable {
    /// The canonical axis name from the gazetteer (Kupiansk, Lyman, ...).
    public var axis: String
    /// Whose activity changed.
    public var actor: Side
    /// Which way it moved.
    public var change: Change
    /// How sure the extractor is, 0...1.
    public var confidence: Double
    /// The sentence that states the change, as written in the article.
    public var evidence: String
    /// UTF-8 byte offset of the sentence's first byte in the article text.
    public var start: Int
    /// UTF-8 byte offset just past the sentence's last byte.
    public var end: Int
    /// The extractor rule that fired, for explanations.
    public var rule: String
    /// The day the change happened: the article date, or a day the sentence names ("on Monday").
    public var day: CalendarDay?
    /// The settlement the sentence named, as written, when a settlement placed the event on its
    /// axis ("Robotyne" for Orikhiv); nil when the axis was named itself.
    public var place: String?
    /// The gazetteer's kind of the axis: nil for a direction, "area" for a broad area (Donbas,
    /// the south) where an event lands when no axis is named.
    public var kind: String?

    /// Creates an event.
    public init(axis: String, actor: Side, change: Change, confidence: Double, evidence: String,
                start: Int, end: Int, rule: String, day: CalendarDay?, place: String? = nil, kind: String? = nil) {
        self.place = place
        self.kind = kind
        self.axis = axis
        self.actor = actor
        self.change = change
        self.confidence = confidence
        self.evidence = evidence
        self.start = start
        self.end = end
        self.rule = rule
        self.day = day
    }
}

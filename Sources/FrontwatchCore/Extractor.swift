/// Finds changes of military activity on front-line axes in an article.
///
/// The extractor reads sentence by sentence. A sentence yields an event when it holds a change cue
/// ("intensified", "went on the offensive", "subsided"), an axis the cue is tied to (the nearest
/// group of axis names in the same clause), and nothing that makes the cue something other than a
/// current change: negation, speculation, history, habit. The actor is the nearest side named
/// before the cue, unless that mention is only the source of the report.
public struct Extractor: Sendable {
    enum Role: Sendable {
        case change(Change, rule: String, needsActivity: Bool)
        case activityNoun
        case actor(Actor)
        case sourceNoun
        case reportingVerb
        case negation
        case speculation
        case history
        case habit
        case clauseBreak
        case connector
    }

    /// The gazetteer the extractor maps axis names with.
    public let gazetteer: Gazetteer
    let lexicon: PhraseMatcher<Role>
    let connectors: PhraseMatcher<Role>

    /// Creates an extractor over a gazetteer.
    public init(gazetteer: Gazetteer) {
        self.gazetteer = gazetteer
        var lexicon = PhraseMatcher<Role>()
        for (cue, change, rule) in ExtractorLexicon.changeCues {
            lexicon.add(cue, .change(change, rule: rule, needsActivity: ExtractorLexicon.needsActivityNoun.contains(cue)))
        }
        for w in ExtractorLexicon.activityNouns { lexicon.add(w, .activityNoun) }
        for w in ExtractorLexicon.russia { lexicon.add(w, .actor(.russia)) }
        for w in ExtractorLexicon.ukraine { lexicon.add(w, .actor(.ukraine)) }
        for w in ExtractorLexicon.sourceNouns { lexicon.add(w, .sourceNoun) }
        for w in ExtractorLexicon.reportingVerbs { lexicon.add(w, .reportingVerb) }
        for w in ExtractorLexicon.negations { lexicon.add(w, .negation) }
        for w in ExtractorLexicon.speculation { lexicon.add(w, .speculation) }
        for w in ExtractorLexicon.history { lexicon.add(w, .history) }
        for w in ExtractorLexicon.habit { lexicon.add(w, .habit) }
        for w in ExtractorLexicon.clauseBreaks { lexicon.add(w, .clauseBreak) }
        self.lexicon = lexicon
        var connectors = PhraseMatcher<Role>()
        for w in ExtractorLexicon.groupConnectors { connectors.add(w, .connector) }
        self.connectors = connectors
    }

    /// The events an article states, in text order.
    public func extract(from article: Article) -> [AxisEvent] {
        var scratch = Scratch()
        return extract(from: article, scratch: &scratch)
    }

    /// Reusable buffers, so a long-running caller allocates them once.
    public struct Scratch: Sendable {
        var tokens: [Token] = []
        var bytes: [UInt8] = []
        /// Empty buffers.
        public init() {}
    }

    /// The events an article states, reusing `scratch`'s storage.
    public func extract(from article: Article, scratch: inout Scratch) -> [AxisEvent] {
        scratch.bytes.removeAll(keepingCapacity: true)
        scratch.bytes.append(contentsOf: article.text.utf8)
        Tokenizer.tokenize(scratch.bytes, into: &scratch.tokens)
        let bodyStart = Int32(article.bodyStart)
        return scratch.tokens.withUnsafeBufferPointer { tokens in
            scratch.bytes.withUnsafeBufferPointer { bytes in
                var events: [AxisEvent] = []
                var first = 0
                while first < tokens.count, tokens[first].start < bodyStart { first += 1 }
                var sentenceStart = first
                var previousActor: Actor = .unknown
                var i = first
                while i <= tokens.count {
                    if i == tokens.count || (i > sentenceStart && isSentenceBreak(tokens, before: i, bytes: bytes)) {
                        if i > sentenceStart {
                            analyzeSentence(tokens, sentenceStart..<i, bytes: bytes, article: article,
                                            previousActor: &previousActor, into: &events)
                        }
                        sentenceStart = i
                    }
                    i += 1
                }
                return events
            }
        }
    }

    /// True when a new sentence starts at token `i`.
    func isSentenceBreak(_ t: UnsafeBufferPointer<Token>, before i: Int, bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let token = t[i]
        if token.newlinesBefore >= 2 { return true }
        if token.newlinesBefore == 1 && (token.capitalized || token.kind == .quote || token.kind == .number) {
            return true
        }
        // ". Next" / ".” Next" / "? Next"
        var j = i - 1
        var sawQuote = false
        while j >= 0, t[j].kind == .quote || t[j].kind == .close { sawQuote = true; j -= 1 }
        guard j >= 0 else { return false }
        let prev = t[j]
        guard prev.kind == .period || prev.kind == .question || prev.kind == .exclamation else { return false }
        let startsSentence = token.capitalized || token.kind == .quote || token.kind == .number || sawQuote
        guard startsSentence else { return false }
        // "Gen. Syrskyi", "U.S. forces": a short capitalised word before the period is an abbreviation.
        if prev.kind == .period, j >= 1, t[j - 1].kind == .word, t[j - 1].end == prev.start {
            let len = t[j - 1].end - t[j - 1].start
            if len <= 3 && t[j - 1].capitalized && ExtractorAbbreviations.isAbbreviation(bytes, t[j - 1]) { return false }
        }
        return true
    }

    struct Found {
        var role: Role
        var first: Int
        var end: Int
    }

    func analyzeSentence(_ t: UnsafeBufferPointer<Token>, _ range: Range<Int>, bytes: UnsafeBufferPointer<UInt8>,
                         article: Article, previousActor: inout Actor, into events: inout [AxisEvent]) {
        let found = lexicon.matches(t, in: range).map { Found(role: $0.payload, first: $0.first, end: $0.end) }
        // Remember the side the sentence talks about, for "its troops" in the next one.
        var sentenceActor: Actor = .unknown
        for f in found {
            if case .actor(let a) = f.role, !isSource(f, found) { sentenceActor = a; break }
        }
        defer { if sentenceActor != .unknown { previousActor = sentenceActor } }

        let cues = found.filter { if case .change = $0.role { return true } else { return false } }
        guard !cues.isEmpty else { return }
        let mentions = gazetteer.match(in: t, range: range)
        guard !mentions.isEmpty else { return }

        let historical = found.contains { if case .history = $0.role { return true } else { return false } }
            || mentionsEarlierYear(t, range, bytes: bytes, articleDate: article.date)
        let habitual = found.contains { if case .habit = $0.role { return true } else { return false } }
        if historical || habitual { return }

        var emitted: Set<String> = []
        for cue in cues {
            guard case .change(let change, let rule, let needsActivity) = cue.role else { continue }
            let clause = clauseRange(around: cue, in: range, found: found, tokens: t)
            if needsActivity && !hasActivityNoun(near: cue, found: found, clause: clause) { continue }
            if isNegatedOrSpeculative(cue, found: found, clause: clause) { continue }
            let group = axisGroup(for: cue, mentions: mentions, clause: clause, tokens: t)
            guard !group.isEmpty else { continue }
            var actor = actorFor(cue, found: found, clause: clause)
            if actor == .unknown { actor = sentenceActor }
            if actor == .unknown, startsWithPronoun(t, clause, bytes: bytes) { actor = previousActor }
            let start = Int(t[range.lowerBound].start)
            let end = Int(t[range.upperBound - 1].end)
            let evidence = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
            for mention in group {
                let axis = gazetteer.axes[mention.axis].name
                let key = axis + "|" + change.rawValue
                if emitted.contains(key) { continue }
                emitted.insert(key)
                var confidence = 0.9
                if actor == .unknown { confidence -= 0.15 }
                if mention.viaSettlement { confidence -= 0.1 }
                events.append(AxisEvent(axis: axis, actor: actor, change: change, confidence: confidence,
                                        evidence: evidence, start: start, end: end, rule: rule,
                                        day: DatePhrases.resolve(t, range, bytes: bytes, articleDate: article.date)))
            }
        }
    }

    func isSource(_ actor: Found, _ found: [Found]) -> Bool {
        for f in found where f.first >= actor.end && f.first <= actor.end + 3 {
            switch f.role {
            case .sourceNoun: if f.first == actor.end { return true }
            case .reportingVerb: return true
            default: continue
            }
        }
        return false
    }

    func clauseRange(around cue: Found, in range: Range<Int>, found: [Found], tokens t: UnsafeBufferPointer<Token>) -> Range<Int> {
        var lower = range.lowerBound
        var upper = range.upperBound
        for f in found {
            guard case .clauseBreak = f.role else { continue }
            if f.end <= cue.first { lower = max(lower, f.end) }
            if f.first >= cue.end { upper = min(upper, f.first) }
        }
        var i = cue.first - 1
        while i >= lower {
            if t[i].kind == .semicolon || t[i].kind == .colon { lower = i + 1; break }
            i -= 1
        }
        i = cue.end
        while i < upper {
            if t[i].kind == .semicolon { upper = i; break }
            i += 1
        }
        return lower..<upper
    }

    func hasActivityNoun(near cue: Found, found: [Found], clause: Range<Int>) -> Bool {
        found.contains { f in
            guard case .activityNoun = f.role, clause.contains(f.first) else { return false }
            return (f.first >= cue.end && f.first - cue.end <= 4) || (f.end <= cue.first && cue.first - f.end <= 4)
        }
    }

    func isNegatedOrSpeculative(_ cue: Found, found: [Found], clause: Range<Int>) -> Bool {
        for f in found where clause.contains(f.first) {
            switch f.role {
            case .negation:
                if f.end <= cue.first && cue.first - f.end <= 4 { return true }
                if f.first >= cue.end && f.first - cue.end <= 1 { return true }
            case .speculation:
                if f.end <= cue.first && cue.first - f.end <= 6 { return true }
            default: continue
            }
        }
        return false
    }

    /// The axis names tied to a cue: the nearest group after it in the clause, else before it.
    func axisGroup(for cue: Found, mentions: [Gazetteer.Mention], clause: Range<Int>, tokens t: UnsafeBufferPointer<Token>) -> [Gazetteer.Mention] {
        let inClause = mentions.filter { clause.contains($0.first) }
        if let firstAfter = inClause.firstIndex(where: { $0.first >= cue.end }) {
            var group = [inClause[firstAfter]]
            var k = firstAfter + 1
            while k < inClause.count, connected(group.last!.end, inClause[k].first, t) {
                group.append(inClause[k]); k += 1
            }
            return group
        }
        if let lastBefore = inClause.lastIndex(where: { $0.end <= cue.first }) {
            var group = [inClause[lastBefore]]
            var k = lastBefore - 1
            while k >= 0, connected(inClause[k].end, group.first!.first, t) {
                group.insert(inClause[k], at: 0); k -= 1
            }
            return group
        }
        return []
    }

    /// True when only connectors ("and", ",", "-", "the ... direction") stand between two mentions.
    func connected(_ from: Int, _ to: Int, _ t: UnsafeBufferPointer<Token>) -> Bool {
        guard to - from <= 6 else { return false }
        var i = from
        while i < to {
            switch t[i].kind {
            case .comma, .dash, .slash: i += 1
            default:
                guard let m = connectors.match(t, at: i, limit: to) else { return false }
                i = m.end
            }
        }
        return true
    }

    func actorFor(_ cue: Found, found: [Found], clause: Range<Int>) -> Actor {
        var best: (Actor, Int)?
        for f in found where clause.contains(f.first) {
            guard case .actor(let a) = f.role, !isSource(f, found) else { continue }
            if f.end <= cue.first {
                best = (a, cue.first - f.end)  // nearest before the cue wins
            } else if best == nil, f.first >= cue.end {
                // "attacks by Russian forces intensified" is caught above; after-cue actors only
                // count when nothing precedes ("intensification of Russian assaults").
                return a
            }
        }
        return best?.0 ?? .unknown
    }

    func startsWithPronoun(_ t: UnsafeBufferPointer<Token>, _ clause: Range<Int>, bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        for i in clause.prefix(12) where t[i].kind == .word {
            if ExtractorAbbreviations.pronouns.contains(t[i].key) { return true }
        }
        return false
    }

    func mentionsEarlierYear(_ t: UnsafeBufferPointer<Token>, _ range: Range<Int>, bytes: UnsafeBufferPointer<UInt8>,
                             articleDate: CalendarDay?) -> Bool {
        guard let articleYear = articleDate?.components.year else { return false }
        for i in range where t[i].kind == .number && t[i].end - t[i].start == 4 {
            var year = 0
            for k in Int(t[i].start)..<Int(t[i].end) { year = year * 10 + Int(bytes[k] - 0x30) }
            if year >= 2000 && year < articleYear {
                // "in 2022", "since 2023": a year before the report's own.
                return true
            }
        }
        return false
    }
}

enum ExtractorAbbreviations {
    static let list: Set<UInt64> = Set(["gen", "lt", "col", "maj", "capt", "sgt", "mr", "mrs", "ms", "dr", "st", "u", "s", "no", "vs", "jr", "sr"].map { Tokenizer.key($0) })
    static let pronouns: Set<UInt64> = Set(["they", "their", "its", "it", "them", "these", "those"].map { Tokenizer.key($0) })

    static func isAbbreviation(_ bytes: UnsafeBufferPointer<UInt8>, _ token: Token) -> Bool {
        list.contains(token.key)
    }
}

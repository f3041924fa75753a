/// Finds changes of military activity on front-line axes in an article.
///
/// The extractor reads sentence by sentence. A sentence yields an event when it holds a change cue
/// ("intensified", "went on the offensive", "subsided"), an axis the cue is tied to, and nothing
/// that makes the cue something other than a current change: negation, denial, speculation,
/// history, habit, a subordinate clause ("when they intensified"), a purpose ("to escalate").
///
/// The axis is the nearest group of axis names after the cue in its clause, else the nearest
/// before it; "in this direction" or "there" points back to the last group named; a cue sentence
/// that names no place at all inherits the group of the sentence or two before it. The actor is
/// the nearest side named before the cue, unless that mention is only the source of the report.
///
/// The whole article is matched once against the lexicon and the gazetteer; sentences then work on
/// index ranges of those matches, so the only strings built are the evidence of emitted events.
public struct Extractor: Sendable {
    enum Role: Sendable, Equatable {
        case change(Int)
        case activityNoun(offensive: Bool)
        case actor(Side)
        case sourceNoun(needsVerb: Bool)
        case reportingVerb
        case attribution
        case negation
        case denial
        case speculation(eitherSide: Bool)
        case hedge
        case neutral
        case history
        case habit
        case clauseBreak(sameTopic: Bool)
        case subordinator
        case anaphor
        case otherPlace
        case background
        case nonMilitaryObject
        case rearTarget
        case broadRegion
        case rebuttal
        case sequence
        case defenceVerb

        var isActivity: Bool {
            if case .activityNoun = self { return true }
            return false
        }
    }

    /// The gazetteer the extractor maps axis names with.
    public let gazetteer: Gazetteer
    let cues: [Lexicon.CueSpec]
    let matcher: PhraseMatcher<Role>
    let connectors: PhraseMatcher<Bool>
    let keys: ExtractorKeys
    /// The words and phrases the rules look for.
    public let lexicon: Lexicon

    /// The trained decision stage; nil keeps the rules' own verdict (a candidate nothing blocks).
    public let scorer: Scorer?
    let cueKeys: [UInt64]

    /// Creates an extractor over a gazetteer and a lexicon, deciding with `scorer` (nil: the rules decide).
    public init(gazetteer: Gazetteer, lexicon: Lexicon, scorer: Scorer? = nil) {
        self.gazetteer = gazetteer
        self.scorer = scorer
        self.lexicon = lexicon
        self.keys = ExtractorKeys(lexicon)
        self.cues = lexicon.cues
        self.cueKeys = lexicon.cues.map { Feature.valueKey($0.phrase) }
        var matcher = PhraseMatcher<Role>()
        for (index, cue) in cues.enumerated() { matcher.add(cue.phrase, .change(index)) }
        for w in lexicon.activityNouns where !lexicon.offensiveNouns.contains(w) {
            matcher.add(w, .activityNoun(offensive: false))
        }
        for w in lexicon.offensiveNouns { matcher.add(w, .activityNoun(offensive: true)) }
        for w in lexicon.russia { matcher.add(w, .actor(.russia)) }
        for w in lexicon.ukraine { matcher.add(w, .actor(.ukraine)) }
        for w in lexicon.sourceNouns { matcher.add(w, .sourceNoun(needsVerb: false)) }
        for w in lexicon.agentSourceNouns { matcher.add(w, .sourceNoun(needsVerb: true)) }
        for w in lexicon.reportingVerbs { matcher.add(w, .reportingVerb) }
        for w in lexicon.attributions { matcher.add(w, .attribution) }
        for w in lexicon.negations { matcher.add(w, .negation) }
        for w in lexicon.denials { matcher.add(w, .denial) }
        for w in lexicon.speculation { matcher.add(w, .speculation(eitherSide: false)) }
        for w in lexicon.speculationEitherSide { matcher.add(w, .speculation(eitherSide: true)) }
        for w in lexicon.neutral { matcher.add(w, .neutral) }
        for w in lexicon.hedges where !lexicon.speculation.contains(w) { matcher.add(w, .hedge) }
        for w in lexicon.history { matcher.add(w, .history) }
        for w in lexicon.habit { matcher.add(w, .habit) }
        for w in lexicon.clauseBreaks {
            matcher.add(w, .clauseBreak(sameTopic: lexicon.sameTopicBreaks.contains(w)))
        }
        for w in lexicon.subordinators { matcher.add(w, .subordinator) }
        for w in lexicon.anaphors { matcher.add(w, .anaphor) }
        for w in lexicon.otherPlaces { matcher.add(w, .otherPlace) }
        for w in lexicon.background { matcher.add(w, .background) }
        for w in lexicon.nonMilitaryObjects { matcher.add(w, .nonMilitaryObject) }
        for w in lexicon.rearTargets { matcher.add(w, .rearTarget) }
        for w in lexicon.broadRegions { matcher.add(w, .broadRegion) }
        for w in lexicon.rebuttals { matcher.add(w, .rebuttal) }
        for w in lexicon.sequence { matcher.add(w, .sequence) }
        for w in lexicon.defenceVerbs { matcher.add(w, .defenceVerb) }
        self.matcher = matcher
        var connectors = PhraseMatcher<Bool>()
        for w in lexicon.groupConnectors { connectors.add(w, true) }
        self.connectors = connectors
    }

    /// The events an article states, in text order.
    public func extract(from article: Article) -> [AxisEvent] {
        var scratch = Scratch()
        return extract(from: article, scratch: &scratch)
    }

    /// The events an article states, reusing `scratch`'s storage: the candidates the scorer (or,
    /// without one, the rules) accepts, with the scorer's probability as their confidence.
    public func extract(from article: Article, scratch: inout Scratch) -> [AxisEvent] {
        let found = candidates(from: article, scratch: &scratch)
        return scratch.interrupted ? [] : decide(found, in: article, scorer: scorer)
    }

    /// The events `scorer` (or, when nil, the rules) accepts among an article's candidates.
    public func decide(_ found: [Candidate], in article: Article, scorer: Scorer?) -> [AxisEvent] {
        var events: [AxisEvent] = []
        let verdicts = scorer?.verdicts(found)
        for (n, c) in found.enumerated() {
            let confidence: Double
            var c = c
            if let scorer, let verdicts {
                guard let p = verdicts.probability[n] else { continue }
                let together = verdicts.together[Scorer.Pair(axis: c.axis, change: c.change)] ?? p
                guard scorer.keeps(p, together: together) else { continue }
                // Its confidence: the chance that at least one of the article's reports of it holds.
                confidence = (max(p, together) * 100).rounded() / 100
                // The side model chooses between the sides; where the rules found none, none is claimed.
                if c.actor != .unknown { c.actor = scorer.actor(c.features) }
            } else {
                guard c.accepted else { continue }
                confidence = c.ruleConfidence
            }
            // One sentence moves one axis one way: of "up" and "down" for the same axis, the surer.
            // Candidates come in text order, so that sentence's events are the last ones (a scan
            // of all events here made an article of 60,000 events quadratic: seconds per MB).
            let name = gazetteer.axes[c.axis].name
            var j = events.count - 1
            while j >= 0, events[j].start == c.sentence.lowerBound, events[j].axis != name { j -= 1 }
            if j >= 0, events[j].start == c.sentence.lowerBound {
                if events[j].change != c.change {
                    if events[j].confidence >= confidence { continue }
                    events.remove(at: j)
                }
            }
            events.append(event(for: c, in: article, confidence: confidence))
        }
        return events
    }

    /// The event a candidate states, with its evidence sentence.
    public func event(for c: Candidate, in article: Article, confidence: Double) -> AxisEvent {
        let utf8 = article.text.utf8
        let from = utf8.index(utf8.startIndex, offsetBy: c.sentence.lowerBound)
        let to = utf8.index(from, offsetBy: c.sentence.count)
        let place = c.place.map { range -> String in
            let a = utf8.index(utf8.startIndex, offsetBy: range.lowerBound)
            return String(article.text[a..<utf8.index(a, offsetBy: range.count)])
        }
        return AxisEvent(axis: gazetteer.axes[c.axis].name, actor: c.actor, change: c.change, confidence: confidence,
                         evidence: String(article.text[from..<to]), start: c.sentence.lowerBound,
                         end: c.sentence.upperBound, rule: rule(of: c), day: c.day, place: place,
                         kind: gazetteer.axes[c.axis].kind)
    }

    /// The cue and route of a candidate, for explanations ("intensified:stepped up/axis").
    public func rule(of c: Candidate) -> String {
        "\(c.change.rawValue):\(cues[c.cueIndex].phrase)/\(c.route.rawValue)"
    }

    /// Reusable buffers, so a long-running caller allocates them once.
    public struct Scratch: Sendable {
        var tokens: [Token] = []
        var bytes: [UInt8] = []
        var found: [Found] = []
        var mentions: [Gazetteer.Mention] = []
        /// Asked between the stages of an article's reading and every few hundred sentences:
        /// true ends the reading at once (a daemon told to stop), with `interrupted` set.
        public var shouldStop: (@Sendable () -> Bool)?
        /// The last article's reading was ended by `shouldStop`: its events are not all there.
        public internal(set) var interrupted = false
        /// Empty buffers.
        public init(shouldStop: (@Sendable () -> Bool)? = nil) {
            self.shouldStop = shouldStop
        }

        /// Lets go of buffers grown past what an article of `bytes` bytes needs (after a large
        /// one, a long-lived scratch would otherwise hold ~4 bytes of tokens per byte of it).
        public mutating func shrink(above bytes: Int) {
            if self.bytes.capacity > bytes {
                self.bytes = []
                tokens = []
                found = []
                mentions = []
            }
        }
    }

    struct Found: Sendable {
        var role: Role
        var first: Int
        var end: Int
    }

    /// What the reader remembers from one sentence to the next.
    struct Context {
        /// The last group of axis names (indices into the article's mentions), and its sentence.
        var lastGroup: Range<Int> = 0..<0
        var lastGroupSentence = -100
        /// The side the previous sentences talked about, for "its troops".
        var previousActor: Side = .unknown
        /// How many sentences so far named each side as the one acting.
        var russiaSentences = 0
        var ukraineSentences = 0
        /// The side the article has named most as the one acting, if one leads.
        var dominantSide: Side {
            russiaSentences > ukraineSentences ? .russia : ukraineSentences > russiaSentences ? .ukraine : .unknown
        }
        /// Inside a passage headed "Background".
        var inBackground = false
        var sentence = 0
    }

    /// One sentence's slices of the article-wide matches.
    struct Sentence {
        var range: Range<Int>
        var found: Range<Int>
        var mentions: Range<Int>
        /// A short line with no closing punctuation: a heading.
        var isHeading: Bool
    }

    /// The longest sentence the extractor reads as one; longer runs are cut. Real sentences in
    /// war reporting stay far below (a long one has about 80 tokens).
    public static let maxSentenceTokens = 240

    /// Every (sentence, axis, change cue) the rules can tie together, with what blocks it and
    /// the features the scorer reads; `names` also spells the features out (for training).
    public func candidates(from article: Article, scratch: inout Scratch, names: Bool = false) -> [Candidate] {
        scratch.interrupted = false
        let shouldStop = scratch.shouldStop
        if shouldStop?() == true {
            scratch.interrupted = true
            return []
        }
        scratch.bytes.removeAll(keepingCapacity: true)
        scratch.bytes.append(contentsOf: article.text.utf8)
        Tokenizer.tokenize(scratch.bytes, into: &scratch.tokens)
        if shouldStop?() == true {
            scratch.interrupted = true
            return []
        }
        var stopped = false
        defer { if stopped { scratch.interrupted = true } }
        let bodyStart = Int32(article.bodyStart)
        var found = scratch.found
        var mentions = scratch.mentions
        found.removeAll(keepingCapacity: true)
        mentions.removeAll(keepingCapacity: true)
        defer {
            scratch.found = found
            scratch.mentions = mentions
        }
        return scratch.tokens.withUnsafeBufferPointer { tokens in
            scratch.bytes.withUnsafeBufferPointer { bytes in
                var first = 0
                while first < tokens.count, tokens[first].start < bodyStart { first += 1 }
                var i = first
                while i < tokens.count {
                    if let m = matcher.match(tokens, at: i, limit: tokens.count) {
                        found.append(Found(role: m.payload, first: m.first, end: m.end))
                        i = m.end
                    } else {
                        i += 1
                    }
                }
                gazetteer.match(in: tokens, range: first..<tokens.count, into: &mentions)
                // "the Tavria group said", "spokesman for the Khortytsia group": a unit, not a place.
                mentions.removeAll { isSourceMention($0, tokens) }
                if shouldStop?() == true {
                    stopped = true
                    return []
                }

                var events: [Candidate] = []
                var context = Context()
                var sentenceStart = first
                var f = 0
                var m = 0
                i = first
                while i <= tokens.count {
                    // A run of text with no sentence break (a 10 MB line) is cut into pieces of at
                    // most `maxSentenceTokens`, which keeps the per-sentence rules linear in the text.
                    if i == tokens.count || i - sentenceStart >= Self.maxSentenceTokens
                        || (i > sentenceStart && isSentenceBreak(tokens, before: i, bytes: bytes)) {
                        if i > sentenceStart {
                            let f0 = f, m0 = m
                            while f < found.count, found[f].first < i { f += 1 }
                            while m < mentions.count, mentions[m].first < i { m += 1 }
                            let sentence = Sentence(range: sentenceStart..<i, found: f0..<f, mentions: m0..<m,
                                                    isHeading: isHeading(tokens, sentenceStart..<i))
                            found.withUnsafeBufferPointer { fb in
                                mentions.withUnsafeBufferPointer { mb in
                                    analyze(sentence, tokens, fb, mb, bytes: bytes, article: article,
                                            context: &context, names: names, into: &events)
                                }
                            }
                            context.sentence += 1
                            if context.sentence & 511 == 0, shouldStop?() == true {
                                stopped = true
                                return []
                            }
                        }
                        sentenceStart = i
                    }
                    i += 1
                }
                // What the article is about: the axis it names most is its topic; one it names
                // once is more often background.
                if !events.isEmpty {
                    var counts: [Int: Int] = [:]
                    for mention in mentions { counts[mention.axis, default: 0] += 1 }
                    let most = counts.values.max() ?? 0
                    for c in events.indices {
                        let n = counts[events[c].axis] ?? 0
                        let topic = n == most ? "main" : n <= 1 ? "once" : "minor"
                        let id = Feature.id(Feature.ns.topic, Feature.value.key(topic))
                        if !events[c].features.contains(id) {
                            events[c].features.append(id)
                            events[c].featureNames?.append("topic=" + topic)
                        }
                    }
                }
                return events
            }
        }
    }

    /// True when a new sentence starts at token `i`.
    @inline(__always)
    func isSentenceBreak(_ t: UnsafeBufferPointer<Token>, before i: Int, bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        // Most tokens follow a word on the same line: no break can come before them (the rules
        // below need a line break, or a full stop, a question or exclamation mark, a quote or a
        // bracket before the token).
        if t[i].newlinesBefore == 0 {
            switch t[i - 1].kind {
            case .period, .question, .exclamation, .quote, .close: break
            default: return false
            }
        }
        return endsSentence(t, before: i, bytes: bytes)
    }

    /// `isSentenceBreak` for the tokens its quick test leaves open.
    private func endsSentence(_ t: UnsafeBufferPointer<Token>, before i: Int, bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let token = t[i]
        if token.newlinesBefore >= 2 { return true }
        // A line that opens with a capital, a quote, a number ("2.") or a bullet ("-", "•", "*").
        if token.newlinesBefore == 1 && (token.capitalized || token.kind == .quote || token.kind == .number
            || token.kind == .dash || token.kind == .other) {
            return true
        }
        let previous = t[i - 1]
        // A quote glued to the word before it closes a quotation: it ends the sentence, not starts one.
        if token.kind == .quote || token.kind == .close, token.start == previous.end { return false }
        // The word after an opening quote: the break, if any, came before the quote.
        if previous.kind == .quote, previous.end == token.start, i >= 2, previous.start > t[i - 2].end { return false }
        // ". Next" / ".” Next" / "? Next"
        var j = i - 1
        var sawQuote = false
        while j >= 0, t[j].kind == .quote || t[j].kind == .close { sawQuote = true; j -= 1 }
        guard j >= 0 else { return false }
        let prev = t[j]
        guard prev.kind == .period || prev.kind == .question || prev.kind == .exclamation else { return false }
        let startsSentence = token.capitalized || token.kind == .quote || token.kind == .number || sawQuote
        guard startsSentence else { return false }
        // "Gen. Syrskyi", "U.S. forces": a short capitalised word before the period is an abbreviation;
        // so is a month before a day ("on Aug. 6", "Sept. 14").
        if prev.kind == .period, j >= 1, t[j - 1].kind == .word, t[j - 1].end == prev.start {
            let len = t[j - 1].end - t[j - 1].start
            if len <= 4 && t[j - 1].capitalized && keys.abbreviations.contains(t[j - 1].key) { return false }
            if len <= 4 && t[j - 1].capitalized && token.kind == .number && keys.monthAbbreviations.contains(t[j - 1].key) {
                return false
            }
        }
        return true
    }

    /// A short line that ends without a full stop: a heading such as "Background".
    func isHeading(_ t: UnsafeBufferPointer<Token>, _ range: Range<Int>) -> Bool {
        guard range.count <= 8 else { return false }
        if range.upperBound < t.count, t[range.upperBound].newlinesBefore == 0 { return false }
        switch t[range.upperBound - 1].kind {
        case .period, .question, .exclamation, .quote, .close, .comma: return false
        default: return true
        }
    }

    func analyze(_ s: Sentence, _ t: UnsafeBufferPointer<Token>, _ found: UnsafeBufferPointer<Found>,
                 _ mentions: UnsafeBufferPointer<Gazetteer.Mention>, bytes: UnsafeBufferPointer<UInt8>,
                 article: Article, context: inout Context, names: Bool, into candidates: inout [Candidate]) {
        let range = s.range
        // Remember the side the sentence talks about, for "its troops" in the next one.
        var sentenceActor: Side = .unknown
        var sentenceActorPosition = Int.max
        var hasCue = false
        var denied = false
        var startsBackground = false
        for k in s.found {
            switch found[k].role {
            case .actor(let a):
                if sentenceActor == .unknown, isAgent(found[k], k, found, s.found, t, sentenceStart: range.lowerBound) {
                    // "Ukrainian defenders repelled 31 attacks": the sentence is about Russia's attacks.
                    sentenceActor = defends(found[k], k, found, s.found, until: range.upperBound) ? a.opponent : a
                    sentenceActorPosition = found[k].first
                }
            case .change: hasCue = true
            case .denial: denied = true
            case .background: if found[k].first == range.lowerBound { startsBackground = true }
            default: break
            }
        }
        let inBackground = context.inBackground
        defer {
            if sentenceActor != .unknown {
                context.previousActor = sentenceActor
                if sentenceActor == .russia { context.russiaSentences += 1 } else { context.ukraineSentences += 1 }
            }
            if let group = lastGroup(in: s, mentions, t) {
                context.lastGroup = group
                context.lastGroupSentence = context.sentence
            }
        }
        if s.isHeading {
            // A heading opens a new passage: "Background" starts one to skip, anything else ends it.
            context.inBackground = startsBackground
        }
        guard hasCue else { return }
        // What holds for every cue of the sentence.
        var sentenceBlocks: [Block] = []
        if denied { sentenceBlocks.append(.denied) }
        if startsBackground || (inBackground && !s.isHeading) { sentenceBlocks.append(.background) }
        if t[range.upperBound - 1].kind == .question { sentenceBlocks.append(.question) }
        if mentionsEarlierYear(t, range, bytes: bytes, articleDate: article.date) { sentenceBlocks.append(.earlierYear) }
        let date = DatePhrases.resolve(t, range, bytes: bytes, articleDate: article.date)
        if date.future { sentenceBlocks.append(.future) }
        if date.stale { sentenceBlocks.append(.stale) }

        let first = candidates.count
        let sentenceBytes = Int(t[range.lowerBound].start)..<Int(t[range.upperBound - 1].end)
        // Hashed only once the sentence has a candidate: most cue sentences name no place.
        var sentenceKey: UInt64?
        for k in s.found {
            guard case .change(let cueIndex) = found[k].role else { continue }
            let cue = found[k]
            let spec = cues[cueIndex]
            let clause = clauseRange(around: cue, in: range, s.found, found, t)
            var blocks = sentenceBlocks
            if spec.needsActivity && !hasActivityNoun(near: cue, spec, s.found, found, clause, t) { blocks.append(.noActivity) }
            if spec.needsOffensiveNoun && !hasOffensiveNoun(after: cue, s.found, found, clause, t,
                                                            relative: !spec.needsRecentStart) { blocks.append(.noOffensive) }
            if spec.needsRecentStart && !startedLately(clause, t) { blocks.append(.notRecent) }
            if spec.needsForces && !bringsInForces(cue, clause, t) { blocks.append(.noForces) }
            if spec.refusalSense && isRefusal(cue, clause, t) { blocks.append(.refusal) }
            assertionBlocks(cue, spec, s.found, found, clause, t, into: &blocks)
            // No place tied to the cue: the sentence may still go on about the place of a recent one.
            guard let (tied, route) = axisGroup(for: cue, spec, s, found, mentions, clause, t, context: context)
                ?? distantGroup(context, mentions) else {
                continue
            }
            var group = tied
            // A broad area ("in the south") is where an event lands only when no axis is named.
            if s.mentions.contains(where: { !isArea(mentions[$0]) }) { group.removeAll { isArea($0) } }
            if group.isEmpty { continue }
            if route == .distant { blocks.append(.distant) }
            var actor = actorFor(cue, spec, s.found, found, clause, t)
            let actorNamed = actor != .unknown
            if actor == .unknown, sentenceActorPosition < cue.first { actor = sentenceActor }
            // A sentence that goes on about the axis of the last one goes on about its side too.
            if actor == .unknown, route != .direct || startsWithPronoun(t, clause) { actor = context.previousActor }
            // A clause that names no side ("the number of attacks has fallen", "fighting has
            // intensified") speaks of the side the article is about: the one its last sentences
            // named, else the one it names most.
            if actor == .unknown { actor = context.previousActor }
            if actor == .unknown { actor = context.dominantSide }
            var features = FeatureSink(names: names)
            describe(cue: cue, spec: spec, cueIndex: cueIndex, blocks: blocks, route: route, actor: actor,
                     actorNamed: actorNamed, group: group, sentence: s, clause: clause, heading: s.isHeading,
                     dated: date.day != article.date, context: context, t, found, bytes: bytes, into: &features)
            for mention in group {
                var rule = 0.9
                if actor == .unknown { rule -= 0.15 }
                if mention.viaSettlement { rule -= 0.1 }
                switch route {
                case .direct: break
                case .anaphor: rule -= 0.1
                case .carried: rule -= 0.2
                case .distant: rule -= 0.3
                }
                var f = features
                if mention.viaSettlement { f.add(Feature.ns.settlement, Feature.value.key("yes"), "settlement=yes") }
                if mention.regional { f.add(Feature.ns.settlement, Feature.value.key("region"), "settlement=region") }
                let kind = gazetteer.axes[mention.axis].kind ?? "direction"
                f.add(Feature.ns.kind, Feature.valueKey(kind), "kind=\(kind)")
                let place = mention.viaSettlement ? Int(t[mention.first].start)..<Int(t[mention.end - 1].end) : nil
                if sentenceKey == nil {
                    var hash = StableHash()
                    hash.combine(bytes: UnsafeBufferPointer(rebasing: bytes[sentenceBytes]))
                    sentenceKey = hash.value
                }
                candidates.append(Candidate(axis: mention.axis, change: spec.change, actor: actor,
                                            sentence: sentenceBytes,
                                            place: place, cueIndex: cueIndex, route: route,
                                            day: date.day, blocks: blocks, heading: s.isHeading,
                                            ruleConfidence: rule, features: f.ids, featureNames: f.names,
                                            sentenceKey: sentenceKey!))
            }
        }
        // Several cues of one sentence on the same axis and change: one candidate, the one the rules
        // accept if any, with every cue's features.
        var kept: [Candidate] = []
        for c in candidates[first...] {
            if let j = kept.firstIndex(where: { $0.axis == c.axis && $0.change == c.change }) {
                if kept[j].accepted || !c.accepted {
                    kept[j].merge(c)
                } else {
                    var replaced = c
                    replaced.merge(kept[j])
                    kept[j] = replaced
                }
            } else {
                kept.append(c)
            }
        }
        candidates.removeSubrange(first...)
        candidates.append(contentsOf: kept)
    }

    /// How a cue reached its axis.
    public enum Route: String, Sendable {
        /// An axis named in the cue's clause.
        case direct = "axis"
        /// "in this direction", "there": the axis named just before.
        case anaphor
        /// The sentence names no place; the axis of the sentence or two before.
        case carried
        /// Nothing ties the cue to a place; the axis of a sentence up to five before.
        case distant
    }

    func isArea(_ m: Gazetteer.Mention) -> Bool { gazetteer.axes[m.axis].kind == "area" }

    /// The last group of axis names, when it was named up to five sentences before.
    func distantGroup(_ context: Context, _ mentions: UnsafeBufferPointer<Gazetteer.Mention>)
        -> ([Gazetteer.Mention], Route)? {
        guard !context.lastGroup.isEmpty, context.sentence - context.lastGroupSentence <= 5 else { return nil }
        return (context.lastGroup.map { mentions[$0] }, .distant)
    }

    // MARK: Assertion

    /// Appends what makes the cue something other than a plain assertion: negated, denied,
    /// hedged, historical, habitual, subordinate, a purpose.
    func assertionBlocks(_ cue: Found, _ spec: Lexicon.CueSpec, _ indices: Range<Int>,
                         _ found: UnsafeBufferPointer<Found>, _ clause: Range<Int>, _ t: UnsafeBufferPointer<Token>,
                         into blocks: inout [Block]) {
        func block(_ b: Block) { if !blocks.contains(b) { blocks.append(b) } }
        for k in indices where clause.contains(found[k].first) {
            let f = found[k]
            let gapBefore = cue.first - f.end  // tokens between f and the cue, when f comes first
            let gapAfter = f.first - cue.end
            switch f.role {
            case .negation:
                if f.end <= cue.first && gapBefore <= 4 { block(.negation) }
                if f.first >= cue.end && gapAfter <= 1 { block(.negation) }
                // "I cannot say that the intensity has grown", "we have not seen any increase in attacks".
                if f.end <= cue.first && gapBefore <= 14,
                   (f.end..<min(f.end + 2, cue.first)).contains(where: { keys.cognitionVerbs.contains(t[$0].key) }) {
                    block(.negatedSaying)
                }
            case .rebuttal:
                // "responding to claims that Russian assaults had slowed": the claim is not the speaker's.
                if f.end <= cue.first { block(.rebuttal) }
            case .hedge:
                // "have likely intensified" asserts; "likely to intensify", "likely intensify" do not.
                if f.first >= cue.end {
                    if gapAfter <= 3 || (gapAfter <= 8 && keys.copulas.contains(t[f.first - 1].key)) { block(.hedge) }
                } else if gapBefore <= 6 && (spec.baseForm || (f.end..<cue.first).contains { t[$0].key == keys.to }) {
                    block(.hedge)
                }
            case .speculation(let eitherSide):
                if isMonthMay(f, t, clause) { continue }
                if f.end <= cue.first && gapBefore <= 6 { block(.speculation) }
                if eitherSide && f.first >= cue.end {
                    // "an intensification is expected", "an escalation near Pokrovsk is likely"
                    if gapAfter <= 3 { block(.speculation) }
                    if gapAfter <= 8 && keys.copulas.contains(t[f.first - 1].key) { block(.speculation) }
                }
            case .history:
                // "the largest attack since the start of the full-scale invasion": a comparison.
                if isComparisonBaseline(f, clause, t) { continue }
                block(.history)
            case .background:
                if f.end <= cue.first && gapBefore <= 8 { block(.background) }
            case .rearTarget:
                block(.rearTarget)
            case .nonMilitaryObject:
                // "stepped up the evacuation" -- unless fighting is named first ("attacks on defences").
                if f.first >= cue.end && gapAfter <= 3
                    && !indices.contains(where: { found[$0].role.isActivity && found[$0].first >= cue.end
                        && found[$0].first < f.first }) {
                    block(.nonMilitary)
                }
            case .habit:
                if (f.end <= cue.first && gapBefore <= 8) || (f.first >= cue.end && gapAfter <= 8) { block(.habit) }
            case .subordinator:
                if f.end <= cue.first && gapBefore <= 5 && !hasComma(t, f.end..<cue.first) { block(.subordinate) }
            default:
                continue
            }
        }
        if cue.first > clause.lowerBound {
            // Past perfect: "had intensified", "had been intensifying" is background -- unless it is
            // reported speech ("officials said Russian forces had stepped up attacks").
            let p1 = t[cue.first - 1].key
            let p2 = cue.first - 2 >= clause.lowerBound ? t[cue.first - 2].key : 0
            if p1 == keys.had || (p2 == keys.had && keys.pastPerfectFillers.contains(p1)) {
                // ... or after it, behind a comma: "Russian units had gone on the offensive, the command said".
                let reported = indices.contains { k in
                    guard case .reportingVerb = found[k].role else { return false }
                    return found[k].end <= cue.first || hasComma(t, cue.end..<found[k].first)
                }
                if !reported { block(.pastPerfect) }
            }
            // Going on: "continues launching attacks", "keep stepping up", "continued to intensify".
            if keys.continuers.contains(p1) || (p1 == keys.to && keys.continuers.contains(p2)) {
                block(.ongoing)
            }
            // Purpose: "allowing Russia to escalate attacks" states no change; "began to intensify" does.
            if spec.baseForm && p1 == keys.to && !keys.changeStarters.contains(p2) {
                block(.purpose)
            }
        }
    }

    /// True when a "since ..." history phrase only measures a superlative: "the heaviest shelling
    /// since the start of the war".
    func isComparisonBaseline(_ f: Found, _ clause: Range<Int>, _ t: UnsafeBufferPointer<Token>) -> Bool {
        guard t[f.first].key == keys.since else { return false }
        var i = f.first - 1
        while i >= clause.lowerBound, i >= f.first - 8 {
            if t[i].kind != .word { return false }
            if keys.superlatives.contains(t[i].key) { return true }
            i -= 1
        }
        return false
    }

    /// "May" the month, not the modal: "in May", "since the beginning of May", "May 9", a capital
    /// inside a sentence.
    func isMonthMay(_ f: Found, _ t: UnsafeBufferPointer<Token>, _ clause: Range<Int>) -> Bool {
        guard f.end - f.first == 1, t[f.first].key == DatePhrases.mayWord else { return false }
        if f.first > clause.lowerBound {
            if t[f.first].capitalized && t[f.first - 1].kind != .quote && t[f.first - 1].kind != .colon { return true }
            if keys.monthPrepositions.contains(t[f.first - 1].key) { return true }
        }
        return f.end < t.count && t[f.end].kind == .number
    }

    func hasComma(_ t: UnsafeBufferPointer<Token>, _ range: Range<Int>) -> Bool {
        for i in range where t[i].kind == .comma || t[i].kind == .semicolon || t[i].kind == .colon { return true }
        return false
    }

    func hasActivityNoun(near cue: Found, _ spec: Lexicon.CueSpec, _ indices: Range<Int>,
                         _ found: UnsafeBufferPointer<Found>, _ clause: Range<Int>, _ t: UnsafeBufferPointer<Token>) -> Bool {
        for k in indices where clause.contains(found[k].first) {
            guard case .activityNoun = found[k].role else { continue }
            let f = found[k]
            if spec.comparative && keys.weaponNouns.contains(t[f.first].key) { continue }
            if spec.activityRightAfter {
                // "more shelling", "more guided aerial bombs"
                if f.first >= cue.end && f.first - cue.end <= 2 { return true }
                continue
            }
            if f.end <= cue.first && cue.first - f.end <= 14 { return true }
            if !spec.activityBeforeOnly && f.first >= cue.end && f.first - cue.end <= 5 { return true }
        }
        return false
    }

    func hasOffensiveNoun(after cue: Found, _ indices: Range<Int>, _ found: UnsafeBufferPointer<Found>,
                          _ clause: Range<Int>, _ t: UnsafeBufferPointer<Token>, relative: Bool = true) -> Bool {
        var lastBefore: Found?
        for k in indices where clause.contains(found[k].first) {
            guard case .activityNoun(let offensive) = found[k].role, offensive else { continue }
            if found[k].end <= cue.first { lastBefore = found[k]; continue }
            guard found[k].first >= cue.end && found[k].first - cue.end <= 4 else { continue }
            // "launched 12 attacks", "launched two assaults": a daily count, not a new offensive;
            // "launched fewer attacks" is no launch either.
            if (cue.end..<found[k].first).contains(where: { t[$0].kind == .number || keys.countWords.contains(t[$0].key)
                || keys.fewerWords.contains(t[$0].key) }) {
                return false
            }
            return true
        }
        // The offensive named before, in a relative clause or a passive: "a counteroffensive in the
        // Kharkiv region that Kyiv launched this week", "the assault, which began on Friday",
        // "the offensive launched by Russian forces".
        guard relative, let noun = lastBefore, cue.first - noun.end <= 10,
              keys.relativeOffensiveNouns.contains(t[noun.end - 1].key) else { return false }
        // "Russia's offensive, launched on 10 May, has slowed": the launch is background to the news.
        for k in indices where clause.contains(found[k].first) {
            if case .change(let c) = found[k].role, cues[c].change == .eased { return false }
        }
        let passive = cue.end < clause.upperBound && t[cue.end].key == keys.by && cue.first - noun.end <= 1
        if passive { return true }
        // "Russia's offensive began on Friday", "the push has started"; "the incursion, launched on Tuesday,".
        if (noun.end..<cue.first).allSatisfy({ keys.auxiliaries.contains(t[$0].key) }) && cue.first - noun.end <= 2 {
            return true
        }
        if t[cue.first - 1].kind == .comma, cue.first - noun.end <= 8,
           !(noun.end..<cue.first - 1).contains(where: { t[$0].kind != .word }) {
            return true
        }
        var p = cue.first - 1
        var steps = 0
        while p >= noun.end, steps < 4 {
            if keys.relativePronouns.contains(t[p].key) {
                // Nothing but a short place phrase between the noun and "that".
                return !(noun.end..<p).contains { t[$0].kind == .period || t[$0].kind == .semicolon
                    || keys.relativePronouns.contains(t[$0].key) }
            }
            if t[p].kind != .word { return false }
            p -= 1
            steps += 1
        }
        return false
    }

    /// "since Tuesday", "since the morning of October 10", "since last week": an offensive carried
    /// on since then began lately.
    func startedLately(_ clause: Range<Int>, _ t: UnsafeBufferPointer<Token>) -> Bool {
        for i in clause where t[i].key == keys.since {
            var j = i + 1
            while j < clause.upperBound, j < i + 4, keys.recentFillers.contains(t[j].key) { j += 1 }
            guard j < clause.upperBound else { return false }
            if keys.recentStarts.contains(t[j].key) || DatePhrases.weekdays.contains(t[j].key) { return true }
            // "since October 10", "since 10 October": a named day (a stale one makes the sentence history).
            if DatePhrases.months.contains(t[j].key), j + 1 < clause.upperBound, t[j + 1].kind == .number { return true }
            if t[j].kind == .number, j + 1 < clause.upperBound, DatePhrases.months.contains(t[j + 1].key) { return true }
        }
        return false
    }

    /// "bringing in significant forces and equipment" -- but not "brought in reserves to hold the line".
    func bringsInForces(_ cue: Found, _ clause: Range<Int>, _ t: UnsafeBufferPointer<Token>) -> Bool {
        var i = cue.end
        var sawForces = false
        while i < min(clause.upperBound, cue.end + 4) {
            if keys.forceNouns.contains(t[i].key) { sawForces = true; break }
            i += 1
        }
        guard sawForces else { return false }
        for j in i..<min(clause.upperBound, i + 8) where keys.defensivePurpose.contains(t[j].key) { return false }
        return true
    }

    /// "declining to give details", "declined to comment": refusing, not a decline of activity
    /// ("attacks declined to 20 a day" is one).
    func isRefusal(_ cue: Found, _ clause: Range<Int>, _ t: UnsafeBufferPointer<Token>) -> Bool {
        guard cue.end + 1 < clause.upperBound, t[cue.end].key == keys.to else { return false }
        let next = t[cue.end + 1]
        return next.kind == .word && !keys.countWords.contains(next.key) && !keys.articles.contains(next.key)
    }

    // MARK: Clauses and axes

    func clauseRange(around cue: Found, in range: Range<Int>, _ indices: Range<Int>, _ found: UnsafeBufferPointer<Found>,
                     _ t: UnsafeBufferPointer<Token>) -> Range<Int> {
        var lower = range.lowerBound
        var upper = range.upperBound
        for k in indices {
            guard case .clauseBreak = found[k].role else { continue }
            if found[k].end <= cue.first { lower = max(lower, found[k].end) }
            if found[k].first >= cue.end { upper = min(upper, found[k].first) }
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

    /// The axis names tied to a cue and how they were reached, or nil.
    func axisGroup(for cue: Found, _ spec: Lexicon.CueSpec, _ s: Sentence, _ found: UnsafeBufferPointer<Found>,
                   _ mentions: UnsafeBufferPointer<Gazetteer.Mention>, _ clause: Range<Int>,
                   _ t: UnsafeBufferPointer<Token>, context: Context) -> ([Gazetteer.Mention], Route)? {
        let inClause = s.mentions.filter { clause.contains(mentions[$0].first) }
        // Place words of the clause: anaphors and "elsewhere".
        var anaphorAfter: Int?
        var anaphorBefore: Int?
        var otherAfter: Int?
        var otherBefore: Int?
        var otherAnywhere = false
        for k in s.found {
            let f = found[k]
            switch f.role {
            case .anaphor:
                guard clause.contains(f.first), isPlaceAnaphor(f, t) else { continue }
                if f.first >= cue.end { if anaphorAfter == nil { anaphorAfter = f.first } } else { anaphorBefore = f.first }
            case .broadRegion:
                if clause.contains(f.first) { otherAnywhere = true }
            case .otherPlace:
                otherAnywhere = true
                guard clause.contains(f.first) else { continue }
                if f.first >= cue.end { if otherAfter == nil { otherAfter = f.first } } else { otherBefore = f.first }
            default: continue
            }
        }
        if spec.needsAxisObject {
            // "strengthening the Novopavlivka direction": the axis must follow at once.
            guard let k = inClause.first(where: { mentions[$0].first == cue.end }) else { return nil }
            return (group(from: k, forward: true, inClause, mentions, t), .direct)
        }
        // "the lull follows weeks of battles for Sievierodonetsk": places after "follows" belong
        // to the earlier event.
        let sequenceAfter = s.found.first { found[$0].role == .sequence && found[$0].first >= cue.end
            && clause.contains(found[$0].first) }.map { found[$0].first } ?? Int.max
        let firstAfter = inClause.first { mentions[$0].first >= cue.end && mentions[$0].first < sequenceAfter }
        let lastBefore = inClause.last { mentions[$0].end <= cue.first }
        // After the cue: the nearest of an axis name, an anaphor, or "elsewhere".
        let afterPosition = firstAfter.map { mentions[$0].first } ?? Int.max
        if let other = otherAfter, other < afterPosition, other < (anaphorAfter ?? Int.max) { return nil }
        if let ana = anaphorAfter, ana < afterPosition {
            return resolveAnaphor(at: ana, s, mentions, t, context: context).map { ($0, .anaphor) }
        }
        if let k = firstAfter {
            // "activity in the Siversk direction has decreased, ..., near Bilohorivka": a place before
            // the cue that is close wins over one after it behind a comma or far away.
            if let b = lastBefore {
                let before = cue.first - mentions[b].end
                let after = mentions[k].first - cue.end
                if before <= 4 && (hasComma(t, cue.end..<mentions[k].first) || after > 3 * before + 6) {
                    return (group(from: b, forward: false, inClause, mentions, t), .direct)
                }
            }
            return (group(from: k, forward: true, inClause, mentions, t), .direct)
        }
        // Before the cue: the nearest of them.
        let beforePosition = lastBefore.map { mentions[$0].first } ?? Int.min
        if let other = otherBefore, other > beforePosition, other > (anaphorBefore ?? Int.min) { return nil }
        if let ana = anaphorBefore, ana > beforePosition {
            return resolveAnaphor(at: ana, s, mentions, t, context: context).map { ($0, .anaphor) }
        }
        if let k = lastBefore {
            return (group(from: k, forward: false, inClause, mentions, t), .direct)
        }
        // No place in the clause. After "but" or "however" it is still about the place named before.
        if !otherAnywhere, clause.lowerBound > s.range.lowerBound, startsWithSameTopicBreak(clause, s, found),
           let b = s.mentions.last(where: { mentions[$0].end <= clause.lowerBound }) {
            let before = Array(s.mentions.filter { mentions[$0].end <= clause.lowerBound })
            return (group(from: b, forward: false, before, mentions, t), .anaphor)
        }
        // A sentence that names no place at all continues the last one.
        guard s.mentions.isEmpty, !otherAnywhere, !context.lastGroup.isEmpty,
              context.sentence - context.lastGroupSentence <= 2,
              !namesOtherPlace(clause, t) else { return nil }
        return (context.lastGroup.map { mentions[$0] }, .carried)
    }

    /// The group of connected axis names that starts (forward) or ends (backward) at `inClause[index]`.
    func group(from index: Int, forward: Bool, _ inClause: [Int], _ mentions: UnsafeBufferPointer<Gazetteer.Mention>,
               _ t: UnsafeBufferPointer<Token>) -> [Gazetteer.Mention] {
        guard let position = inClause.firstIndex(of: index) else { return [] }
        var group = [mentions[index]]
        if forward {
            var k = position + 1
            while k < inClause.count, connected(group.last!.end, mentions[inClause[k]].first, t) {
                group.append(mentions[inClause[k]]); k += 1
            }
        } else {
            var k = position - 1
            while k >= 0, connected(mentions[inClause[k]].end, group.first!.first, t) {
                group.insert(mentions[inClause[k]], at: 0); k -= 1
            }
        }
        return group
    }

    /// The group of connected axis names a later "this direction" most likely means: the last one
    /// written as a direction ("the Toretsk direction"), else the last one outside brackets. The
    /// group is a range of indices into the article's mentions.
    func lastGroup(in s: Sentence, _ mentions: UnsafeBufferPointer<Gazetteer.Mention>,
                   _ t: UnsafeBufferPointer<Token>) -> Range<Int>? {
        guard !s.mentions.isEmpty else { return nil }
        var best = s.mentions.lowerBound
        var bestScore = -1
        var depth = 0
        var k = s.mentions.lowerBound
        for i in s.range {
            if t[i].kind == .open { depth += 1 } else if t[i].kind == .close { depth = max(0, depth - 1) }
            while k < s.mentions.upperBound, mentions[k].first == i {
                var score = depth == 0 ? 1 : 0
                let end = mentions[k].end
                if end < s.range.upperBound, gazetteer.frontWords.contains(t[end].key) { score += 2 }
                if end + 1 < s.range.upperBound, t[end].kind == .dash || t[end].key == keys.and { score += 2 }
                if score >= bestScore { best = k; bestScore = score }
                k += 1
            }
        }
        var lower = best
        while lower > s.mentions.lowerBound, connected(mentions[lower - 1].end, mentions[lower].first, t) { lower -= 1 }
        var upper = best + 1
        while upper < s.mentions.upperBound, connected(mentions[upper - 1].end, mentions[upper].first, t) { upper += 1 }
        return lower..<upper
    }

    /// True when the clause opens with "but", "however" and the like.
    func startsWithSameTopicBreak(_ clause: Range<Int>, _ s: Sentence, _ found: UnsafeBufferPointer<Found>) -> Bool {
        for k in s.found where found[k].end == clause.lowerBound {
            if case .clauseBreak(let sameTopic) = found[k].role { return sameTopic }
        }
        return false
    }

    /// What "this direction" at token `position` points to: the nearest group before it in the
    /// sentence, else the last group of the previous sentences (if recent).
    func resolveAnaphor(at position: Int, _ s: Sentence, _ mentions: UnsafeBufferPointer<Gazetteer.Mention>,
                        _ t: UnsafeBufferPointer<Token>, context: Context) -> [Gazetteer.Mention]? {
        let before = s.mentions.filter { mentions[$0].end <= position }
        if let last = before.last {
            return group(from: last, forward: false, Array(before), mentions, t)
        }
        guard !context.lastGroup.isEmpty, context.sentence - context.lastGroupSentence <= 12 else { return nil }
        return context.lastGroup.map { mentions[$0] }
    }

    /// "there"/"here" point to a place unless they open an existential clause ("there was a halt").
    func isPlaceAnaphor(_ f: Found, _ t: UnsafeBufferPointer<Token>) -> Bool {
        guard f.end - f.first == 1, keys.thereHere.contains(t[f.first].key) else { return true }
        guard f.end < t.count else { return true }
        return !keys.existentialFollowers.contains(t[f.end].key)
    }

    /// True when the clause places its cue somewhere the gazetteer does not know: "in Donetsk
    /// Oblast", "in Ukraine's east", "near Odesa".
    func namesOtherPlace(_ clause: Range<Int>, _ t: UnsafeBufferPointer<Token>) -> Bool {
        var i = clause.lowerBound
        while i + 1 < clause.upperBound {
            if keys.placePrepositions.contains(t[i].key) {
                var j = i + 1
                if t[j].key == keys.the, j + 1 < clause.upperBound { j += 1 }
                // "in southern Ukraine", "near occupied Tokmak"
                if t[j].kind == .word, !t[j].capitalized, j + 1 < clause.upperBound, t[j + 1].capitalized { j += 1 }
                if t[j].kind == .word, t[j].capitalized, !DatePhrases.isCalendarWord(t[j].key) { return true }
            }
            i += 1
        }
        return false
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

    /// True when an axis name is only part of the name of a unit or office that reports: "the
    /// Tavria group said", "the Kharkiv regional administration reported", "spokesman for the
    /// Khortytsia group".
    func isSourceMention(_ m: Gazetteer.Mention, _ t: UnsafeBufferPointer<Token>) -> Bool {
        var p = m.first - 1
        if p >= 0, t[p].key == keys.the { p -= 1 }
        if p >= 1, keys.ofFor.contains(t[p].key), keys.officeWords.contains(t[p - 1].key) { return true }
        // The unit word and its verb stand in the same line: a heading that ends with a place name
        // is no "Kharkiv administration" of the paragraph below it.
        guard m.end < t.count, t[m.end].newlinesBefore == 0, keys.unitWords.contains(t[m.end].key) else { return false }
        var i = m.end
        while i < min(t.count, m.end + 6) {
            if t[i].kind == .comma || t[i].kind == .period || t[i].kind == .semicolon || t[i].newlinesBefore > 0 { return false }
            if keys.reportingVerbs.contains(t[i].key) { return true }
            i += 1
        }
        return false
    }

    // MARK: Actors

    /// False for a side named only as the source ("Ukraine's General Staff said", "according to
    /// Ukraine") or as a place or object ("in eastern Ukraine", "positions of Ukrainian troops").
    func isAgent(_ actor: Found, _ k: Int, _ found: UnsafeBufferPointer<Found>, _ indices: Range<Int>,
                 _ t: UnsafeBufferPointer<Token>, sentenceStart: Int, checkPreposition: Bool = true) -> Bool {
        // "Ukraine's General Staff", "Russian media"; "Ukraine said", "Russia has claimed".
        var j = k + 1
        while j < indices.upperBound, found[j].first <= actor.end + 3 {
            switch found[j].role {
            case .sourceNoun(let needsVerb):
                guard found[j].first - actor.end <= 1 else { break }
                if !needsVerb { return false }
                // "Ukraine's Eastern Command said" is a source; "the Russian command has increased" is not.
                var v = j + 1
                while v < indices.upperBound, found[v].first <= found[j].end + 2 {
                    if case .reportingVerb = found[v].role { return false }
                    v += 1
                }
            case .reportingVerb:
                // "Ukraine said", "Russia has claimed", "Ukraine's Khortytsia group said".
                if found[j].first - actor.end <= 1 { return false }
                if (actor.end..<found[j].first).allSatisfy({ t[$0].kind == .word
                    && (t[$0].capitalized || keys.unitWords.contains(t[$0].key)) }) {
                    return false
                }
            default: break
            }
            j += 1
        }
        if k > indices.lowerBound, case .attribution = found[k - 1].role, actor.first - found[k - 1].end <= 2 {
            return false
        }
        // "Media Center Ukraine": the side's name inside another name (a capitalised word that
        // does not open the sentence and is no weekday, month or other lexicon phrase).
        let p = actor.first - 1
        if p > sentenceStart, t[p].kind == .word, t[p].capitalized, !DatePhrases.isCalendarWord(t[p].key),
           !keys.capitalisedFunctionWords.contains(t[p].key), t[p - 1].kind == .word,
           k == indices.lowerBound || found[k - 1].end != actor.first {
            return false
        }
        if checkPreposition, actor.first > 0 {
            var p = actor.first - 1
            if t[p].key == keys.the, p > 0 { p -= 1 }
            if keys.objectPrepositions.contains(t[p].key) {
                // "the pace of Russian offensive operations": the side that does the activity.
                let ownsActivity = keys.agentPrepositions.contains(t[p].key) && k + 1 < indices.upperBound
                    && found[k + 1].role.isActivity && found[k + 1].first - actor.end <= 2
                if !ownsActivity { return false }
            }
        }
        return true
    }

    func actorFor(_ cue: Found, _ spec: Lexicon.CueSpec, _ indices: Range<Int>,
                  _ found: UnsafeBufferPointer<Found>, _ clause: Range<Int>, _ t: UnsafeBufferPointer<Token>) -> Side {
        var before: Side?
        var after: Side?
        for k in indices where clause.contains(found[k].first) {
            guard case .actor(let a) = found[k].role else { continue }
            if spec.nominal, found[k].first >= cue.end, found[k].first - cue.end <= 4,
               isAgent(found[k], k, found, indices, t, sentenceStart: clause.lowerBound, checkPreposition: false) {
                return a  // "a decrease in enemy shelling"
            }
            guard isAgent(found[k], k, found, indices, t, sentenceStart: clause.lowerBound) else { continue }
            if found[k].end <= cue.first {
                // the nearest before the cue wins; "Ukrainian troops ... are coming under heavier fire":
                // the side under fire is not the one whose fire grew.
                before = defends(found[k], k, found, indices, until: cue.first)
                    || (cue.first - 2 >= found[k].end && (t[cue.first - 1].key == keys.under
                        || t[cue.first - 2].key == keys.under)) ? a.opponent : a
            } else if after == nil, found[k].first >= cue.end {
                after = a
            }
        }
        // "attacks by Russian forces intensified" is caught before; an actor after the cue counts
        // only when none precedes ("intensification of Russian assaults").
        return before ?? after ?? .unknown
    }

    /// True when a defending verb follows the side before `limit`: "Ukrainian defenders repelled",
    /// "Ukrainian troops were holding out in Lysychansk, which is coming under fire".
    func defends(_ actor: Found, _ k: Int, _ found: UnsafeBufferPointer<Found>, _ indices: Range<Int>,
                 until limit: Int) -> Bool {
        var j = k + 1
        while j < indices.upperBound, found[j].first < limit {
            if case .defenceVerb = found[j].role { return true }
            if case .actor = found[j].role { return false }
            if case .change = found[j].role, found[j].first - actor.end > 6 { return false }
            j += 1
        }
        return false
    }

    func startsWithPronoun(_ t: UnsafeBufferPointer<Token>, _ clause: Range<Int>) -> Bool {
        for i in clause.prefix(12) where t[i].kind == .word {
            if keys.pronouns.contains(t[i].key) { return true }
        }
        return false
    }

    func mentionsEarlierYear(_ t: UnsafeBufferPointer<Token>, _ range: Range<Int>, bytes: UnsafeBufferPointer<UInt8>,
                             articleDate: CalendarDay?) -> Bool {
        guard let articleYear = articleDate?.components.year else { return false }
        for i in range where t[i].kind == .number && t[i].end - t[i].start == 4 {
            guard let year = Tokenizer.numberValue(of: t[i], in: bytes) else { continue }
            if year >= 2000 && year < articleYear {
                // "in 2022", "since 2023": a year before the report's own.
                return true
            }
        }
        return false
    }
}

/// The lexicon's words as token keys, for the rules' comparisons.
struct ExtractorKeys: Sendable {
    static func keys(_ words: [String]) -> KeyTable { KeyTable(words: words) }

    let abbreviations: KeyTable
    let pronouns: KeyTable
    let had = Tokenizer.key("had")
    let to = Tokenizer.key("to")
    let the = Tokenizer.key("the")
    let and = Tokenizer.key("and")
    let pastPerfectFillers: KeyTable
    let changeStarters: KeyTable
    let continuers: KeyTable
    let monthPrepositions: KeyTable
    let capitalisedFunctionWords: KeyTable
    let copulas: KeyTable
    let ofFor: KeyTable
    let officeWords: KeyTable
    let unitWords: KeyTable
    let reportingVerbs: KeyTable
    let thereHere: KeyTable
    let countWords: KeyTable
    let existentialFollowers: KeyTable
    let placePrepositions: KeyTable
    let objectPrepositions: KeyTable
    let agentPrepositions: KeyTable
    let monthAbbreviations: KeyTable
    let fewerWords: KeyTable
    let by = Tokenizer.key("by")
    let since = Tokenizer.key("since")
    let under = Tokenizer.key("under")
    let relativePronouns: KeyTable
    /// The offensives a relative clause can launch: one operation, not a count of attacks.
    let relativeOffensiveNouns: KeyTable
    let recentFillers: KeyTable
    let recentStarts: KeyTable
    let articles: KeyTable
    /// Activity nouns that also name weapons: "heavier artillery" is a calibre, not more shelling.
    let weaponNouns: KeyTable
    let auxiliaries: KeyTable
    let forceNouns: KeyTable
    let defensivePurpose: KeyTable
    let cognitionVerbs: KeyTable
    let superlatives: KeyTable

    init(_ lexicon: Lexicon) {
        func g(_ name: String) -> KeyTable { ExtractorKeys.keys(lexicon.grammar[name] ?? []) }
        abbreviations = g("abbreviations")
        pronouns = g("pronouns")
        pastPerfectFillers = g("past_perfect_fillers")
        changeStarters = g("change_starters")
        continuers = g("continuers")
        monthPrepositions = g("month_prepositions")
        capitalisedFunctionWords = g("capitalised_function_words")
        copulas = g("copulas")
        ofFor = g("of_for")
        officeWords = g("office_words")
        unitWords = g("unit_words")
        thereHere = g("there_here")
        countWords = g("count_words")
        existentialFollowers = g("existential_followers")
        placePrepositions = g("place_prepositions")
        objectPrepositions = g("object_prepositions")
        agentPrepositions = g("agent_prepositions")
        monthAbbreviations = g("month_abbreviations")
        fewerWords = g("fewer_words")
        relativePronouns = g("relative_pronouns")
        relativeOffensiveNouns = g("relative_offensive_nouns")
        recentFillers = g("recent_fillers")
        recentStarts = g("recent_starts")
        articles = g("articles")
        weaponNouns = g("weapon_nouns")
        auxiliaries = g("auxiliaries")
        reportingVerbs = ExtractorKeys.keys(lexicon.reportingVerbs)
        forceNouns = ExtractorKeys.keys(lexicon.forceNouns.filter { !$0.contains(" ") } + (lexicon.grammar["extra_force_words"] ?? []))
        defensivePurpose = ExtractorKeys.keys(lexicon.defensivePurpose.filter { !$0.contains(" ") })
        cognitionVerbs = ExtractorKeys.keys(lexicon.cognitionVerbs)
        superlatives = ExtractorKeys.keys(lexicon.superlatives)
    }
}

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
            // "two more clashes", "took two more villages": a tally that grows, not more activity
            // ("40 more attacks than the day before" compares, and stays).
            if spec.activityRightAfter && isTally(cue, clause, t) { continue }
            var blocks = sentenceBlocks
            if spec.needsActivity && !hasActivityNoun(near: cue, spec, s.found, found, clause, t) { blocks.append(.noActivity) }
            if spec.needsOffensiveNoun && !hasOffensiveNoun(after: cue, s.found, found, clause, t,
                                                            relative: !spec.needsRecentStart) { blocks.append(.noOffensive) }
            if spec.needsRecentStart && !startedLately(clause, t) { blocks.append(.notRecent) }
            if spec.needsForces && !bringsInForces(cue, clause, t) { blocks.append(.noForces) }
            if spec.refusalSense && isRefusal(cue, clause, t) { blocks.append(.refusal) }
            if comparesElsewhere(cue, clause, t) { blocks.append(.comparison) }
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
}

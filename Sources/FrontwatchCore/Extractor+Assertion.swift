/// The assertion checks: what makes a cue something other than a plain statement of a change
/// now (negation, history, speculation, a purpose, ...), and the support some cues need (an
/// activity noun, an offensive noun, forces brought in).
extension Extractor {
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

    /// The tokens of the clause after the cue; empty when the cue runs past the clause's end (a
    /// two-word cue across a paragraph break).
    func afterCue(_ cue: Found, _ clause: Range<Int>) -> Range<Int> {
        cue.end..<max(cue.end, clause.upperBound)
    }

    /// True for a number or a count word ("12", "two", "several").
    func isCount(_ token: Token) -> Bool {
        token.kind == .number || keys.countWords.contains(token.key)
    }

    /// True when the cue compares with something other than an earlier time: "fewer jets than
    /// Russia", "more difficult than in the Kharkiv direction" ("less intense than a month ago"
    /// compares with the past, and states a change).
    func comparesElsewhere(_ cue: Found, _ clause: Range<Int>, _ t: UnsafeBufferPointer<Token>) -> Bool {
        guard let than = afterCue(cue, clause).prefix(6).first(where: { t[$0].key == keys.than }) else { return false }
        let after = (than + 1)..<min(clause.upperBound, than + 6)
        return !after.isEmpty && !after.contains { keys.timeWords.contains(t[$0].key) || t[$0].kind == .number }
    }

    /// True when the tokens are words and dashes with no preposition, conjunction or "to" among
    /// them: the modifiers of one noun phrase.
    func onlyModifiers(_ t: UnsafeBufferPointer<Token>, _ range: Range<Int>) -> Bool {
        range.allSatisfy { i in
            (t[i].kind == .word || t[i].kind == .dash) && !keys.objectPrepositions.contains(t[i].key)
                && t[i].key != keys.and && !keys.relativePronouns.contains(t[i].key)
        }
    }

    /// True when a count stands right before the cue and no "than" follows it in the clause.
    func isTally(_ cue: Found, _ clause: Range<Int>, _ t: UnsafeBufferPointer<Token>) -> Bool {
        guard cue.first > clause.lowerBound else { return false }
        guard isCount(t[cue.first - 1]) else { return false }
        return !afterCue(cue, clause).contains { t[$0].key == keys.than }
    }

    /// How many tokens of `range` stand inside brackets: "(Kramatorsk, Toretsk, Siversk - Ed.)"
    /// puts no distance between a noun and its verb.
    func bracketed(_ t: UnsafeBufferPointer<Token>, _ range: Range<Int>) -> Int {
        var depth = 0, count = 0
        for i in range {
            switch t[i].kind {
            case .open: depth += 1; count += 1
            case .close: if depth > 0 { depth -= 1; count += 1 }
            default: if depth > 0 { count += 1 }
            }
        }
        return depth > 0 ? 0 : count
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
            if f.end <= cue.first && cue.first - f.end - bracketed(t, f.end..<cue.first) <= 14 { return true }
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
            // "launched an offensive", "began its long-planned large-scale offensive": the noun within
            // four words, or within eight when only its modifiers stand between.
            guard found[k].first >= cue.end, found[k].first - cue.end <= 4
                    || (found[k].first - cue.end <= 8 && onlyModifiers(t, cue.end..<found[k].first)) else { continue }
            // "launched 12 attacks", "launched two assaults": a daily count, not a new offensive;
            // "launched fewer attacks" is no launch either.
            if (cue.end..<found[k].first).contains(where: { isCount(t[$0]) || keys.fewerWords.contains(t[$0].key) }) {
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

    /// True when the sentence names a year before the article's ("in 2022", "since 2023").
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

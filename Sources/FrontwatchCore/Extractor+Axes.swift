/// Clauses and axes: the clause around a cue and the axis (or axes) it reaches, directly, through
/// an anaphor ("there", "the city") or carried from an earlier sentence.
extension Extractor {
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
            // "strengthening the Novopavlivka direction", "shifted its focus to the Lyman direction":
            // the axis must follow at once, or behind an article.
            let at = cue.end < clause.upperBound && keys.articles.contains(t[cue.end].key) ? cue.end + 1 : cue.end
            guard let k = inClause.first(where: { mentions[$0].first == at }) else { return nil }
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
}

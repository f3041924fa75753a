/// Actors: whose change a cue states.
extension Extractor {
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
}

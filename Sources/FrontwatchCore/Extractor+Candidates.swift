/// A (sentence, axis, change) the rules tied together, before the scorer decides on it.
public struct Candidate: Sendable {
    /// Index of the axis in the gazetteer.
    public var axis: Int
    /// Which way the cue moves activity.
    public var change: Change
    /// The side the rules found.
    public var actor: Side
    /// UTF-8 byte range of the sentence in the article text.
    public var sentence: Range<Int>
    /// UTF-8 byte range of the settlement the sentence named, when a settlement (not the axis's
    /// own name) placed it: "Robotyne" for the Orikhiv axis.
    public var place: Range<Int>?
    /// The cue, an index into the lexicon's cues.
    public var cueIndex: Int
    /// How the cue reached the axis.
    public var route: Extractor.Route
    /// The day the sentence speaks of.
    public var day: CalendarDay?
    /// What the rules found against it (negation, history, ...); empty when they accept it.
    public var blocks: [Extractor.Block]
    /// The sentence is a heading.
    public var heading: Bool
    /// The rules' own confidence, used when no scorer is loaded.
    var ruleConfidence: Double
    /// Feature ids for the scorer.
    public var features: [UInt64]
    /// The features spelled out, when asked for (training); nil otherwise.
    public var featureNames: [String]?
    /// A hash of the sentence's words: the same sentence printed twice is one report.
    public var sentenceKey: UInt64 = 0

    /// The rules alone accept it: nothing blocks it and it is no heading.
    public var accepted: Bool { blocks.isEmpty && !heading }

    /// Takes another cue's features for the same axis and change of the sentence.
    mutating func merge(_ other: Candidate) {
        for (i, f) in other.features.enumerated() where !features.contains(f) {
            features.append(f)
            if let name = other.featureNames?[i] { featureNames?.append(name) }
        }
    }
}

/// Feature ids of a candidate, and their names when training asks for them.
struct FeatureSink {
    var ids: [UInt64] = []
    var names: [String]?

    init(names: Bool) {
        self.names = names ? [] : nil
        ids.reserveCapacity(48)
    }

    @inline(__always)
    mutating func add(_ namespace: Feature.Namespace, _ key: UInt64, _ name: @autoclosure () -> String) {
        let id = Feature.id(namespace, key)
        if ids.contains(id) { return }
        ids.append(id)
        if names != nil { names!.append(name()) }
    }
}

extension Feature {
    /// The namespaces the extractor writes.
    enum ns {
        static let change = Feature.namespace("change")
        static let cue = Feature.namespace("cue")
        static let block = Feature.namespace("block")
        static let blockChange = Feature.namespace("block-change")
        static let rules = Feature.namespace("rules")
        static let route = Feature.namespace("route")
        static let actor = Feature.namespace("actor")
        static let actorNamed = Feature.namespace("actor-named")
        static let settlement = Feature.namespace("settlement")
        static let kind = Feature.namespace("kind")
        static let topic = Feature.namespace("topic")
        static let heading = Feature.namespace("heading")
        static let dated = Feature.namespace("dated")
        static let position = Feature.namespace("sentence")
        static let distance = Feature.namespace("axis-distance")
        static let axes = Feature.namespace("axes-in-group")
        static let before = [Feature.namespace("w-1"), Feature.namespace("w-2"), Feature.namespace("w-3")]
        static let after = [Feature.namespace("w+1"), Feature.namespace("w+2"), Feature.namespace("w+3")]
        static let outside = Feature.namespace("outside")
        static let leftWord = Feature.namespace("left")
        static let rightWord = Feature.namespace("right")
        static let bigram = Feature.namespace("bigram-1")
    }

    /// Keys of the fixed values, computed once.
    enum value {
        static let table: [String: UInt64] = {
            var t: [String: UInt64] = [:]
            for w in ["up", "down", "accept", "blocks", "first", "early", "later", "near", "close", "mid", "far", "after",
                      "before", "one", "several", "yes", "region", "main", "once", "minor"] + Side.allCases.map(\.rawValue)
                + ["axis", "anaphor", "carried", "distant"] {
                t[w] = Feature.valueKey(w)
            }
            return t
        }()
        @inline(__always)
        static func key(_ word: String) -> UInt64 { table[word] ?? Feature.valueKey(word) }
    }
}

extension Extractor {
    /// What the rules hold against a candidate. Each is a feature; the scorer weighs them.
    public enum Block: String, Sendable, Equatable, CaseIterable {
        case denied, background, question, future, stale, negation, rebuttal, hedge, speculation, history
        case rearTarget = "rear-target", habit, subordinate, purpose, refusal
        case earlierYear = "earlier-year"
        case negatedSaying = "negated-saying"
        case nonMilitary = "non-military"
        case pastPerfect = "past-perfect"
        case noActivity = "no-activity"
        case noOffensive = "no-offensive"
        case notRecent = "not-recent"
        case noForces = "no-forces"
        /// Nothing in the sentence ties the cue to the place named sentences before.
        case distant
        /// A verb of going on governs the cue: "continues launching attacks".
        case ongoing
        /// The cue compares with another place or side, not with an earlier time: "fewer jets than Russia".
        case comparison

        var key: UInt64 { Block.keys[Block.allCases.firstIndex(of: self)!] }
        static let keys: [UInt64] = Block.allCases.map { Feature.valueKey($0.rawValue) }
    }

    /// The words tokens are known by in feature names: the text of the token, lowercased.
    static func text(of token: Token, _ bytes: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[Int(token.start)..<Int(token.end)]), as: UTF8.self).lowercased()
    }

    /// Computes the features of a candidate (see `Scorer`).
    func describe(cue: Found, spec: Lexicon.CueSpec, cueIndex: Int, blocks: [Block], route: Route, actor: Side,
                  actorNamed: Bool, group: [Gazetteer.Mention], sentence s: Sentence, clause: Range<Int>, heading: Bool,
                  dated: Bool, context: Context, _ t: UnsafeBufferPointer<Token>, _ found: UnsafeBufferPointer<Found>,
                  bytes: UnsafeBufferPointer<UInt8>, into f: inout FeatureSink) {
        let changeWord = spec.change == .intensified ? "up" : "down"
        let changeKey = Feature.value.key(changeWord)
        f.add(Feature.ns.change, changeKey, "change=\(changeWord)")
        f.add(Feature.ns.cue, cueKeys[cueIndex], "cue=\(spec.phrase)")
        if blocks.isEmpty {
            f.add(Feature.ns.rules, Feature.value.key("accept"), "rules=accept")
        } else {
            for b in blocks {
                f.add(Feature.ns.block, b.key, "block=\(b.rawValue)")
                f.add(Feature.ns.blockChange, Feature.fold([b.key, changeKey]), "block-change=\(b.rawValue) \(changeWord)")
            }
            if blocks.count > 1 { f.add(Feature.ns.rules, Feature.value.key("blocks"), "rules=blocks") }
        }
        f.add(Feature.ns.route, Feature.value.key(route.rawValue), "route=\(route.rawValue)")
        f.add(Feature.ns.actor, Feature.value.key(actor.rawValue), "actor=\(actor.rawValue)")
        if actorNamed { f.add(Feature.ns.actorNamed, Feature.value.key("yes"), "actor-named=yes") }
        if heading { f.add(Feature.ns.heading, Feature.value.key("yes"), "heading=yes") }
        if dated { f.add(Feature.ns.dated, Feature.value.key("yes"), "dated=yes") }
        let position = context.sentence == 0 ? "first" : context.sentence < 4 ? "early" : "later"
        f.add(Feature.ns.position, Feature.value.key(position), "sentence=\(position)")
        if route == .direct, let nearest = group.min(by: { distance(cue, $0) < distance(cue, $1) }) {
            let d = distance(cue, nearest)
            let bucket = d <= 2 ? "near" : d <= 6 ? "close" : d <= 14 ? "mid" : "far"
            let side = nearest.first >= cue.end ? "after" : "before"
            f.add(Feature.ns.distance, Feature.fold([Feature.value.key(bucket), Feature.value.key(side)]), "axis-distance=\(bucket) \(side)")
        }
        let groupSize = group.count == 1 ? "one" : "several"
        f.add(Feature.ns.axes, Feature.value.key(groupSize), "axes-in-group=\(groupSize)")
        // The words right around the cue, and every word of its clause.
        for (n, ns) in Feature.ns.before.enumerated() {
            let i = cue.first - 1 - n
            guard i >= s.range.lowerBound else { break }
            f.add(ns, t[i].key, "w-\(n + 1)=\(Extractor.text(of: t[i], bytes))")
        }
        for (n, ns) in Feature.ns.after.enumerated() {
            let i = cue.end + n
            guard i < s.range.upperBound else { break }
            f.add(ns, t[i].key, "w+\(n + 1)=\(Extractor.text(of: t[i], bytes))")
        }
        if cue.first - 2 >= s.range.lowerBound {
            let a = t[cue.first - 2], b = t[cue.first - 1]
            f.add(Feature.ns.bigram, Feature.fold([a.key, b.key]),
                  "bigram-1=\(Extractor.text(of: a, bytes)) \(Extractor.text(of: b, bytes))")
        }
        for i in clause where t[i].kind == .word && (i < cue.first || i >= cue.end) {
            let ns = i < cue.first ? Feature.ns.leftWord : Feature.ns.rightWord
            f.add(ns, t[i].key, "\(i < cue.first ? "left" : "right")=\(Extractor.text(of: t[i], bytes))")
        }
        // Words of the sentence outside the clause count too, in a namespace of their own.
        for i in s.range where t[i].kind == .word && !clause.contains(i) {
            f.add(Feature.ns.outside, t[i].key, "outside=\(Extractor.text(of: t[i], bytes))")
        }
    }

    func distance(_ cue: Found, _ m: Gazetteer.Mention) -> Int {
        m.first >= cue.end ? m.first - cue.end : max(0, cue.first - m.end)
    }
}

/// The trained decision stage: a logistic regression over the features the rules compute for a
/// candidate (cue, blocking markers, route to the axis, words around the cue...).
///
/// The rules propose every (sentence, axis, change cue) they can tie together; the scorer gives
/// each the probability that it states a current change, and the extractor keeps those at or
/// above `threshold`. Weights are data (`config/scorer.en.tsv`, one `weight<TAB>feature` a line),
/// trained by `frontwatch train` from labelled folders; a feature is a `namespace=value` name
/// ("cue=stepped up", "block=negation", "w-1=not"), hashed once at load, so inference compares
/// integers and builds no string.
public struct Scorer: Sendable {
    /// One logistic regression: a weight per feature id and an intercept.
    public struct Model: Sendable {
        /// Feature id -> index into `values` (ids are already well mixed hashes: no SipHash).
        let index: KeyTable
        let values: [Double]
        /// The intercept.
        public let bias: Double

        init(weights: [UInt64: Double], bias: Double) {
            var index = KeyTable(capacity: weights.count)
            var values: [Double] = []
            values.reserveCapacity(weights.count)
            for (id, w) in weights {
                index.set(id, values.count)
                values.append(w)
            }
            self.index = index
            self.values = values
            self.bias = bias
        }

        /// How many features carry a weight.
        var count: Int { values.count }

        /// The weight of one feature (nil: the model has none for it, so it counts 0).
        public func weight(of feature: UInt64) -> Double? {
            index.value(feature).map { values[$0] }
        }

        /// The probability for a candidate with these features.
        public func probability(_ features: [UInt64]) -> Double {
            var z = bias
            for f in features {
                if let i = index.value(f) { z += values[i] }
            }
            return 1 / (1 + (-z).exp())
        }
    }

    /// Whether a candidate states a current change.
    public let decision: Model
    /// Whose change it is: the probability that the side is Russia's (else Ukraine's).
    public let side: Model
    /// Candidates scoring at or above this are kept.
    public let threshold: Double
    /// What the rules found that no score overrides: a candidate with one of these is dropped.
    public let vetoes: Set<Extractor.Block>
    /// A candidate below `threshold` is still kept when it scores at least this and the article's
    /// candidates for the same axis and change together reach `threshold` (the chance that at
    /// least one holds): several sentences that each hint at a change add up.
    public let support: Double

    /// Creates a scorer from its two models.
    public init(decision: Model, side: Model, threshold: Double, vetoes: Set<Extractor.Block> = [], support: Double = 0.3) {
        self.decision = decision
        self.side = side
        self.threshold = threshold
        self.vetoes = vetoes
        self.support = support
    }

    /// The probability that a candidate with these features states a current change.
    public func probability(_ features: [UInt64]) -> Double { decision.probability(features) }

    /// The side a candidate's change belongs to.
    public func actor(_ features: [UInt64]) -> Side { side.probability(features) >= 0.5 ? .russia : .ukraine }

    /// One (axis, change) of an article.
    public struct Pair: Hashable, Sendable {
        /// Index of the axis in the gazetteer.
        public var axis: Int
        /// Which way.
        public var change: Change
    }

    /// What the scorer says of an article's candidates: each one's probability (nil when a veto
    /// drops it), and for each (axis, change) the chance that at least one of its candidates holds
    /// (several sentences that each hint at a change add up).
    public struct Verdicts: Sendable {
        /// Per candidate, in order; nil: vetoed.
        public var probability: [Double?]
        /// Per (axis, change): 1 - the product of its candidates' 1 - p, where the candidates that
        /// reached the axis only as the one of an earlier sentence (route `distant`) count once,
        /// by the likeliest of them: they repeat one tie, not several reports. A sentence that
        /// comes twice (the same words) counts once.
        public var together: [Pair: Double]
    }

    private struct Repeat: Hashable {
        var pair: Pair
        var sentence: UInt64
    }

    /// Scores an article's candidates.
    public func verdicts(_ found: [Candidate]) -> Verdicts {
        var probability: [Double?] = []
        probability.reserveCapacity(found.count)
        var none: [Pair: Double] = [:]
        var distant: [Pair: Double] = [:]
        var repeated: Set<Repeat> = []
        for c in found {
            guard !c.blocks.contains(where: vetoes.contains) else { probability.append(nil); continue }
            let p = decision.probability(c.features)
            probability.append(p)
            let pair = Pair(axis: c.axis, change: c.change)
            // The same sentence twice is one report, not two.
            guard repeated.insert(Repeat(pair: pair, sentence: c.sentenceKey)).inserted else { continue }
            // Cues tied to no place of their own (the axis of a sentence up to five before) add up
            // as one: the likeliest of them.
            if c.route == .distant {
                distant[pair] = max(distant[pair] ?? 0, p)
            } else {
                none[pair, default: 1] *= 1 - p
            }
        }
        for (pair, p) in distant { none[pair, default: 1] *= 1 - p }
        return Verdicts(probability: probability, together: none.mapValues { 1 - $0 })
    }

    /// True when a candidate scoring `p`, whose (axis, change) scores `together`, is kept.
    public func keeps(_ p: Double, together: Double) -> Bool {
        p >= threshold || (p >= support && together >= threshold)
    }

    /// Parses the TSV form: `#` comment lines, `@threshold VALUE`, `@bias VALUE`, `@side-bias
    /// VALUE`, then one `WEIGHT<TAB>FEATURE` a line (`side:FEATURE` for the side model).
    public init(tsv: String) throws(ConfigError) {
        var decision: [UInt64: Double] = [:]
        var side: [UInt64: Double] = [:]
        var bias: Double?
        var sideBias = 0.0
        var threshold: Double?
        var vetoes: Set<Extractor.Block> = []
        var support = 0.3
        var lineNumber = 0
        for rawLine in tsv.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("@") {
                let parts = line.dropFirst().split(separator: " ", maxSplits: 1)
                if parts.count == 2 && parts[0] == "veto" {
                    for name in parts[1].split(separator: ",") {
                        guard let b = Extractor.Block(rawValue: String(name.trimmingSpaces)) else {
                            throw ConfigError(code: "scorer-syntax", message: "line \(lineNumber): @veto names an unknown block \(name)")
                        }
                        vetoes.insert(b)
                    }
                    continue
                }
                guard parts.count == 2, let value = Double(parts[1].trimmingSpaces) else {
                    throw ConfigError(code: "scorer-syntax", message: "line \(lineNumber): expected `@threshold 0.5`, `@bias -1.2`, `@side-bias 0.3` or `@veto history,denied`")
                }
                switch parts[0] {
                case "threshold": threshold = value
                case "bias": bias = value
                case "side-bias": sideBias = value
                case "support": support = value
                default:
                    throw ConfigError(code: "scorer-syntax", message: "line \(lineNumber): unknown setting @\(parts[0]) (known: @threshold, @bias, @side-bias, @veto, @support)")
                }
                continue
            }
            guard let tab = line.firstIndex(of: "\t"), let w = Double(line[..<tab]), w.isFinite else {
                throw ConfigError(code: "scorer-syntax", message: "line \(lineNumber): expected WEIGHT<TAB>FEATURE, got \"\(line.prefix(60))\"")
            }
            var name = line[line.index(after: tab)...]
            let isSide = name.hasPrefix("side:")
            if isSide { name = name.dropFirst(5) }
            guard name.contains("=") else {
                throw ConfigError(code: "scorer-syntax", message: "line \(lineNumber): a feature is namespace=value, got \"\(name.prefix(60))\"")
            }
            let id = Feature.id(name: String(name))
            if isSide { side[id, default: 0] += w } else { decision[id, default: 0] += w }
        }
        guard let bias, let threshold else {
            throw ConfigError(code: "scorer-syntax", message: "the scorer file needs `@bias` and `@threshold` lines")
        }
        guard threshold > 0 && threshold < 1 else {
            throw ConfigError(code: "scorer-threshold", message: "@threshold must be between 0 and 1, got \(threshold)")
        }
        self.init(decision: Model(weights: decision, bias: bias), side: Model(weights: side, bias: sideBias),
                  threshold: threshold, vetoes: vetoes, support: support)
    }
}

extension Double {
    fileprivate func exp() -> Double {
        // exp without Foundation: e^x = 2^(x log2 e), split into integer and fractional parts.
        let y = self * 1.4426950408889634
        if y > 1000 { return .infinity }
        if y < -1000 { return 0 }
        let n = y.rounded(.down)
        let f = (y - n) * 0.6931471805599453  // back to natural units, 0 <= f < ln 2
        // Taylor series of e^f on [0, ln 2): 14 terms reach double precision.
        var term = 1.0
        var sum = 1.0
        for k in 1...14 {
            term *= f / Double(k)
            sum += term
        }
        return sum * Double(sign: .plus, exponent: Int(n), significand: 1)
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var s = self[...]
        while s.first == " " || s.first == "\t" { s = s.dropFirst() }
        while s.last == " " || s.last == "\t" { s = s.dropLast() }
        return s
    }
}

/// Feature names and their integer ids.
///
/// An id's top byte says its namespace (one of `Feature.namespaces`, 0xFF for any other), so the
/// trainer can tell the structural features (what the rules found) from the lexical ones (words)
/// and regularise them apart; the rest is a hash of the namespace and the value.
public enum Feature {
    /// A namespace: its index in the id's top byte and its hash.
    public struct Namespace: Sendable {
        let top: UInt64
        let hash: UInt64
    }

    /// The namespaces the extractor writes, in a fixed order (the top byte of their ids).
    public static let namespaces = [
        "change", "cue", "block", "block-change", "rules", "route", "actor", "actor-named", "settlement", "kind",
        "heading", "dated", "sentence", "axis-distance", "axes-in-group", "w-1", "w-2", "w-3", "w+1", "w+2", "w+3",
        "bigram-1", "left", "right", "outside", "topic",
    ]

    /// The namespaces that describe what the rules found rather than which words stand there.
    public static let structural: Set<String> = [
        "change", "block", "block-change", "rules", "route", "actor", "actor-named", "settlement", "kind",
        "heading", "dated", "sentence", "axis-distance", "axes-in-group", "topic",
    ]

    static let structuralTops: Set<UInt64> = Set(structural.map { namespace($0).top })

    /// True when the id belongs to a structural namespace.
    public static func isStructural(_ id: UInt64) -> Bool { structuralTops.contains(id & topMask) }

    static let topMask: UInt64 = 0xFF << 56

    /// The id of `namespace=value`: the namespace mixed with the value's token keys, so a word
    /// feature built from a token (`w-1` and the token's key) equals the one read from a file.
    public static func id(name: String) -> UInt64 {
        guard let eq = name.firstIndex(of: "=") else { return id(namespace(name), 0) }
        return id(namespace(name[..<eq]), valueKey(name[name.index(after: eq)...]))
    }

    /// A namespace by name.
    public static func namespace(_ name: some StringProtocol) -> Namespace {
        var h = Tokenizer.fnvOffset
        for b in name.utf8 { h = (h ^ UInt64(b)) &* Tokenizer.fnvPrime }
        let index = namespaces.firstIndex(of: String(name)).map { UInt64($0 + 1) } ?? 0xFF
        return Namespace(top: index << 56, hash: h)
    }

    /// The key of a value: its one token's key, or the keys of its tokens folded together.
    public static func valueKey(_ value: some StringProtocol) -> UInt64 {
        fold(Tokenizer.keys(value))
    }

    /// Folds token keys into one (one key stays itself).
    static func fold(_ keys: [UInt64]) -> UInt64 {
        guard var h = keys.first else { return 0 }
        for k in keys.dropFirst() { h = mix(h &* 31 &+ k) }
        return h
    }

    /// The id of a namespace and a value key.
    @inline(__always)
    static func id(_ namespace: Namespace, _ key: UInt64) -> UInt64 {
        namespace.top | (mix(namespace.hash ^ (key &* 0x9E37_79B9_7F4A_7C15)) & ~topMask)
    }

    @inline(__always)
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A labelled article, read and ready to learn from or to score.
public struct LabelledArticle: Sendable {
    /// The file's name in its folder (what the labels are keyed by).
    public var name: String
    /// The parsed article.
    public var article: Article
    /// Its labels (empty: it asserts no current change).
    public var labels: [Labels.Label]
    /// How much its candidates count in training (golden articles, written to set one trap
    /// each, count more than a passage of the corpus).
    public var weight: Double

    /// Creates one.
    public init(name: String, article: Article, labels: [Labels.Label], weight: Double = 1) {
        self.name = name
        self.article = article
        self.labels = labels
        self.weight = weight
    }
}

/// One candidate with what the labels say of it.
public struct TrainingExample: Sendable {
    /// Its feature ids.
    public var features: [UInt64]
    /// 1 when it states a labelled change, 0 when it states none.
    public var target: Double
    /// For a positive: 1 when the labelled side is Russia's, 0 when Ukraine's, nil when unknown.
    public var russia: Double?
    /// How much it counts.
    public var weight: Double = 1
}

/// Trains the scorer: logistic regression, L2-regularised, fitted by full-batch AdaGrad.
///
/// A candidate is positive when a required label of its file accepts its axis and change and,
/// where the label gives its evidence, when it comes from that sentence; negative when no label
/// of the file accepts it. Candidates only optional labels accept, and those that match a label
/// from another sentence than its evidence, teach nothing and are left out.
public enum Training {
    /// How the fit is run.
    public struct Options: Sendable {
        /// L2 penalty of the lexical features (chosen by 5-fold cross-validation on the development corpus).
        public var l2 = 0.02
        /// L2 penalty of the structural features (what the rules found: blocks, route, ...), as a
        /// share of `l2`: they are few and general, so they may carry more weight.
        public var structuralShare = 0.1
        /// Passes over the data.
        public var iterations = 300
        /// AdaGrad's base step.
        public var step = 0.5
        /// The decision threshold written into the scorer (chosen by 5-fold cross-validation: the
        /// best F1, and the precision analysts ask for before recall).
        public var threshold = 0.55
        /// The lowest score a candidate may have and still be kept with the support of the
        /// article's other reports of the same change (chosen by cross-validation).
        public var support = 0.3
        /// What the rules found that no score overrides (cross-validation shows these cost nothing).
        public var vetoes: Set<Extractor.Block> = [.history, .denied, .rearTarget, .comparison, .earlierYear]
        /// Creates the defaults.
        public init() {}
    }

    /// The candidates of `item` with their targets (names too when `names` is true).
    public static func examples(_ item: LabelledArticle, extractor: Extractor, axisNames: AxisNames,
                                names: Bool = false) -> (examples: [TrainingExample], names: [[String]]) {
        var scratch = Extractor.Scratch()
        let candidates = extractor.candidates(from: item.article, scratch: &scratch, names: names)
        return examples(candidates, of: item, gazetteer: extractor.gazetteer, axisNames: axisNames)
    }

    /// The targets of already computed candidates.
    public static func examples(_ candidates: [Candidate], of item: LabelledArticle, gazetteer: Gazetteer,
                                axisNames: AxisNames) -> (examples: [TrainingExample], names: [[String]]) {
        let text = Array(item.article.text.utf8)
        let sentences = candidates.map { normalised(text[$0.sentence]) }
        // Per required label that names its sentence: the candidates from that sentence that it
        // accepts (empty when the sentence was split differently and none comes from it).
        let fromEvidence: [Int: Set<Int>] = Dictionary(uniqueKeysWithValues: item.labels.indices.compactMap { l in
            let label = item.labels[l]
            guard label.strength == .required, let text = label.evidence else { return nil }
            let evidence = normalised(Array(text.utf8)[...])
            guard !evidence.isEmpty else { return nil }
            return (l, Set(candidates.indices.filter { j in
                axisNames.accepts(label, axis: gazetteer.axes[candidates[j].axis].name, change: candidates[j].change)
                    && sameSentence(sentences[j], evidence)
            }))
        })
        var out: [TrainingExample] = []
        var names: [[String]] = []
        for (i, c) in candidates.enumerated() {
            let axis = gazetteer.axes[c.axis].name
            let accepting = item.labels.indices.filter { axisNames.accepts(item.labels[$0], axis: axis, change: c.change) }
            let target: Double
            var russia: Double?
            if accepting.isEmpty {
                target = 0
            } else if let l = accepting.first(where: { item.labels[$0].strength == .required }) {
                // Where the label names its sentence, only candidates from that sentence learn from it,
                // unless no candidate comes from it (the sentence was split differently).
                if let fromIt = fromEvidence[l], !fromIt.isEmpty, !fromIt.contains(i) { continue }
                target = 1
                switch item.labels[l].actor {
                case .russia: russia = 1
                case .ukraine: russia = 0
                case .unknown: russia = nil
                }
            } else {
                continue
            }
            out.append(TrainingExample(features: c.features, target: target, russia: russia, weight: item.weight))
            names.append(c.featureNames ?? [])
        }
        return (out, names)
    }

    /// Lowercased letters and digits only: quotes, dashes and spacing do not decide a match.
    static func normalised(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        for b in bytes {
            if b >= 0x41 && b <= 0x5A { out.append(b | 0x20) } else if (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b >= 0x80 {
                out.append(b)
            }
        }
        return out
    }

    /// True when the labelled evidence (the first words of a sentence) and a candidate's sentence
    /// are one sentence: either holds the other's first 40 letters.
    static func sameSentence(_ sentence: [UInt8], _ evidence: [UInt8]) -> Bool {
        func contains(_ hay: [UInt8], _ needle: ArraySlice<UInt8>) -> Bool {
            guard !needle.isEmpty, needle.count <= hay.count else { return false }
            let first = needle.first!
            var i = 0
            while i + needle.count <= hay.count {
                if hay[i] == first && hay[i..<(i + needle.count)].elementsEqual(needle) { return true }
                i += 1
            }
            return false
        }
        return contains(sentence, evidence.prefix(40)) || contains(evidence, sentence.prefix(40))
    }

    /// Fits a scorer to the examples: the decision model on every example, the side model on
    /// the positives with a known side. `names` (parallel to `examples`) spells the features; the
    /// named weights are returned for the file (side ones prefixed `side:`).
    public static func fit(_ examples: [TrainingExample], names: [[String]], options: Options = Options())
        -> (scorer: Scorer, named: [(name: String, weight: Double)], bias: Double, sideBias: Double) {
        let decision = logistic(examples.map { ($0.features, $0.target, $0.weight) }, names: names, options: options)
        let sided = examples.indices.filter { examples[$0].russia != nil }
        let side = logistic(sided.map { (examples[$0].features, examples[$0].russia!, examples[$0].weight) },
                            names: sided.map { $0 < names.count ? names[$0] : [] }, options: options)
        let named = decision.named + side.named.map { ("side:" + $0.name, $0.weight) }
        return (Scorer(decision: decision.model, side: side.model, threshold: options.threshold, vetoes: options.vetoes,
                        support: options.support), named,
                decision.model.bias, side.model.bias)
    }

    static func logistic(_ examples: [(features: [UInt64], target: Double, weight: Double)], names: [[String]],
                         options: Options)
        -> (model: Scorer.Model, named: [(name: String, weight: Double)]) {
        // Dense indices for the features that occur.
        var index: [UInt64: Int] = [:]
        var nameOf: [Int: String] = [:]
        var rows: [[Int]] = []
        rows.reserveCapacity(examples.count)
        for (e, ex) in examples.enumerated() {
            var row: [Int] = []
            for (k, f) in ex.features.enumerated() {
                let j: Int
                if let known = index[f] { j = known } else { j = index.count; index[f] = j }
                if nameOf[j] == nil, e < names.count, k < names[e].count { nameOf[j] = names[e][k] }
                row.append(j)
            }
            rows.append(row)
        }
        let n = index.count
        var penalty = [Double](repeating: options.l2, count: n)
        for (f, j) in index where Feature.isStructural(f) { penalty[j] = options.l2 * options.structuralShare }
        var w = [Double](repeating: 0, count: n)
        var g2 = [Double](repeating: 1e-8, count: n)
        var b = 0.0, b2 = 1e-8
        let m = max(1, examples.reduce(0) { $0 + $1.weight })
        var grad = [Double](repeating: 0, count: n)
        for _ in 0..<options.iterations {
            for j in 0..<n { grad[j] = penalty[j] * w[j] }
            var gb = 0.0
            for (e, row) in rows.enumerated() {
                var z = b
                for j in row { z += w[j] }
                let err = (sigmoid(z) - examples[e].target) * examples[e].weight / m
                gb += err
                for j in row { grad[j] += err }
            }
            for j in 0..<n {
                g2[j] += grad[j] * grad[j]
                w[j] -= options.step * grad[j] / g2[j].squareRoot()
            }
            b2 += gb * gb
            b -= options.step * gb / b2.squareRoot()
        }
        var ids: [UInt64: Double] = [:]
        var named: [(name: String, weight: Double)] = []
        for (f, j) in index where abs(w[j]) >= 1e-4 {
            ids[f] = w[j]
            if let name = nameOf[j] { named.append((name, w[j])) }
        }
        named.sort { abs($0.weight) != abs($1.weight) ? abs($0.weight) > abs($1.weight) : $0.name < $1.name }
        return (Scorer.Model(weights: ids, bias: b), named)
    }

    static func sigmoid(_ z: Double) -> Double {
        Scorer.Model(weights: [:], bias: z).probability([])
    }

    /// The scorer file: documentation, `@bias`, `@threshold`, then one `WEIGHT<TAB>FEATURE` a line.
    public static func tsv(named: [(name: String, weight: Double)], bias: Double, sideBias: Double, threshold: Double,
                           vetoes: Set<Extractor.Block> = [], support: Double = 0.3, provenance: [String]) -> String {
        var out = """
        # frontwatch's trained scorer (English). Written by `frontwatch train` (scripts/train); do not
        # edit by hand: retrain instead. The extractor's rules propose candidates (sentence, axis,
        # change cue); this logistic regression gives each the probability that it states a current
        # change, and the extractor keeps those at or above @threshold. A line is WEIGHT<TAB>FEATURE,
        # a feature namespace=value: cue= (the cue phrase), block= (what the rules hold against it:
        # negation, history, speculation...), rules=accept (nothing blocks it), route= (how the axis
        # was reached), actor=, kind= and settlement= (the place), topic= (the axis the article names
        # most, or not), heading=, dated=, sentence= (position), axis-distance=, w-1..w-3 and
        # w+1..w+3 (the words before and after the cue), bigram-1=, left=/right= (words of the cue's
        # clause), outside= (the sentence's other words). Positive weights speak for a change.
        # Lines whose feature starts with side: are the second model, over the same features: whose
        # change it is (positive: Russia's side, negative: Ukraine's), with its own @side-bias.
        # @veto lists what the rules find that no score overrides (chosen where cross-validation
        # shows the veto costs nothing). A candidate under @threshold is kept when it scores at least
        # @support and the article's candidates for the same axis and change together reach
        # @threshold (1 - the product of their 1 - p).

        """
        for line in provenance { out += "# " + line + "\n" }
        out += "@bias \(format(bias))\n@side-bias \(format(sideBias))\n@threshold \(format(threshold))\n"
        out += "@support \(format(support))\n"
        if !vetoes.isEmpty { out += "@veto \(vetoes.map(\.rawValue).sorted().joined(separator: ","))\n" }
        for (name, weight) in named { out += "\(format(weight))\t\(name)\n" }
        return out
    }

    static func format(_ v: Double) -> String {
        let scaled = (v * 1_000_000).rounded()
        let sign = scaled < 0 ? "-" : ""
        let a = Int(abs(scaled))
        let frac = String(a % 1_000_000)
        return "\(sign)\(a / 1_000_000).\(String(repeating: "0", count: 6 - frac.count))\(frac)"
    }
}

/// k-fold cross-validation of the trained extractor over labelled articles.
public enum CrossValidation {
    /// The fold a file belongs to: a stable hash of its name, so a file keeps its fold as the
    /// corpus grows.
    /// `seed` draws another partition (0: the usual one), to tell a change's effect from the
    /// luck of one split.
    public static func fold(of name: String, folds: Int, seed: UInt64 = 0) -> Int {
        var h = Tokenizer.fnvOffset
        for b in name.utf8 { h = (h ^ UInt64(b)) &* Tokenizer.fnvPrime }
        if seed != 0 { h = Feature.mix(h ^ (seed &* 0x9E37_79B9_7F4A_7C15)) }
        return Int(Feature.mix(h) % UInt64(folds))
    }

    /// One fold's figures.
    public struct FoldResult: Sendable {
        /// The fold's number, from 0.
        public var fold: Int
        /// The held-out fold, scored by a scorer trained without it.
        public var test: Evaluation.Report
        /// The training folds, scored by the same scorer.
        public var train: Evaluation.Report
    }

    /// Everything the run measured.
    public struct Result: Sendable {
        /// Per fold.
        public var folds: [FoldResult]
        /// The held-out predictions of every fold, scored together.
        public var pooled: Evaluation.Report
        /// Per confidence bin (tenths): held-out (axis, change) pairs by the confidence an alert
        /// would carry, and how many a required label accepts; pairs only optional labels accept
        /// are left out.
        public var reliability: [(low: Double, count: Int, right: Int)]
    }

    /// Runs k-fold cross-validation: for each fold, trains on the other folds of `scored` plus
    /// all of `extra` (never scored), and scores the fold; `seed` picks the partition.
    /// `without` names feature namespaces to leave out (an ablation: does a kind of feature help?).
    public static func run(folds k: Int, scored: [LabelledArticle], extra: [LabelledArticle], extractor: Extractor,
                           options: Training.Options = Training.Options(), without: Set<String> = [],
                           seed: UInt64 = 0) -> Result {
        let axisNames = AxisNames(extractor.gazetteer)
        func prepare(_ items: [LabelledArticle]) -> [(item: LabelledArticle, candidates: [Candidate], examples: [TrainingExample])] {
            items.map { item in
                var scratch = Extractor.Scratch()
                var candidates = extractor.candidates(from: item.article, scratch: &scratch, names: !without.isEmpty)
                if !without.isEmpty {
                    for c in candidates.indices {
                        let keep = candidates[c].featureNames!.map { !without.contains(String($0.prefix { $0 != "=" })) }
                        candidates[c].features = zip(candidates[c].features, keep).filter(\.1).map(\.0)
                    }
                }
                let ex = Training.examples(candidates, of: item, gazetteer: extractor.gazetteer, axisNames: axisNames).examples
                return (item, candidates, ex)
            }
        }
        let scoredPrepared = prepare(scored)
        let extraExamples = prepare(extra).flatMap(\.examples)
        var folds: [FoldResult] = []
        var pooledEvents: [String: [AxisEvent]] = [:]
        var bins = [(count: Int, right: Int)](repeating: (0, 0), count: 10)
        let labels = Labels(files: Dictionary(uniqueKeysWithValues: scored.map { ($0.name, $0.labels) }))
        for fold in 0..<k {
            let isTest = scoredPrepared.map { self.fold(of: $0.item.name, folds: k, seed: seed) == fold }
            let trainExamples = extraExamples + zip(scoredPrepared, isTest).filter { !$0.1 }.flatMap { $0.0.examples }
            let scorer = Training.fit(trainExamples, names: [], options: options).scorer
            var testEvents: [String: [AxisEvent]] = [:]
            var trainEvents: [String: [AxisEvent]] = [:]
            for (p, test) in zip(scoredPrepared, isTest) {
                let kept = extractor.decide(p.candidates, in: p.item.article, scorer: scorer)
                if test {
                    testEvents[p.item.name] = kept
                    pooledEvents[p.item.name] = kept
                    // Every pair the candidates name, by the confidence its alert would carry.
                    for (pair, together) in scorer.verdicts(p.candidates).together {
                        let axis = extractor.gazetteer.axes[pair.axis].name
                        let accepting = p.item.labels.filter { axisNames.accepts($0, axis: axis, change: pair.change) }
                        let bin = min(9, Int(together * 10))
                        if accepting.contains(where: { $0.strength == .required }) {
                            bins[bin].count += 1
                            bins[bin].right += 1
                        } else if accepting.isEmpty {
                            bins[bin].count += 1
                        }
                    }
                } else {
                    trainEvents[p.item.name] = kept
                }
            }
            func subset(_ events: [String: [AxisEvent]]) -> Labels {
                Labels(files: labels.files.filter { events[$0.key] != nil })
            }
            folds.append(FoldResult(
                fold: fold,
                test: Evaluation.score(labels: subset(testEvents), events: testEvents, gazetteer: extractor.gazetteer),
                train: Evaluation.score(labels: subset(trainEvents), events: trainEvents, gazetteer: extractor.gazetteer)))
        }
        let pooled = Evaluation.score(labels: labels, events: pooledEvents, gazetteer: extractor.gazetteer)
        return Result(folds: folds, pooled: pooled,
                      reliability: bins.enumerated().map { (Double($0.offset) / 10, $0.element.count, $0.element.right) })
    }
}

import Foundation
import FrontwatchCore
import Testing

/// The decision stage: feature ids, the scorer file, training and cross-validation.
@Suite("scorer")
struct ScorerTests {
    static func article(_ body: String, date: String = "2024-05-10") throws -> Article {
        try ArticleParser.parse(text: "date \(date)\n\n" + body, fallbackDate: nil)
    }

    @Test func aWordFeatureFromATokenEqualsTheOneReadFromTheFile() throws {
        // The extractor names the word before the cue "w-1=have"; the file gives the same name.
        var scratch = Extractor.Scratch()
        let candidates = TestSupport.rules.candidates(
            from: try Self.article("Russian troops have intensified assaults near Pokrovsk."), scratch: &scratch, names: true)
        let c = try #require(candidates.first)
        let names = try #require(c.featureNames)
        #expect(names.contains("w-1=have"))
        #expect(names.contains("cue=intensified"))
        #expect(names.contains("rules=accept"))
        // Every feature's name gives back its id, in every namespace the extractor writes.
        let more = TestSupport.rules.candidates(
            from: try Self.article("Fighting Intensifies Near Robotyne\n\nOn Monday the occupiers stepped up shelling of Robotyne, Zaporizhzhia region. They did not intensify attacks near Lyman."),
            scratch: &scratch, names: true)
        var seen: Set<String> = []
        for c in candidates + more {
            for (id, name) in zip(c.features, c.featureNames!) {
                #expect(Feature.id(name: name) == id, "\(name)")
                seen.insert(String(name.prefix { $0 != "=" }))
            }
        }
        #expect(seen.isSuperset(of: ["settlement", "dated", "heading", "block-change", "axis-distance", "actor-named"]), "\(seen)")
        // Case and apostrophes do not change a word's feature.
        #expect(Feature.id(name: "w-1=Russia's") == Feature.id(name: "w-1=russias"))
        #expect(Feature.isStructural(Feature.id(name: "block=negation")))
        #expect(!Feature.isStructural(Feature.id(name: "left=attacks")))
    }

    @Test func theFileIsReadAndItsErrorsSayWhere() throws {
        let scorer = try Scorer(tsv: "# a comment\n@bias -1\n@side-bias 0.5\n@threshold 0.6\n@veto history\n2\trules=accept\n-3\tblock=negation\n1\tside:actor=russia\n")
        #expect(scorer.threshold == 0.6)
        #expect(scorer.vetoes == [.history])
        let accept = Feature.id(name: "rules=accept"), negated = Feature.id(name: "block=negation")
        // sigmoid(-1 + 2) and sigmoid(-1 + 2 - 3)
        #expect(abs(scorer.probability([accept]) - 1 / (1 + exp(-1.0))) < 1e-9)
        #expect(abs(scorer.probability([accept, negated]) - 1 / (1 + exp(2.0))) < 1e-9)
        #expect(scorer.actor([Feature.id(name: "actor=russia")]) == .russia)
        #expect(scorer.actor([]) == .russia, "side bias 0.5 leans to Russia")

        #expect { try Scorer(tsv: "@bias 0\n1\trules=accept\n") } throws: {
            ($0 as? ConfigError)?.code == "scorer-syntax" && ($0 as? ConfigError)?.message.contains("@threshold") == true
        }
        #expect { try Scorer(tsv: "@bias 0\n@threshold 0.5\nnot-a-number\trules=accept\n") } throws: {
            ($0 as? ConfigError)?.message.contains("line 3") == true
        }
        #expect { try Scorer(tsv: "@bias 0\n@threshold 1.5\n") } throws: { ($0 as? ConfigError)?.code == "scorer-threshold" }
        #expect { try Scorer(tsv: "@bias 0\n@threshold 0.5\n@veto nonsense\n") } throws: {
            ($0 as? ConfigError)?.message.contains("nonsense") == true
        }
    }

    @Test func reportsOfOneChangeInSeveralSentencesAddUp() throws {
        // Every candidate scores 0.4 (the bias alone): under the threshold, over the support floor.
        let scorer = try Scorer(tsv: "@bias -0.405465\n@threshold 0.55\n@support 0.3\n")
        let extractor = Extractor(gazetteer: TestSupport.gazetteer, lexicon: TestSupport.lexicon, scorer: scorer)
        let once = try Self.article("Russian forces stepped up attacks near Siversk.")
        #expect(extractor.extract(from: once).isEmpty, "one report at 0.4 is not enough")
        let twice = try Self.article("Russian forces stepped up attacks near Siversk. Fighting near Siversk has intensified, the brigade said.")
        let events = extractor.extract(from: twice)
        #expect(events.count == 2 && events.allSatisfy { $0.axis == "Siversk" })
        #expect(events.allSatisfy { abs($0.confidence - 0.64) < 0.01 }, "1 - 0.6 * 0.6: \(events.map(\.confidence))")
        let strict = try Scorer(tsv: "@bias -0.405465\n@threshold 0.55\n@support 0.45\n")
        #expect(Extractor(gazetteer: TestSupport.gazetteer, lexicon: TestSupport.lexicon, scorer: strict).extract(from: twice).isEmpty,
                "under the support floor nothing adds up")
    }

    @Test func aSentenceThatComesTwiceIsOneReportAndUntiedHintsAddUpAsOne() throws {
        // Every candidate scores 0.4 (the bias alone): two different reports add up to 0.64.
        let scorer = try Scorer(tsv: "@bias -0.405465\n@threshold 0.55\n@support 0.3\n")
        let extractor = Extractor(gazetteer: TestSupport.gazetteer, lexicon: TestSupport.lexicon, scorer: scorer)
        // A live blog that repeats its summary line: the same words twice are one report.
        let repeated = try Self.article("""
            Russian forces stepped up attacks near Siversk.

            Russian forces stepped up attacks near Siversk.
            """)
        #expect(extractor.extract(from: repeated).isEmpty, "one report at 0.4, printed twice, is still one report")
        // Sentences that name no place reach Siversk only as the axis of a sentence well before:
        // each is a hint at the same tie, and together they count as the likeliest one.
        let filler = "Volunteers unloaded another convoy of aid in the city. "
        let untied = try Self.article("Siversk has been shelled for months, residents said. " + String(repeating: filler, count: 3)
            + "Fighting has intensified, one officer said. The assaults were stepped up overnight, a second officer said.")
        let events = extractor.extract(from: untied)
        #expect(!events.contains { $0.axis == "Siversk" }, "hints tied only to a distant sentence do not add up: \(events.map(\.axis))")
    }

    @Test func aPeriodNamedByACueWordProposesNothing() throws {
        // "since the start of the month" dates a clause; "start" there begins no offensive.
        let extractor = Extractor(gazetteer: TestSupport.gazetteer, lexicon: TestSupport.lexicon, scorer: nil)
        var scratch = Extractor.Scratch()
        for period in ["since the start of the month", "at the beginning of the week", "since the beginning of this week"] {
            let article = try Self.article("In Zaporizhzhia, the council said 212 families had found housing \(period).")
            let found = extractor.candidates(from: article, scratch: &scratch)
            #expect(found.isEmpty, "\(period): \(found.map { extractor.rule(of: $0) })")
        }
        // The cue itself still counts where it starts something.
        let started = try Self.article("Russian troops started a new offensive in the Kurakhove direction.")
        #expect(extractor.candidates(from: started, scratch: &scratch).contains { extractor.rule(of: $0).contains("started") })
    }

    @Test func trainingLearnsWhatTheLabelsSayAndWritesAFileThatReadsBack() throws {
        // Two articles, in our own words: one states a change, one negates the same wording.
        let stated = LabelledArticle(name: "a.txt", article: try Self.article("Russian forces stepped up attacks near Lyman."),
                                     labels: [Labels.Label(axis: ["Lyman"], change: .intensified, actor: .russia)])
        let negated = LabelledArticle(name: "b.txt", article: try Self.article("Russian forces have not stepped up attacks near Lyman."),
                                      labels: [])
        let names = AxisNames(TestSupport.gazetteer)
        var examples: [TrainingExample] = []
        var featureNames: [[String]] = []
        for item in [stated, negated, stated, negated] {
            let (ex, n) = Training.examples(item, extractor: TestSupport.rules, axisNames: names, names: true)
            examples += ex
            featureNames += n
        }
        #expect(examples.map(\.target) == [1, 0, 1, 0])
        #expect(examples[0].russia == 1)
        var options = Training.Options()
        options.l2 = 0.001
        options.vetoes = []
        let fit = Training.fit(examples, names: featureNames, options: options)
        let extractor = Extractor(gazetteer: TestSupport.gazetteer, lexicon: TestSupport.lexicon, scorer: fit.scorer)
        #expect(extractor.extract(from: stated.article).map(\.axis) == ["Lyman"])
        #expect(extractor.extract(from: negated.article).isEmpty)

        let text = Training.tsv(named: fit.named, bias: fit.bias, sideBias: fit.sideBias, threshold: 0.5, provenance: ["test"])
        let reread = try Scorer(tsv: text)
        let c = Extractor(gazetteer: TestSupport.gazetteer, lexicon: TestSupport.lexicon, scorer: reread)
        let p1 = try #require(extractor.extract(from: stated.article).first).confidence
        let p2 = try #require(c.extract(from: stated.article).first).confidence
        #expect(abs(p1 - p2) <= 0.01, "the file keeps the weights (to six decimals)")
    }

    @Test func foldsAreStableAndCrossValidationScoresEveryFileOnce() throws {
        #expect(CrossValidation.fold(of: "a-001.txt", folds: 5) == CrossValidation.fold(of: "a-001.txt", folds: 5))
        let counts = (0..<200).reduce(into: [Int](repeating: 0, count: 5)) { c, i in c[CrossValidation.fold(of: "f\(i).txt", folds: 5)] += 1 }
        #expect(counts.allSatisfy { $0 > 20 }, "files spread over the folds: \(counts)")
        // Another seed draws another partition, as even.
        let names = (0..<200).map { "f\($0).txt" }
        let moved = names.filter { CrossValidation.fold(of: $0, folds: 5, seed: 3) != CrossValidation.fold(of: $0, folds: 5) }
        #expect(moved.count > 100, "seed 3 moves most files to another fold: \(moved.count) of 200")
        let seeded = names.reduce(into: [Int](repeating: 0, count: 5)) { c, n in c[CrossValidation.fold(of: n, folds: 5, seed: 3)] += 1 }
        #expect(seeded.allSatisfy { $0 > 20 }, "seeded folds spread too: \(seeded)")

        var items: [LabelledArticle] = []
        for i in 0..<10 {
            let up = i % 2 == 0
            let body = up ? "The enemy intensified shelling near Kupiansk on day \(i)."
                          : "The enemy did not intensify shelling near Kupiansk on day \(i)."
            items.append(LabelledArticle(name: "\(i).txt", article: try Self.article(body),
                                         labels: up ? [Labels.Label(axis: ["Kupiansk"], change: .intensified, actor: .russia)] : []))
        }
        let result = CrossValidation.run(folds: 5, scored: items, extra: [], extractor: TestSupport.rules)
        #expect(result.folds.count == 5)
        #expect(result.folds.map { $0.test.requiredTotal }.reduce(0, +) == 5, "each required label is scored in one fold")
        #expect(result.pooled.requiredTotal == 5)
        #expect(result.reliability.map(\.count).reduce(0, +) > 0)
    }

    @Test func theLexiconIsDataAndSaysWhatIsMissing() throws {
        #expect(TestSupport.lexicon.cues.count > 200)
        #expect(TestSupport.lexicon.negations.contains("not"))
        #expect { try Lexicon(yaml: "negations: [not]\n") } throws: { ($0 as? ConfigError)?.code == "lexicon-empty" }
        #expect { try Lexicon(yaml: "cues:\n  - change: intensified\n    phrases: [flared]\n") } throws: {
            ($0 as? ConfigError)?.code == "lexicon-missing"
        }
        #expect { try Lexicon(yaml: "cues:\n  - change: sideways\n    phrases: [flared]\n") } throws: {
            ($0 as? ConfigError)?.code == "lexicon-syntax"
        }
        // A cue added to the data is found without a rebuild.
        let url = TestSupport.repositoryRoot.appendingPathComponent("config/lexicon.en.yaml")
        let text = try String(contentsOf: url, encoding: .utf8)
            .replacingOccurrences(of: "cues:\n", with: "cues:\n  - change: intensified\n    phrases: [boiled over]\n")
        let extended = Extractor(gazetteer: TestSupport.gazetteer, lexicon: try Lexicon(yaml: text))
        let a = try Self.article("Fighting boiled over near Siversk, the brigade said.")
        #expect(TestSupport.rules.extract(from: a).isEmpty)
        #expect(extended.extract(from: a).map(\.axis) == ["Siversk"])
    }
}

@Suite("replay scoring")
struct ReplayScoringTests {
    @Test func alertsAreCheckedAgainstLabelsAndEpisodesAgainstTheLabelsOwnTimeline() throws {
        func dated(_ name: String, _ date: String, _ body: String) throws -> DatedArticle {
            DatedArticle(path: "/in/" + name, article: try ArticleParser.parse(text: "date \(date)\n\n" + body, fallbackDate: nil))
        }
        let articles = [
            try dated("1.txt", "2024-05-01", "Russian forces stepped up assaults near Siversk on Wednesday."),
            try dated("2.txt", "2024-05-03", "The enemy again intensified attacks near Siversk, the brigade said."),
            try dated("3.txt", "2024-05-20", "Russian troops have not intensified shelling of Lyman."),
            try dated("4.txt", "2024-05-21", "Ukrainian units stepped up attacks near Robotyne."),
        ]
        let label = { (axis: String) in Labels.Label(axis: [axis], change: .intensified, actor: .russia) }
        let labels = Labels(files: ["1.txt": [label("Siversk")], "2.txt": [label("Siversk")], "3.txt": [],
                                    "4.txt": [], "5.txt": [label("Kupiansk")]])
        let tracker = AxisTracker(policy: TrackerPolicy(windowDays: 7, cooldownDays: 7, alertOnEased: true, minConfidence: 0.5))
        let alerts = tracker.replay(articles, extractor: TestSupport.rules)
        #expect(alerts.map(\.axis) == ["Siversk", "Orikhiv"], "one Siversk episode, one false alarm on Robotyne")
        let r = ReplayScoring.score(alerts: alerts, articles: articles, labels: labels, gazetteer: TestSupport.gazetteer,
                                    tracker: tracker)
        #expect(r.alerts == 2 && r.rightAlerts == 1 && r.episodes == 1 && r.caught == 1, "\(r)")
        #expect(r.alertPrecision == 0.5 && r.episodesCaught == 1)
    }
}

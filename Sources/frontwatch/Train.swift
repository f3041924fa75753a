import ArgumentParser
import Foundation
import FrontwatchCore
import FrontwatchDaemon
import FrontwatchSystem

struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train the extractor's scorer on labelled folders and write its weights file.",
        discussion: """
        Each FOLDER holds articles and either a labels.json (the format `eval` reads) or, per article \
        NAME.txt, a NAME.expected.json golden file. The rules propose candidates in every article, the \
        labels say which state a current change, and a logistic regression learns to tell them apart. \
        scripts/train retrains the shipped scorer (config/scorer.en.tsv) in one command.
        """)

    @Option(name: .long, help: ArgumentHelp("Where to write the weights.", valueName: "file"))
    var out: String = "config/scorer.en.tsv"

    @Option(name: .long, help: ArgumentHelp("The configuration file (for its gazetteer).", valueName: "file"))
    var config: String?

    @OptionGroup(title: "Training")
    var training: TrainingOptions

    @Argument(help: ArgumentHelp("Labelled folders.", valueName: "folder"))
    var folders: [String]

    func run() throws {
        let loaded = try loadConfig(config, requireScorer: false)
        let rules = loaded.rules
        let axisNames = AxisNames(loaded.gazetteer)
        var examples: [TrainingExample] = []
        var names: [[String]] = []
        var provenance: [String] = []
        for folder in folders {
            let items = try LabelledFolder.load(folder, config: loaded.config)
            var positives = 0
            for item in items {
                let (ex, n) = Training.examples(item, extractor: rules, axisNames: axisNames, names: true)
                examples += ex
                names += n
                positives += ex.filter { $0.target == 1 }.count
            }
            provenance.append("trained on \(folder): \(items.count) articles")
            printError("\(folder): \(items.count) articles, \(positives) positive candidates")
        }
        let options = try training.options()
        let fit = Training.fit(examples, names: names, options: options)
        provenance.append("\(examples.count) candidates, \(examples.filter { $0.target == 1 }.count) positive; l2 \(options.l2), structural share \(options.structuralShare)")
        let text = Training.tsv(named: fit.named, bias: fit.bias, sideBias: fit.sideBias, threshold: options.threshold,
                                vetoes: options.vetoes, support: options.support, provenance: provenance)
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: out))
        } catch {
            throw failure("cannot write \(out): \(error.localizedDescription)", code: ExitStatus.cannotCreate)
        }
        print("wrote \(out): \(fit.named.count) weights from \(examples.count) candidates")
    }
}

/// Reads a labelled folder: labels.json, or NAME.expected.json golden files beside NAME.txt; the
/// articles are the files the daemon would read in the folder.
enum LabelledFolder {
    struct Golden: Decodable {
        struct Event: Decodable {
            var axis: String
            var actor: Side
            var change: Change
            var evidence: String?
        }
        var events: [Event]
        var fallbackDate: String?
    }

    /// How much a golden article counts in training against a corpus passage: each is written to
    /// set one trap, and there is one of each.
    static let goldenWeight = 1.0

    /// The labelled articles of `folder`: of the files the daemon would read there (the
    /// configuration's `watch.ignore`; `ArticleFolder`), those with labels, in name order.
    /// Articles without labels are not scored, and a note says how many there are.
    static func load(_ folder: String, labelsPath: String? = nil, config: FrontwatchConfig) throws -> [LabelledArticle] {
        let articles = ArticleFolder(path: folder, config: config)
        let listing: ArticleFolder.Listing
        do {
            listing = try articles.list()
        } catch {
            throw failure("cannot list \(folder): \(error.explained)", code: ExitStatus.noInput)
        }
        let labelsFile = labelsPath ?? folder + "/labels.json"
        var out: [LabelledArticle] = []
        var unreadable: [String] = []
        var unlabelled: [String] = []
        if FileManager.default.fileExists(atPath: labelsFile) {
            let labels: Labels
            do {
                labels = try JSONDecoder().decode(Labels.self, from: Data(FileSystem.readText(at: labelsFile).utf8))
            } catch {
                throw failure("cannot read the labels \(labelsFile): \(ConfigError.describe(error))", code: ExitStatus.data)
            }
            for name in labels.files.keys.sorted() {
                guard articles.reads(name) else {
                    unreadable.append("\(folder)/\(name): labelled, but not an article: its name matches watch.ignore, so the daemon would not read it")
                    continue
                }
                switch ArticleReader.read(path: articles.path(of: name), limits: ArticleAnalyser.Limits(config: config)) {
                case .success(let article): out.append(LabelledArticle(name: name, article: article, labels: labels.files[name]!))
                case .failure(let message): unreadable.append("\(folder)/\(name): \(message)")
                }
            }
            unlabelled = listing.names.filter { labels.files[$0] == nil }
        } else {
            // Golden files: NAME.expected.json beside the article NAME.txt (or NAME.EXT, or NAME).
            var goldens = 0
            for name in listing.names {
                let stem = name.lastIndex(of: ".").map { String(name[..<$0]) } ?? name
                let golden = articles.path(of: stem + ".expected.json")
                guard FileSystem.exists(golden) else {
                    unlabelled.append(name)
                    continue
                }
                goldens += 1
                do {
                    let expected = try JSONDecoder().decode(Golden.self, from: Data(FileSystem.readText(at: golden).utf8))
                    let text = try FileSystem.readText(at: articles.path(of: name))
                    let article = try ArticleParser.parse(text: text, fallbackDate: expected.fallbackDate.flatMap { CalendarDay(iso: $0) })
                    let labels = expected.events.map {
                        Labels.Label(axis: [$0.axis], change: $0.change, actor: $0.actor, strength: .required, evidence: $0.evidence)
                    }
                    out.append(LabelledArticle(name: name, article: article, labels: labels, weight: goldenWeight))
                } catch {
                    unreadable.append("\(folder)/\(stem).expected.json: \(error)")
                }
            }
            guard goldens > 0 else {
                throw failure("\(folder): no labels.json and no NAME.expected.json beside an article: nothing to learn from", code: ExitStatus.noInput)
            }
        }
        for raw in listing.undecodable {
            unlabelled.append(FileSystem.escapedName(raw))
        }
        if !unlabelled.isEmpty {
            let shown = unlabelled.prefix(5).joined(separator: ", ") + (unlabelled.count > 5 ? ", ..." : "")
            printError("\(folder): \(unlabelled.count) article\(unlabelled.count == 1 ? " has" : "s have") no labels and \(unlabelled.count == 1 ? "is" : "are") not scored: \(shown)")
        }
        if !unreadable.isEmpty {
            for line in unreadable { printError(line) }
            throw failure("\(unreadable.count) labelled file(s) in \(folder) could not be read", code: ExitStatus.noInput)
        }
        return out
    }
}

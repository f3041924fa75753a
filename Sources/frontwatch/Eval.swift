import ArgumentParser
import Foundation
import FrontwatchCore
import FrontwatchDaemon
import FrontwatchSystem

struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score the extractor on a labelled folder: precision, recall and F1 over (axis, change) pairs, actor accuracy, and every miss and false alarm with its sentence.",
        discussion: "LABELS.json maps each file name to its labels: [{\"axis\": [accepted names], \"change\": \"intensified\"|\"eased\", \"actor\": \"russia\"|\"ukraine\"|\"unknown\", \"strength\": \"required\"|\"optional\"}]. Required labels count for recall; optional ones are neither rewarded nor penalised.")

    @Option(name: .long, help: ArgumentHelp("The labels file (default: labels.json in the folder).", valueName: "labels.json"))
    var labels: String?

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Option(name: .long, help: ArgumentHelp("The configuration file (for its gazetteer).", valueName: "file"))
    var config: String?

    @Option(name: .long, help: "Cross-validate: train the scorer on all folds but one, score that one, for each of N folds (5 is usual). Without it, the shipped scorer is scored.")
    var folds: Int?

    @Option(name: .long, help: ArgumentHelp("With --folds: a labelled folder added to every training fold and never scored (repeatable).", valueName: "folder"))
    var trainAlso: [String] = []

    @OptionGroup(title: "Training (with --folds)")
    var training: TrainingOptions

    @Option(name: .long, help: ArgumentHelp("With --folds: feature namespaces to leave out, comma-separated (an ablation).", valueName: "names"))
    var without: String = ""

    @Option(name: .long, help: "With --folds: which partition into folds (0, the default, is the usual one; others draw a different split, to see how much a figure owes to one split).")
    var seed: UInt64 = 0

    @Flag(name: .long, help: "With --folds: only the figures, not every miss and false alarm.")
    var brief = false

    @Argument(help: ArgumentHelp("The folder of labelled articles: the files the daemon would read there (names matching watch.ignore, by default dotfiles, temp files, README* and *.json, are skipped).", valueName: "dir"))
    var directory: String

    func validate() throws {
        if let folds, folds < 2 { throw ValidationError("--folds must be 2 or more") }
    }

    func run() throws {
        let loaded = try loadConfig(config, requireScorer: folds == nil)
        if let folds {
            try crossValidate(folds: folds, loaded: loaded)
            return
        }
        let items = try LabelledFolder.load(directory, labelsPath: labels, config: loaded.config)
        let extractor = loaded.extractor
        var events: [String: [AxisEvent]] = [:]
        for item in items { events[item.name] = extractor.extract(from: item.article) }
        let labelSet = Labels(files: Dictionary(uniqueKeysWithValues: items.map { ($0.name, $0.labels) }))
        let report = Evaluation.score(labels: labelSet, events: events, gazetteer: loaded.gazetteer)
        switch format {
        case .text:
            print(report.summary)
        case .json:
            print(JSONLines.encode(EvalSummary(report: report, files: events.count)))
        }
    }

    func crossValidate(folds: Int, loaded: LoadedConfig) throws {
        let scored = try LabelledFolder.load(directory, labelsPath: labels, config: loaded.config)
        var extra: [LabelledArticle] = []
        for folder in trainAlso { extra += try LabelledFolder.load(folder, config: loaded.config) }
        let options = try training.options()
        let result = CrossValidation.run(folds: folds, scored: scored, extra: extra,
                                         extractor: loaded.rules, options: options,
                                         without: Set(without.split(separator: ",").map(String.init)), seed: seed)
        func pct(_ v: Double) -> String { String(format: "%.1f%%", v * 100) }
        func line(_ r: Evaluation.Report) -> String {
            "P \(pct(r.precision)) R \(pct(r.recall)) F1 \(pct(r.f1)) actor \(pct(r.actorAccuracy))"
        }
        if format == .json {
            for f in result.folds {
                print(JSONLines.encode(FoldSummary(fold: f.fold, test: EvalSummary(report: f.test, files: 0),
                                                   train: EvalSummary(report: f.train, files: 0))))
            }
            print(JSONLines.encode(EvalSummary(report: result.pooled, files: scored.count)))
            return
        }
        for f in result.folds {
            print("fold \(f.fold + 1): test \(line(f.test)) | train \(line(f.train))")
        }
        let n = Double(result.folds.count)
        let meanTest = result.folds.map(\.test.f1).reduce(0, +) / n
        let meanTrain = result.folds.map(\.train.f1).reduce(0, +) / n
        print("mean F1: test \(pct(meanTest)), train \(pct(meanTrain)), gap \(String(format: "%.1f", (meanTrain - meanTest) * 100)) points")
        print("reliability (held-out pairs by confidence: how many a required label accepts):")
        for bin in result.reliability where bin.count > 0 {
            print(String(format: "  %.1f-%.1f  %4d pairs  %5.1f%% right", bin.low, bin.low + 0.1, bin.count,
                         100 * Double(bin.right) / Double(bin.count)))
        }
        print("cross-validated, \(folds) folds, all held-out folds together:")
        let summary = result.pooled.summary.split(separator: "\n")
        for l in (brief ? Array(summary.prefix(4)) : summary) { print(l) }
    }
}

struct FoldSummary: Encodable {
    var fold: Int
    var test: EvalSummary
    var train: EvalSummary
}

struct EvalSummary: Encodable {
    var files: Int
    var precision: Double
    var recall: Double
    var f1: Double
    var actor_accuracy: Double
    var true_positives: Int
    var false_positives: Int
    var misses: Int

    init(report: Evaluation.Report, files: Int) {
        self.files = files
        precision = report.precision
        recall = report.recall
        f1 = report.f1
        actor_accuracy = report.actorAccuracy
        true_positives = report.truePositives
        false_positives = report.falsePositives
        misses = report.misses.count
    }
}

/// Loads the configuration (and gazetteer) the way `run` does, for the offline commands.
func loadConfig(_ path: String?, requireScorer: Bool = true) throws -> LoadedConfig {
    do {
        return try ConfigLoader.load(configPath: path, environment: Environment.current, requireScorer: requireScorer)
    } catch {
        throw failure(error.message, code: ExitStatus.config)
    }
}

func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// Exit statuses of sysexits(3), as daemons and their tools use them.
enum ExitStatus {
    static let data: Int32 = 65        // EX_DATAERR: an input file is malformed
    static let noInput: Int32 = 66     // EX_NOINPUT: an input cannot be read
    static let cannotCreate: Int32 = 73 // EX_CANTCREAT: an output cannot be written
    static let config: Int32 = 78      // EX_CONFIG: the configuration (or its data files) is unusable
}

/// A command that failed while it ran (not a mistake in its command line): says `frontwatch:
/// MESSAGE` on stderr, without the usage text ArgumentParser prints for a `ValidationError`, and
/// returns the exit status to throw.
func failure(_ message: String, code: Int32 = 1) -> ExitCode {
    printError("frontwatch: \(message)")
    return ExitCode(code)
}

/// The settings of a fit, shared by `train` and `eval --folds`.
struct TrainingOptions: ParsableArguments {
    @Option(name: .long, help: "The L2 penalty of lexical features.")
    var l2: Double = Training.Options().l2

    @Option(name: .long, help: "The L2 penalty of structural features, as a share of --l2.")
    var structuralShare: Double = Training.Options().structuralShare

    @Option(name: .long, help: ArgumentHelp("What the rules find that no score overrides, comma-separated (history, denied, ...).", valueName: "blocks"))
    var veto: String = Training.Options().vetoes.map(\.rawValue).sorted().joined(separator: ",")

    @Option(name: .long, help: "The decision threshold.")
    var threshold: Double = Training.Options().threshold

    @Option(name: .long, help: "The lowest score kept with the support of the article's other reports of the same change.")
    var support: Double = Training.Options().support

    func options() throws -> Training.Options {
        var o = Training.Options()
        o.l2 = l2
        o.structuralShare = structuralShare
        o.threshold = threshold
        o.support = support
        o.vetoes = []
        for name in veto.split(separator: ",") {
            guard let b = Extractor.Block(rawValue: String(name)) else {
                throw ValidationError("--veto: unknown block \(name); known: \(Extractor.Block.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            o.vetoes.insert(b)
        }
        return o
    }
}

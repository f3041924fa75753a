import ArgumentParser
import Foundation
import FrontwatchCore
import FrontwatchDaemon
import FrontwatchSystem

struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score the extractor on a labelled folder: precision, recall and F1 over (axis, change) pairs, actor accuracy, and every miss and false alarm with its sentence.",
        discussion: "LABELS.json maps each file name to its labels: [{\"axis\": [accepted names], \"change\": \"intensified\"|\"eased\", \"actor\": \"russia\"|\"ukraine\"|\"unknown\", \"strength\": \"required\"|\"optional\"}]. Required labels count for recall; optional ones are neither rewarded nor penalised.")

    @Option(name: .long, help: ArgumentHelp("The labels file.", valueName: "labels.json"))
    var labels: String

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Option(name: .long, help: ArgumentHelp("The configuration file (for its gazetteer).", valueName: "file"))
    var config: String?

    @Argument(help: ArgumentHelp("The folder of labelled articles.", valueName: "dir"))
    var directory: String

    func run() throws {
        let loaded = try loadConfig(config)
        let labelSet: Labels
        do {
            labelSet = try JSONDecoder().decode(Labels.self, from: Data(FileSystem.readText(at: labels).utf8))
        } catch {
            throw ValidationError("cannot read the labels \(labels): \(ConfigError.describe(error))")
        }
        let extractor = Extractor(gazetteer: loaded.gazetteer)
        var events: [String: [AxisEvent]] = [:]
        var unreadable = 0
        for name in labelSet.files.keys.sorted() {
            switch ArticleReader.read(path: directory + "/" + name, maxBytes: loaded.config.maxFileBytes) {
            case .success(let article): events[name] = extractor.extract(from: article)
            case .failure(let message):
                unreadable += 1
                printError("\(directory)/\(name): \(message)")
            }
        }
        let report = Evaluation.score(labels: labelSet, events: events, gazetteer: loaded.gazetteer)
        switch format {
        case .text:
            print(report.summary)
        case .json:
            print(JSONLines.encode(EvalSummary(report: report, files: events.count)))
        }
        if unreadable > 0 { throw ExitCode(1) }
    }
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
func loadConfig(_ path: String?) throws -> LoadedConfig {
    do {
        return try ConfigLoader.load(configPath: path, environment: Environment.current)
    } catch {
        throw ValidationError(error.message)
    }
}

func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

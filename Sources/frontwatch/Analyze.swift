import ArgumentParser
import Foundation
import FrontwatchCore
import FrontwatchDaemon
import FrontwatchSystem

struct Analyze: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print what the extractor finds in articles, without touching any state.",
        discussion: """
            Each PATH is an article file, a folder, or - for paths read from standard input, one per \
            line (a folder there is read as a folder too). A folder stands for the files the daemon \
            would read in it, in name order: names matching watch.ignore in the configuration (by \
            default dotfiles, temp files, README* and *.json) are skipped. A file named on its own is \
            read whatever its name. Files are analysed on every core; the output keeps their order. \
            For thousands of files, give the folder or - (`find DIR -name '*.txt' | frontwatch \
            analyze -`): a long argument list is slow to parse.
            """)

    @Option(help: "Output format: text (with the rule behind each event) or json (one object per file per line).")
    var format: OutputFormat = .text

    @Option(name: .long, help: ArgumentHelp("The configuration file (for its gazetteer and watch.ignore).", valueName: "file"))
    var config: String?

    @Flag(name: .long, help: "Also list every candidate the rules proposed, with the scorer's probability and what the rules held against it (text format).")
    var candidates = false

    @Flag(name: .long, help: "With --candidates: each candidate's features and their weights in the scorer, strongest first.")
    var weights = false

    @Argument(help: ArgumentHelp("Article files, folders of articles, or - (paths on standard input, one per line).", valueName: "path"))
    var paths: [String]

    func validate() throws {
        if weights && !candidates { throw ValidationError("--weights lists the features of candidates: add --candidates") }
    }

    func run() async throws {
        let loaded = try loadConfig(config)
        let inputs = AnalyzeInput.expand(paths, config: loaded.config)
        let analyser = AnalyzeReports(extractor: loaded.extractor, format: format, candidates: candidates, weights: weights,
                                      limits: ArticleAnalyser.Limits(config: loaded.config))
        let failures = await analyser.analyse(inputs, width: ProcessInfo.processInfo.activeProcessorCount)
        if failures > 0 { throw ExitCode(1) }
    }
}

/// One file to analyse, as the command line (or standard input, or a folder) named it.
enum AnalyzeInput: Sendable, Equatable {
    /// A file to read.
    case file(String)
    /// A file or folder that cannot be analysed, and why.
    case failed(String, String)

    /// The files `paths` stand for, in order: a folder for its articles (`ArticleFolder`, in name
    /// order), `-` for the paths on standard input (read whole first), anything else for itself.
    static func expand(_ paths: [String], config: FrontwatchConfig) -> [AnalyzeInput] {
        var out: [AnalyzeInput] = []
        for path in paths {
            if path == "-" {
                while let line = readLine(strippingNewline: true) {
                    if !line.isEmpty { out += expand(path: line, config: config) }
                }
            } else {
                out += expand(path: path, config: config)
            }
        }
        return out
    }

    /// A single path: a folder's articles, or the path itself.
    static func expand(path: String, config: FrontwatchConfig) -> [AnalyzeInput] {
        guard (try? FileSystem.identity(following: path))?.kind == .directory else { return [.file(path)] }
        let folder = ArticleFolder(path: path, config: config)
        let listing: ArticleFolder.Listing
        do {
            listing = try folder.list()
        } catch {
            return [.failed(path, "cannot list the folder: \(error.explained)")]
        }
        // Named under the folder as it was given, as the user will look for them.
        let prefix = path.hasSuffix("/") ? path : path + "/"
        return listing.names.map { .file(prefix + $0) }
            + listing.undecodable.map { .failed(prefix + FileSystem.escapedName($0), "its name is not valid UTF-8; the daemon would reject it (rename it to read it)") }
    }
}

/// Reads and analyses files on several tasks at once, and prints what each holds, in order.
struct AnalyzeReports: Sendable {
    let extractor: Extractor
    let format: OutputFormat
    let candidates: Bool
    let weights: Bool
    let limits: ArticleAnalyser.Limits

    /// What one file printed: lines for standard output and for standard error.
    struct Printout: Sendable {
        var out = ""
        var err = ""
        var failed = false
    }

    /// Analyses `inputs` at most `width` at a time and prints each one's report in input order
    /// as soon as those before it are printed; returns how many could not be read.
    func analyse(_ inputs: [AnalyzeInput], width: Int) async -> Int {
        let width = max(1, width)
        // Reports that wait for an earlier one: at most this many files ahead of the next to print.
        let window = 16 * width
        var failures = 0
        await withTaskGroup(of: (Int, Printout).self) { group in
            var next = 0, running = 0, printed = 0
            var finished: [Int: Printout] = [:]
            while true {
                while running < width, next < inputs.count, next - printed < window {
                    let index = next, input = inputs[index]
                    group.addTask { (index, report(input)) }
                    next += 1
                    running += 1
                }
                guard let (index, printout) = await group.next() else { break }
                running -= 1
                finished[index] = printout
                while let ready = finished.removeValue(forKey: printed) {
                    if !ready.out.isEmpty { print(ready.out, terminator: "") }
                    if !ready.err.isEmpty { FileHandle.standardError.write(Data(ready.err.utf8)) }
                    if ready.failed { failures += 1 }
                    printed += 1
                }
            }
        }
        return failures
    }

    /// Reads and analyses one file; returns what to print for it.
    func report(_ input: AnalyzeInput) -> Printout {
        switch input {
        case .failed(let path, let message):
            return printout(file: path, article: nil, events: [], error: message)
        case .file(let path):
            switch ArticleReader.read(path: path, limits: limits) {
            case .failure(let message):
                return printout(file: path, article: nil, events: [], error: message)
            case .success(let article):
                var scratch = Extractor.Scratch()
                var p = printout(file: path, article: article, events: extractor.extract(from: article, scratch: &scratch), error: nil)
                if candidates && format == .text { p.out += explain(article, scratch: &scratch) }
                return p
            }
        }
    }

    /// Every candidate, with why it was kept or not.
    func explain(_ article: Article, scratch: inout Extractor.Scratch) -> String {
        var text = ""
        for c in extractor.candidates(from: article, scratch: &scratch, names: weights) {
            let p = extractor.scorer?.probability(c.features)
            let vetoed = c.blocks.filter { extractor.scorer?.vetoes.contains($0) ?? false }
            let verdict = !vetoed.isEmpty ? "vetoed" : p.map { $0 >= extractor.scorer!.threshold ? "kept" : "below threshold" }
                ?? (c.accepted ? "kept" : "blocked")
            let blocks = c.blocks.isEmpty ? "none" : c.blocks.map(\.rawValue).joined(separator: ",")
            text += "  candidate \(extractor.gazetteer.axes[c.axis].name) \(c.change.rawValue) [\(extractor.rule(of: c))] p=\(p.map { String(format: "%.2f", $0) } ?? "-") blocks=\(blocks)\(c.heading ? " heading" : ""): \(verdict)\n"
            if weights, let scorer = extractor.scorer, let names = c.featureNames {
                // The sum the probability is made of: the intercept and each feature the model knows.
                let weighed = zip(names, c.features).compactMap { name, id in scorer.decision.weight(of: id).map { (name, $0) } }
                text += "    \(String(format: "%+.3f", scorer.decision.bias)) intercept\n"
                for (name, w) in weighed.sorted(by: { abs($0.1) > abs($1.1) }) {
                    text += "    \(String(format: "%+.3f", w)) \(name)\n"
                }
                let unknown = names.count - weighed.count
                if unknown > 0 { text += "    (\(unknown) feature\(unknown == 1 ? "" : "s") without a weight)\n" }
            }
        }
        return text
    }

    func printout(file: String, article: Article?, events: [AxisEvent], error: String?) -> Printout {
        var p = Printout(failed: error != nil)
        switch format {
        case .json:
            let report = AnalyzeReport(file: file, date: article?.date?.description, events: events.map(AnalyzeReport.Event.init), error: error)
            p.out = JSONLines.encode(report) + "\n"
        case .text:
            if let error {
                p.err = "\(file): error: \(error)\n"
                return p
            }
            let dateNote = article.map { a in
                (a.date?.description ?? "undated") + (a.dateSource == .fileModification ? " (from the file's modification time)" : "")
            } ?? "?"
            p.out = "\(file): \(dateNote), \(events.count) event\(events.count == 1 ? "" : "s")\n"
            for e in events {
                p.out += "  \(e.axis): \(e.change.rawValue) by \(e.actor.rawValue), confidence \(String(format: "%.2f", e.confidence)), day \(e.day?.description ?? "?")\n"
                p.out += "    rule: \(e.rule); bytes \(e.start)-\(e.end)\n"
                p.out += "    evidence: \(e.evidence.split(whereSeparator: \.isNewline).joined(separator: " "))\n"
            }
        }
        return p
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

struct AnalyzeReport: Encodable {
    struct Event: Encodable {
        var axis: String
        var actor: String
        var change: String
        var confidence: Double
        var evidence: String
        var rule: String
        var start: Int
        var end: Int
        var day: String?

        init(_ e: AxisEvent) {
            axis = e.axis
            actor = e.actor.rawValue
            change = e.change.rawValue
            confidence = (e.confidence * 100).rounded() / 100
            evidence = e.evidence
            rule = e.rule
            start = e.start
            end = e.end
            day = e.day?.description
        }
    }

    var file: String
    var date: String?
    var events: [Event]
    var error: String?

    enum CodingKeys: String, CodingKey { case file, date, events, error }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(file, forKey: .file)
        try c.encode(date, forKey: .date)  // null when unknown, never omitted
        try c.encode(events, forKey: .events)
        try c.encode(error, forKey: .error)
    }
}

enum JSONLines {
    static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

/// A file as the daemon would read it (`ArticleAnalyser.read`: the safe read, the caps, the date
/// checks), for the offline commands: the article, or the reason the daemon would reject it.
enum ArticleReader {
    enum Result {
        case success(Article)
        case failure(String)
    }

    static func read(path: String, limits: ArticleAnalyser.Limits) -> Result {
        switch ArticleAnalyser.read(path: path, limits: limits) {
        case .article(let article, _): return .success(article)
        case .rejected(let reason, let message, _, _): return .failure("\(message) (\(reason))")
        case .vanished: return .failure("no such file")
        }
    }
}

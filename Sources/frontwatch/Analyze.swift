import ArgumentParser
import Foundation
import FrontwatchCore
import FrontwatchDaemon
import FrontwatchSystem

struct Analyze: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print what the extractor finds in articles, without touching any state.")

    @Option(help: "Output format: text (with the rule behind each event) or json (one object per file per line).")
    var format: OutputFormat = .text

    @Option(name: .long, help: ArgumentHelp("The configuration file (for its gazetteer).", valueName: "file"))
    var config: String?

    @Flag(name: .long, help: "Also list every candidate the rules proposed, with the scorer's probability and what the rules held against it (text format).")
    var candidates = false

    @Argument(help: ArgumentHelp("Article files.", valueName: "file"))
    var files: [String]

    func run() throws {
        let loaded = try loadConfig(config)
        let extractor = loaded.extractor
        var failures = 0
        for file in files {
            let result = ArticleReader.read(path: file, maxBytes: loaded.config.maxFileBytes)
            switch result {
            case .failure(let message):
                failures += 1
                emit(file: file, article: nil, events: [], error: message)
            case .success(let article):
                emit(file: file, article: article, events: extractor.extract(from: article), error: nil)
                if candidates && format == .text { explain(article, extractor) }
            }
        }
        if failures > 0 { throw ExitCode(1) }
    }

    /// Every candidate, with why it was kept or not.
    func explain(_ article: Article, _ extractor: Extractor) {
        var scratch = Extractor.Scratch()
        for c in extractor.candidates(from: article, scratch: &scratch) {
            let p = extractor.scorer?.probability(c.features)
            let vetoed = c.blocks.filter { extractor.scorer?.vetoes.contains($0) ?? false }
            let verdict = !vetoed.isEmpty ? "vetoed" : p.map { $0 >= extractor.scorer!.threshold ? "kept" : "below threshold" }
                ?? (c.accepted ? "kept" : "blocked")
            let blocks = c.blocks.isEmpty ? "none" : c.blocks.map(\.rawValue).joined(separator: ",")
            print("  candidate \(extractor.gazetteer.axes[c.axis].name) \(c.change.rawValue) [\(extractor.rule(of: c))] p=\(p.map { String(format: "%.2f", $0) } ?? "-") blocks=\(blocks)\(c.heading ? " heading" : ""): \(verdict)")
        }
    }

    func emit(file: String, article: Article?, events: [AxisEvent], error: String?) {
        switch format {
        case .json:
            let report = AnalyzeReport(file: file, date: article?.date?.description, events: events.map(AnalyzeReport.Event.init), error: error)
            print(JSONLines.encode(report))
        case .text:
            if let error {
                printError("\(file): error: \(error)")
                return
            }
            let dateNote = article.map { a in
                (a.date?.description ?? "undated") + (a.dateSource == .fileModification ? " (from the file's modification time)" : "")
            } ?? "?"
            print("\(file): \(dateNote), \(events.count) event\(events.count == 1 ? "" : "s")")
            for e in events {
                print("  \(e.axis): \(e.change.rawValue) by \(e.actor.rawValue), confidence \(String(format: "%.2f", e.confidence)), day \(e.day?.description ?? "?")")
                print("    rule: \(e.rule); bytes \(e.start)-\(e.end)")
                print("    evidence: \(e.evidence.split(whereSeparator: \.isNewline).joined(separator: " "))")
            }
        }
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

/// Reads an article file the way the daemon does (safe read, decoding, header), for the CLI.
enum ArticleReader {
    enum Result {
        case success(Article)
        case failure(String)
    }

    static func read(path: String, maxBytes: Int) -> Result {
        do {
            let snapshot = try FileSystem.readRegularFile(at: path, maxBytes: maxBytes)
            let article = try ArticleParser.parse(bytes: snapshot.bytes,
                                                  fallbackDate: CalendarDay(unixSeconds: snapshot.identity.mtimeSeconds))
            return .success(article)
        } catch let error as FileReadError {
            return .failure(error.message)
        } catch let error as ArticleError {
            return .failure(error.message)
        } catch {
            return .failure("\(error)")
        }
    }
}

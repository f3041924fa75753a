import ArgumentParser
import Foundation
import FrontwatchCore
import FrontwatchDaemon
import FrontwatchSystem

struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Backtest: run the extractor and the axis tracker over a folder of dated articles, in date order, on fresh state, and print the alerts that would have fired.",
        discussion: "Use it to tune tracker.window_days and tracker.cooldown_days on a real timeline before changing the daemon's configuration. Articles are named by the folder's resolved path (absolute, symlinks resolved), as the daemon names the files of its watch folder, so each alert_id is the one the daemon would send for that file there.")

    @Option(help: "Output format: text, or json (one object per alert per line).")
    var format: OutputFormat = .text

    @Option(name: .long, help: ArgumentHelp("The configuration file (gazetteer and tracker settings).", valueName: "file"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("Override tracker.window_days.", valueName: "days"))
    var windowDays: Int?

    @Option(name: .long, help: ArgumentHelp("Override tracker.cooldown_days.", valueName: "days"))
    var cooldownDays: Int?

    @Option(name: .long, help: ArgumentHelp("Labels of the folder's articles (the format eval reads): also print the share of alerts that stand on a labelled change and of labelled episodes that got an alert.", valueName: "labels.json"))
    var labels: String?

    @Argument(help: ArgumentHelp("A folder of article files, read as the daemon reads its watch folder: names matching watch.ignore (by default dotfiles, temp files, README* and *.json) are skipped.", valueName: "dir"))
    var directory: String

    func run() throws {
        let loaded = try loadConfig(config)
        var policy = loaded.config.tracker
        if let windowDays { policy.windowDays = windowDays }
        if let cooldownDays { policy.cooldownDays = cooldownDays }
        // The files the daemon would read, under the paths it would know them by: alert ids
        // are computed from the path, so they are the daemon's, however the folder is spelled.
        let folder = ArticleFolder(path: directory, config: loaded.config)
        let listing: ArticleFolder.Listing
        do {
            listing = try folder.list()
        } catch {
            throw failure("cannot list \(directory): \(error.explained)", code: ExitStatus.noInput)
        }
        var articles: [DatedArticle] = []
        var unreadable = 0
        for raw in listing.undecodable {
            unreadable += 1
            printError("\(folder.path)/\(FileSystem.escapedName(raw)): skipped: its name is not valid UTF-8 (the daemon rejects it)")
        }
        for name in listing.names {
            let path = folder.path(of: name)
            switch ArticleReader.read(path: path, limits: ArticleAnalyser.Limits(config: loaded.config)) {
            case .success(let article): articles.append(DatedArticle(path: path, article: article))
            case .failure(let message):
                unreadable += 1
                printError("\(path): skipped: \(message)")
            }
        }
        let alerts = AxisTracker(policy: policy).replay(articles, extractor: loaded.extractor)
        for alert in alerts {
            switch format {
            case .json:
                print(JSONLines.encode(ReplayAlert(alert)))
            case .text:
                print("\(alert.day) \(alert.axis) \(alert.change.rawValue) (\(alert.actor.rawValue)), \(alert.corroboration) report\(alert.corroboration == 1 ? "" : "s"): \(alert.article)")
                print("    \(alert.evidence.split(whereSeparator: \.isNewline).joined(separator: " "))")
            }
        }
        if let labels {
            let labelSet: Labels
            do {
                labelSet = try JSONDecoder().decode(Labels.self, from: Data(FileSystem.readText(at: labels).utf8))
            } catch {
                throw failure("cannot read the labels \(labels): \(ConfigError.describe(error))", code: ExitStatus.data)
            }
            let labelled = articles.filter { labelSet.files[String($0.path.split(separator: "/").last ?? "")] != nil }
            let r = ReplayScoring.score(alerts: alerts, articles: labelled, labels: labelSet, gazetteer: loaded.gazetteer,
                                        tracker: AxisTracker(policy: policy))
            print(String(format: "alert precision %.1f%% (%d of %d alerts stand on a labelled change); episodes caught %.1f%% (%d of %d labelled episodes)",
                         r.alertPrecision * 100, r.rightAlerts, r.alerts, r.episodesCaught * 100, r.caught, r.episodes))
        }
        if format == .text {
            print("\(alerts.count) alert\(alerts.count == 1 ? "" : "s") from \(articles.count) article\(articles.count == 1 ? "" : "s") (window \(policy.windowDays) days, cooldown \(policy.cooldownDays) days)\(unreadable > 0 ? "; \(unreadable) unreadable" : "")")
        }
    }
}

struct ReplayAlert: Encodable {
    var axis: String
    var actor: String
    var change: String
    var date: String
    var article_date: String
    var article: String
    var evidence: String
    var confidence: Double
    var corroboration: Int
    var alert_id: String

    init(_ a: Alert) {
        axis = a.axis
        actor = a.actor.rawValue
        change = a.change.rawValue
        date = a.day.description
        article_date = a.articleDate.description
        article = a.article
        evidence = a.evidence
        confidence = (a.confidence * 100).rounded() / 100
        corroboration = a.corroboration
        alert_id = a.id
    }
}

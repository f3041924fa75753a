import ArgumentParser
import FrontwatchDaemon

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show what the daemon has done: articles, duplicates, rejected files, alerts, and each axis's state.",
        discussion: "Reads the state database read-only; safe while the daemon runs.")

    @Option(name: .long, help: ArgumentHelp("The daemon's state folder (default: $STATE_DIRECTORY, else /var/lib/frontwatch).", valueName: "dir"))
    var state: String?

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    func run() throws {
        let directory = state ?? Environment.current["STATE_DIRECTORY"] ?? FrontwatchConfig().stateDirectory
        let report: StatusReport
        do {
            report = try AppDatabase.status(try AppDatabase.openReadOnly(stateDirectory: directory))
        } catch {
            throw failure("cannot read the state in \(directory): \(error)", code: ExitStatus.noInput)
        }
        switch format {
        case .json:
            print(JSONLines.encode(report))
        case .text:
            print("articles processed: \(report.processed)")
            print("duplicates:         \(report.duplicates)")
            print("rejected files:     \(report.rejected)")
            print("alerts sent:        \(report.alerts_sent)")
            print("alerts pending:     \(report.alerts_pending)")
            if report.axes.isEmpty {
                print("axes: none yet")
            } else {
                print("axes:")
                for a in report.axes {
                    let alert = a.last_alert_day.map { ", last alert \($0)" } ?? ""
                    print("  \(a.axis) \(a.change) (\(a.actor)): since \(a.episode_start), last report \(a.last_seen), \(a.corroboration) report\(a.corroboration == 1 ? "" : "s")\(alert)")
                }
            }
        }
    }
}

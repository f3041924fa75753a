import ArgumentParser
import FrontwatchSystem

/// The program's entry: every command runs on the `QuietExecutor` (FrontwatchSystem), so that an idle daemon is woken
/// by nothing but its own timers (libdispatch's executor wakes it every second).
@main
enum Main {
    static func main() {
        // systemd's watchdog ends a hung daemon with SIGABRT: it must end the process at once.
        // Before any thread starts, so that every thread inherits it.
        AbortSignal.restoreDefault()
        QuietRuntime.runMain { await Frontwatch.main() }
    }
}

struct Frontwatch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "frontwatch",
        abstract: "Watch a folder of war reporting and alert the journal when a front-line axis intensifies.",
        discussion: """
            frontwatch reads each article dropped into its watch folder, extracts changes of military \
            activity on front-line axes, keeps each axis's state in SQLite, and writes one structured \
            journal entry when an axis newly intensifies. Read alerts with \
            `journalctl SYSLOG_IDENTIFIER=frontwatch -f`.
            """,
        version: "0.1.0",
        subcommands: [Run.self, Check.self, Analyze.self, Replay.self, Eval.self, Train.self, Status.self])
}

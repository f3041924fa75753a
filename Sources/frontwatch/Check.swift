import ArgumentParser
import FrontwatchDaemon

/// `frontwatch check`: reads the configuration, gazetteer, lexicon and scorer exactly as `run`
/// (and a reload) would, and says whether they are usable, as `sshd -t` and `nginx -t` do. The
/// unit's first `ExecReload=` runs it, so `systemctl reload` fails, and says why, before the
/// daemon is signalled with a configuration it would refuse.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the configuration and its data files as run and a reload would read them, then exit.",
        discussion: """
            Exit status 0 when frontwatch would start (or reload) with them, 78 (EX_CONFIG) with the \
            problem on stderr when it would refuse them. The unit's ExecReload= runs this before it \
            signals the daemon.
            """)

    @Option(name: .long, help: ArgumentHelp("The configuration file (default: as run finds it).", valueName: "file"))
    var config: String?

    func run() throws {
        let loaded: LoadedConfig
        do {
            loaded = try ConfigLoader.load(configPath: config, environment: Environment.current)
        } catch {
            throw failure(error.message, code: ExitStatus.config)
        }
        print("configuration OK: \(loaded.configPath ?? "(built-in defaults)"); gazetteer \(loaded.gazetteerPath) (\(loaded.gazetteer.axes.count) axes); lexicon \(loaded.lexiconPath); scorer \(loaded.scorerPath ?? "(none: the rules decide alone)")")
    }
}

import ArgumentParser
import FrontwatchCore
import FrontwatchDaemon
import FrontwatchSystem
import Logging

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the daemon in the foreground (as systemd's ExecStart does).")

    @Option(name: .long, help: ArgumentHelp("The folder to watch for articles.", valueName: "dir"))
    var watch: String?

    @Option(name: .long, help: ArgumentHelp("The folder for the state database (default: $STATE_DIRECTORY, else the configuration's).", valueName: "dir"))
    var state: String?

    @Option(name: .long, help: ArgumentHelp("The configuration file (default: frontwatch.yaml in $CONFIGURATION_DIRECTORY or /etc/frontwatch, else built-in defaults).", valueName: "file"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("Where the daemon's own messages go: auto (the journal while journald answers, else stderr; `journal` is the same), or stderr.", valueName: "dest"))
    var log: LogDestination = .auto

    func run() async throws {
        let environment = Environment.current
        let (watch, state, config) = (self.watch, self.state, self.config)
        let load: @Sendable () throws(ConfigError) -> LoadedConfig = { () throws(ConfigError) in
            var loaded = try ConfigLoader.load(configPath: config, environment: environment)
            if let watch { loaded.config.watchDirectory = watch }
            if let state { loaded.config.stateDirectory = state }
            return loaded
        }
        let loaded: LoadedConfig
        do {
            loaded = try load()
        } catch {
            throw failure(error.message, code: ExitStatus.config)
        }
        let logger = makeLogger(level: loaded.config.logLevel, destination: log.handlerDestination)
        // One daemon per state folder: taken before the database is opened, held until exit.
        let lock: StateLock
        do {
            lock = try StateLock(directory: loaded.config.stateDirectory)
        } catch {
            logger.critical("\(error.description)", metadata: ["folder": "\(loaded.config.stateDirectory)", "reason": "state-locked"])
            if log.handlerDestination != .stderr { printError("frontwatch: \(error.description)") }
            throw ExitCode(75)  // EX_TEMPFAIL: it may start once the other one stops
        }
        defer { withExtendedLifetime(lock) {} }
        let database: AppDatabase
        do {
            database = try AppDatabase.open(stateDirectory: loaded.config.stateDirectory)
        } catch {
            // To the journal too: under systemd, stderr is only seen by who looks at the unit.
            logger.critical("\(error.message)", metadata: ["folder": "\(loaded.config.stateDirectory)", "reason": "\(error.code)"])
            throw error
        }
        logger.info("starting", metadata: [
            "config": "\(loaded.configPath ?? "(built-in defaults)")", "gazetteer": "\(loaded.gazetteerPath)",
            "state": "\(loaded.config.stateDirectory)", "watch": "\(loaded.config.watchDirectory)",
        ])
        let services = Daemon.services(loaded: loaded, database: database, sink: JournalAlertSink(),
                                       notifier: SystemdNotifier(), logger: logger, reload: load)
        try await Daemon.run(services, logger: logger)
    }
}

enum LogDestination: String, ExpressibleByArgument, CaseIterable {
    case auto, journal, stderr

    var handlerDestination: JournalLogHandler.Destination {
        switch self {
        case .auto, .journal: return .automatic
        case .stderr: return .stderr
        }
    }
}

func makeLogger(level: Logger.Level, destination: JournalLogHandler.Destination) -> Logger {
    Logger(label: "frontwatch") { label in
        JournalLogHandler(label: label, level: level, destination: destination)
    }
}

enum Environment {
    static var current: [String: String] {
        var env: [String: String] = [:]
        for name in ["CONFIGURATION_DIRECTORY", "STATE_DIRECTORY"] {
            if let v = FileSystem.environment(name) { env[name] = v }
        }
        return env
    }
}

import FrontwatchCore
import FrontwatchSystem
import Logging
import ServiceLifecycle
import UnixSignals

/// Reloads the configuration and gazetteer on SIGHUP, without losing state.
///
/// Tells systemd `RELOADING=1` (with `MONOTONIC_USEC=`) first and `READY=1` after. An invalid new
/// configuration is refused with an error naming the problem; the old one stays in force.
public struct ReloadService: Service {
    let load: @Sendable () throws(ConfigError) -> LoadedConfig
    let pipeline: ArticlePipeline
    let notifier: SystemdNotifier
    let logger: Logger
    let running: FrontwatchConfig

    /// Creates the service; `load` reads the configuration the same way start-up did.
    public init(running: FrontwatchConfig, load: @escaping @Sendable () throws(ConfigError) -> LoadedConfig,
                pipeline: ArticlePipeline, notifier: SystemdNotifier, logger: Logger) {
        self.running = running
        self.load = load
        self.pipeline = pipeline
        self.notifier = notifier
        self.logger = logger
    }

    /// The time of day now, `HH:MM:SS` in UTC, for STATUS= (which systemctl shows without a time).
    static func clockTime() -> String {
        let seconds = Int(Clocks.realtimeMicroseconds() / 1_000_000) % 86_400
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(two(seconds / 3600)):\(two(seconds / 60 % 60)):\(two(seconds % 60))"
    }

    public func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        for await _ in signals.cancelOnGracefulShutdown() {
            notifier.reloading()
            do {
                let loaded = try load()
                if loaded.config.watchDirectory != running.watchDirectory || loaded.config.stateDirectory != running.stateDirectory
                    || loaded.config.watchMode != running.watchMode {
                    logger.warning("watch folder, state folder and watch mode changes take effect at the next restart")
                }
                await pipeline.reload(loaded)
                await pipeline.noteReload(refused: nil)
                logger.notice("configuration reloaded", metadata: [
                    "config": "\(loaded.configPath ?? "(defaults)")", "gazetteer": "\(loaded.gazetteerPath)",
                    "axes": "\(loaded.gazetteer.axes.count)",
                ])
            } catch {
                logger.error("reload refused, the running configuration stays in force: \(error.message)",
                             metadata: ["code": "\(error.code)"])
                await pipeline.noteReload(refused: "reload refused at \(Self.clockTime()) UTC, the running configuration stays in force: \(error.message)")
            }
            let refused = await pipeline.refusedReload
            let counts = await pipeline.statusLine()
            notifier.ready(status: refused == nil ? "configuration reloaded; " + counts : counts)
            // Parsing YAML touched code the daemon does not otherwise run: let it go again.
            ProcessMemory.releaseStartupPages()
        }
    }
}

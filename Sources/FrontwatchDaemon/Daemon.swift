import FrontwatchCore
import FrontwatchSystem
import Logging
import ServiceLifecycle

/// Builds the daemon's services from a configuration: the one place the wiring lives.
public enum Daemon {
    /// The services, in start order: the store's WAL checkpointer (first, so that it stops
    /// last, after the writes) -> folder watch -> analysis -> reload.
    public static func services(loaded: LoadedConfig, database: AppDatabase, sink: any AlertSink,
                                notifier: SystemdNotifier, logger: Logger,
                                reload: @escaping @Sendable () throws(ConfigError) -> LoadedConfig,
                                observer: (@Sendable (WorkItem, FileOutcome?) -> Void)? = nil) -> [any Service] {
        let queue = WorkQueue()
        let pipeline = ArticlePipeline(loaded: loaded, database: database, logger: logger)
        let checkpointer: [any Service] = database.checkpointer.map { [$0] } ?? []
        return checkpointer + [
            FolderWatchService(config: loaded.config, queue: queue, notifier: notifier, logger: logger),
            AnalysisService(queue: queue, pipeline: pipeline, database: database, sink: sink, notifier: notifier,
                            retryInterval: .seconds(loaded.config.alertRetrySeconds),
                            storage: .init(stateDirectory: loaded.config.stateDirectory,
                                           first: .seconds(loaded.config.storageRetrySeconds),
                                           longest: .seconds(loaded.config.storageMaxRetrySeconds)),
                            logger: logger, observer: observer),
            ReloadService(running: loaded.config, load: reload, pipeline: pipeline, notifier: notifier, logger: logger),
        ]
    }

    /// Runs the services until SIGTERM or SIGINT.
    public static func run(_ services: [any Service], logger: Logger) async throws {
        let group = ServiceGroup(configuration: .init(
            services: services.map { .init(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await group.run()
    }
}

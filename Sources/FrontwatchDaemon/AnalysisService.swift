import FrontwatchCore
import FrontwatchSystem
import Logging
import ServiceLifecycle

/// The loop that does the work: takes files from the queue, runs them through the pipeline,
/// delivers alerts, reports status to systemd, and pings the watchdog from this same loop so
/// that a stuck pipeline gets restarted.
public struct AnalysisService: Service {
    let queue: WorkQueue
    let pipeline: ArticlePipeline
    let dispatcher: AlertDispatcher
    let notifier: SystemdNotifier
    let retryInterval: Duration
    let logger: Logger
    let observer: (@Sendable (WorkItem, FileOutcome?) -> Void)?

    /// Creates the loop. `observer` sees every item handled (tests await it instead of sleeping).
    public init(queue: WorkQueue, pipeline: ArticlePipeline, database: AppDatabase, sink: any AlertSink,
                notifier: SystemdNotifier, retryInterval: Duration, logger: Logger,
                observer: (@Sendable (WorkItem, FileOutcome?) -> Void)? = nil) {
        self.queue = queue
        self.pipeline = pipeline
        self.dispatcher = AlertDispatcher(database: database, sink: sink, logger: logger)
        self.notifier = notifier
        self.retryInterval = retryInterval
        self.logger = logger
        self.observer = observer
    }

    public func run() async throws {
        let (retryRequests, requestRetry) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let watchdog = notifier.watchdogMicroseconds
        // Half the watchdog interval: the loop pings at least this often while it makes progress.
        let pingEvery = watchdog.map { Duration.microseconds(Int64($0 / 2)) }
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                if let usec = watchdog {
                    // The tick only enqueues, for when the loop is idle; the ping happens when the
                    // loop below takes it, so a stuck loop stops pinging and systemd restarts it.
                    let interval = Duration.microseconds(Int64(usec / 2))
                    group.addTask {
                        while !Task.isCancelled {
                            do { try await Task.sleep(for: interval) } catch { return }
                            queue.send(.watchdog)
                        }
                    }
                }
                group.addTask {
                    for await _ in retryRequests {
                        do { try await Task.sleep(for: retryInterval) } catch { return }
                        queue.send(.retryAlerts)
                    }
                }
                var pending = dispatcher.flush()
                if pending > 0 { requestRetry.yield() }
                var lastPing = ContinuousClock.now
                for await item in queue.items {
                    var outcome: FileOutcome?
                    switch item {
                    case .file(let path):
                        let result = await pipeline.process(path: path)
                        outcome = result
                        if case .processed(_, let alerts) = result, !alerts.isEmpty {
                            pending = dispatcher.flush()
                            if pending > 0 { requestRetry.yield() }
                        }
                        switch result {
                        case .processed, .duplicate, .rejected: await reportStatus(pending: pending)
                        case .alreadySeen, .ignored: break
                        }
                    case .undecodableName(let directory, let bytes):
                        let result = await pipeline.rejectUndecodableName(directory: directory, bytes: bytes)
                        outcome = result
                        if case .rejected = result { await reportStatus(pending: pending) }
                    case .watchdog:
                        break  // pinged below
                    case .retryAlerts:
                        pending = dispatcher.flush()
                        if pending > 0 { requestRetry.yield() }
                        await reportStatus(pending: pending)
                    }
                    // A burst of files queues ahead of the tick: ping as work completes too, so a
                    // busy loop is not taken for a stuck one. Every ping follows a finished item.
                    if let pingEvery, item == .watchdog || ContinuousClock.now - lastPing >= pingEvery {
                        notifier.watchdog()
                        lastPing = .now
                    }
                    observer?(item, outcome)
                    if Task.isShuttingDownGracefully { break }
                }
                requestRetry.finish()
                group.cancelAll()
            }
        } onGracefulShutdown: {
            notifier.stopping()
            queue.finish()
        }
        let counters = await pipeline.counters
        logger.info("stopped", metadata: ["processed": "\(counters.processed)", "alerts": "\(counters.alerts)"])
    }

    private func reportStatus(pending: Int) async {
        guard notifier.isActive else { return }
        let c = await pipeline.counters
        notifier.status("processed \(c.processed), duplicates \(c.duplicates), rejected \(c.rejected), alerts \(c.alerts), pending \(pending)")
    }
}

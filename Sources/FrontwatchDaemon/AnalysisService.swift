import FrontwatchCore
import FrontwatchSystem
import Logging
import ServiceLifecycle

/// The loop that does the work: takes files from the queue in batches, runs them through the
/// pipeline, delivers alerts, reports status to systemd, and pings the watchdog from this same
/// loop so that a stuck pipeline gets restarted.
public struct AnalysisService: Service {
    /// Files taken from the queue at once: analysed side by side, recorded in one transaction.
    public static let batchLimit = 256
    /// `STATUS=` at most this often while work goes on, and once more when the queue drains.
    static let statusInterval = Duration.milliseconds(250)

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

    /// What the loop keeps between batches.
    private struct LoopState {
        var pending = 0
        /// Counts changed since the last `STATUS=`.
        var statusDue = false
        var lastStatus: ContinuousClock.Instant?
        var lastPing = ContinuousClock.now
    }

    public func run() async throws {
        let (retryRequests, requestRetry) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let watchdog = notifier.watchdogMicroseconds
        // Half the watchdog interval: the loop pings at least this often while it makes progress.
        let pingEvery = watchdog.map { Duration.microseconds(Int64($0 / 2)) }
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                if let usec = watchdog {
                    // A loop parked in `take`, waiting for work, is not stuck: the tick pings for
                    // it (waking it only to ping cost a few thread wake-ups per ping). Otherwise
                    // the tick is queued and the ping happens when the loop reaches it, so a
                    // stuck loop stops pinging and systemd restarts it.
                    let interval = Duration.microseconds(Int64(usec / 2))
                    group.addTask {
                        while !Task.isCancelled {
                            do { try await Task.sleep(for: interval) } catch { return }
                            if queue.consumerIsWaiting {
                                notifier.watchdog()
                            } else {
                                queue.send(.watchdog)
                            }
                        }
                    }
                }
                group.addTask {
                    for await _ in retryRequests {
                        do { try await Task.sleep(for: retryInterval) } catch { return }
                        queue.send(.retryAlerts)
                    }
                }
                var state = LoopState()
                state.pending = dispatcher.flush()
                if state.pending > 0 { requestRetry.yield() }
                work: while let items = await queue.take(upTo: Self.batchLimit) {
                    // Runs of files go to the pipeline as one batch each; other items in their place.
                    var start = 0
                    while start < items.count {
                        var end = start
                        var paths: [String] = []
                        while end < items.count, case .file(let path) = items[end] {
                            paths.append(path)
                            end += 1
                        }
                        if paths.isEmpty {
                            await handle(items[start], state: &state, requestRetry: requestRetry)
                            end = start + 1
                        } else {
                            let outcomes = await pipeline.process(paths: paths)
                            if outcomes.contains(where: { if case .processed(_, let alerts) = $0 { !alerts.isEmpty } else { false } }) {
                                state.pending = dispatcher.flush()
                                if state.pending > 0 { requestRetry.yield() }
                            }
                            for (item, outcome) in zip(items[start..<end], outcomes) {
                                switch outcome {
                                case .processed, .duplicate, .rejected: state.statusDue = true
                                case .alreadySeen, .ignored: break
                                }
                                observer?(item, outcome)
                            }
                        }
                        // A burst of files queues ahead of the tick: ping as work completes too,
                        // so a busy loop is not taken for a stuck one. Every ping follows
                        // finished work.
                        if let pingEvery, items[start] == .watchdog || ContinuousClock.now - state.lastPing >= pingEvery {
                            notifier.watchdog()
                            state.lastPing = .now
                        }
                        start = end
                    }
                    await reportStatusIfDue(&state, drained: queue.isEmpty)
                    if Task.isShuttingDownGracefully { break work }
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

    /// An item that is not a file with a usable name.
    private func handle(_ item: WorkItem, state: inout LoopState, requestRetry: AsyncStream<Void>.Continuation) async {
        var outcome: FileOutcome?
        switch item {
        case .file(let path):
            outcome = await pipeline.process(path: path)
        case .undecodableName(let directory, let bytes):
            outcome = await pipeline.rejectUndecodableName(directory: directory, bytes: bytes)
            if case .rejected = outcome { state.statusDue = true }
        case .watchdog:
            break  // pinged by the loop
        case .retryAlerts:
            state.pending = dispatcher.flush()
            if state.pending > 0 { requestRetry.yield() }
            state.statusDue = true
        }
        observer?(item, outcome)
    }

    /// `STATUS=` when counts changed, at most every `statusInterval` while work goes on, and at
    /// once when the queue has drained (so the last line always has the final counts). A line per
    /// file cost a datagram and a wake-up of the service manager per file.
    private func reportStatusIfDue(_ state: inout LoopState, drained: Bool) async {
        guard state.statusDue, notifier.isActive else { return }
        let now = ContinuousClock.now
        if !drained, let last = state.lastStatus, now - last < Self.statusInterval { return }
        state.statusDue = false
        state.lastStatus = now
        let c = await pipeline.counters
        notifier.status("processed \(c.processed), duplicates \(c.duplicates), rejected \(c.rejected), alerts \(c.alerts), pending \(state.pending)")
    }
}

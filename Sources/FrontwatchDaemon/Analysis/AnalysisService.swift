import FrontwatchCore
import FrontwatchSystem
import Logging
import ServiceLifecycle
import Synchronization

/// The loop that does the work: takes files from the queue in batches, runs them through the
/// pipeline, delivers alerts, reports status to systemd, and pings the watchdog from this same
/// loop so that a stuck pipeline gets restarted.
public struct AnalysisService: Service {
    /// Files taken from the queue at once: analysed side by side, recorded in one transaction.
    /// The watchdog does not wait for the end of a batch (the tick pings while articles are
    /// finished), so a batch can be long on a loaded machine; its size is what a burst's
    /// throughput is made of (per batch: a read and a write transaction, the crash marker,
    /// alerts, status, and a point where the lanes wait for the slowest: 32 files a batch ran a
    /// 100,000-file burst about a fifth slower than 256).
    public static let batchLimit = 256
    /// `STATUS=` at most this often while work goes on, and once more when the queue drains.
    static let statusInterval = Duration.milliseconds(250)

    let queue: WorkQueue
    let pipeline: ArticlePipeline
    let dispatcher: AlertDispatcher
    let notifier: SystemdNotifier
    let retryInterval: Duration
    let storage: StorageRetry
    let logger: Logger
    let observer: (@Sendable (WorkItem, FileOutcome?) -> Void)?

    /// How files whose record failed (the state database could not be written) are retried.
    public struct StorageRetry: Sendable {
        /// The state folder, named in the messages.
        public var stateDirectory: String
        /// The wait before the first retry; doubled after each failed one.
        public var first: Duration
        /// The longest wait between retries.
        public var longest: Duration

        /// A retry policy.
        public init(stateDirectory: String, first: Duration = .seconds(1), longest: Duration = .seconds(30)) {
            self.stateDirectory = stateDirectory
            self.first = first
            self.longest = longest
        }
    }

    /// Creates the loop. `observer` sees every item handled (tests await it instead of sleeping).
    public init(queue: WorkQueue, pipeline: ArticlePipeline, database: AppDatabase, sink: any AlertSink,
                notifier: SystemdNotifier, retryInterval: Duration, storage: StorageRetry? = nil, logger: Logger,
                observer: (@Sendable (WorkItem, FileOutcome?) -> Void)? = nil) {
        self.storage = storage ?? StorageRetry(stateDirectory: "the state folder")
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
        /// Alerts the journal took whose marking as sent failed; marked again at each flush.
        var unmarked: Set<String> = []
        /// Set while the state database cannot be written: files wait in `waiting`, in order.
        var storageFailure: StorageFailure?
        var storageFailingSince = ContinuousClock.now
        var storageDelay = Duration.zero
        var waiting: [WorkItem] = []
        /// Files that waited and were read since the failure began.
        var recovered = 0
        /// When the summary timer is set to fire; nil when it is not set.
        var reportsDue: ContinuousClock.Instant?
        /// What happened to the database file, when it was deleted, replaced or emptied.
        var databaseLost: String?
        /// Large files (`largeArticleBytes`) set aside, in order of arrival: one is read per round.
        var large: [WorkItem] = []
    }

    /// The loop's timers: a retry of alerts, a retry of the files that wait for the store.
    private struct Retries {
        let alerts: AsyncStream<Void>.Continuation
        let storage: AsyncStream<Duration>.Continuation
        let reports: AsyncStream<ContinuousClock.Instant>.Continuation
    }

    public func run() async throws {
        let (retryRequests, requestRetry) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let (storageRetryRequests, requestStorageRetry) = AsyncStream<Duration>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let (reportRequests, requestReports) = AsyncStream<ContinuousClock.Instant>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let retries = Retries(alerts: requestRetry, storage: requestStorageRetry, reports: requestReports)
        let lostDatabase = Mutex<String?>(nil)
        let watchdog = notifier.watchdogMicroseconds
        // Half the watchdog interval: the loop pings at least this often while it makes progress.
        let pingEvery = watchdog.map { Duration.microseconds(Int64($0 / 2)) }
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                if let usec = watchdog {
                    // A loop parked in `take`, waiting for work, is not stuck: the tick pings for
                    // it (waking it only to ping cost a few thread wake-ups per ping). Nor is a
                    // loop whose batch finished articles since the last tick: it pings for that
                    // one too. Otherwise the tick is queued and the ping happens when the loop
                    // reaches it, so a stuck loop stops pinging and systemd restarts it.
                    let interval = Duration.microseconds(Int64(usec / 2))
                    let progress = pipeline.progress
                    group.addTask {
                        var seen = progress.count
                        while !Task.isCancelled {
                            do { try await Task.sleep(for: interval) } catch { return }
                            let now = progress.count
                            defer { seen = now }
                            if queue.consumerIsWaiting || now != seen {
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
                group.addTask {
                    for await delay in storageRetryRequests {
                        do { try await Task.sleep(for: delay) } catch { return }
                        queue.send(.retryStorage)
                    }
                }
                // Only armed while reports are held back: an idle daemon has no timer.
                group.addTask {
                    for await due in reportRequests {
                        do { try await Task.sleep(until: due, clock: .continuous) } catch { return }
                        queue.send(.flushReports)
                    }
                }
                var state = LoopState()
                flushAlerts(&state, retries)
                work: while true {
                    // With large files set aside and nothing queued, read one of them now.
                    var items: [WorkItem] = []
                    if state.large.isEmpty || !queue.isEmpty {
                        guard let taken = await queue.take(upTo: Self.batchLimit) else { break work }
                        items = taken
                    }
                    // Before anything is recorded: writes to a deleted database would be lost at
                    // the next start, which would read (and alert on) the whole inbox again.
                    if !state.large.isEmpty || items.contains(where: { if case .file = $0 { true } else { false } }),
                       let problem = dispatcher.database.fileProblem() {
                        state.databaseLost = problem
                        break work
                    }
                    // A file of watch.large_article_bytes or more is analysed alone, after the
                    // small files taken with it, one per round of the loop: a 12 MB article takes
                    // seconds and ~100 MB, and a normal article behind it waits for at most one
                    // such file, never for a batch of them side by side.
                    items = setAsideLarge(items, over: await pipeline.largeArticleBytes, state: &state)
                    // Runs of files go to the pipeline as one batch each; other items in their place.
                    var start = 0
                    while start < items.count {
                        var end = start
                        while end < items.count, case .file = items[end] { end += 1 }
                        if end == start {
                            await handle(items[start], state: &state, retries: retries)
                            end = start + 1
                        } else {
                            await processFiles(items[start..<end], state: &state, retries: retries)
                        }
                        pingIfDue(pingEvery, tick: items[start] == .watchdog, state: &state)
                        start = end
                    }
                    // Then one large file, so that small ones taken meanwhile are not kept behind it.
                    if !state.large.isEmpty, !Task.isShuttingDownGracefully {
                        let item = state.large.removeFirst()
                        if case .file(let path) = item { logger.debug("analysing a large file alone", metadata: ["file": "\(path)"]) }
                        await processFiles([item], state: &state, retries: retries)
                        pingIfDue(pingEvery, tick: false, state: &state)
                    }
                    await scheduleReports(&state, retries)
                    await reportStatusIfDue(&state, drained: queue.isEmpty)
                    if Task.isShuttingDownGracefully { break work }
                }
                if let lost = state.databaseLost {
                    let path = AppDatabase.path(in: storage.stateDirectory)
                    logger.critical("the state database \(path) \(lost) while frontwatch ran; stopping before anything more is recorded in it. Put it back and start frontwatch again (the start refuses a state folder whose database is missing or another one, and says how to start afresh)",
                                    metadata: ["message_id": "\(MessageID.stateUnwritable)", "folder": "\(storage.stateDirectory)",
                                               "error": "\(lost)", "reason": "state-lost"])
                    notifier.status("stopped: the state database \(path) \(lost)")
                    lostDatabase.withLock { $0 = lost }
                }
                requestRetry.finish()
                requestStorageRetry.finish()
                requestReports.finish()
                await pipeline.flushReports(now: .now + .seconds(365 * 86_400))  // what was held, said before stopping
                group.cancelAll()
            }
        } onGracefulShutdown: {
            notifier.stopping()
            // An analysis under way stops within a fraction of a second; its file is not
            // recorded, so the next start reads it again.
            pipeline.stop()
            queue.finish()
        }
        let counters = await pipeline.counters
        logger.info("stopped", metadata: ["processed": "\(counters.processed)", "alerts": "\(counters.alerts)"])
        if let lost = lostDatabase.withLock({ $0 }) {
            throw DaemonError(code: "state-lost", message: "the state database in \(storage.stateDirectory) \(lost) while frontwatch ran")
        }
    }

    /// Moves the files of `limit` bytes or more out of `items` into `state.large`, in order.
    private func setAsideLarge(_ items: [WorkItem], over limit: Int, state: inout LoopState) -> [WorkItem] {
        var rest: [WorkItem] = []
        rest.reserveCapacity(items.count)
        for item in items {
            if case .file(let path) = item, let identity = try? FileSystem.identity(of: path),
               identity.kind == .regular, identity.size >= Int64(limit) {
                state.large.append(item)
            } else {
                rest.append(item)
            }
        }
        return rest
    }

    /// A run of files: through the pipeline as one batch, or, while the state database cannot
    /// be written, behind the files that already wait for it.
    private func processFiles(_ run: ArraySlice<WorkItem>, state: inout LoopState, retries: Retries) async {
        if let failure = state.storageFailure {
            // Behind the files that already wait, in order: the retry reads them.
            for item in run {
                state.waiting.append(item)
                observer?(item, .deferred(failure))
            }
            state.statusDue = true
            return
        }
        let paths = run.map { item -> String in
            guard case .file(let path) = item else { preconditionFailure("a run of files holds files only") }
            return path
        }
        let outcomes = await pipeline.process(paths: paths)
        for (item, outcome) in zip(run, outcomes) {
            if case .deferred(let failure) = outcome {
                state.waiting.append(item)
                storageFailed(failure, state: &state, retries: retries)
            }
        }
        finish(Array(run), outcomes, state: &state, retries: retries)
    }

    /// A burst of files queues ahead of the tick: the loop pings as work completes too, so a busy
    /// loop is not taken for a stuck one. Every ping follows finished work.
    private func pingIfDue(_ pingEvery: Duration?, tick: Bool, state: inout LoopState) {
        guard let pingEvery, tick || ContinuousClock.now - state.lastPing >= pingEvery else { return }
        notifier.watchdog()
        state.lastPing = .now
    }

    /// An item that is not a file with a usable name.
    private func handle(_ item: WorkItem, state: inout LoopState, retries: Retries) async {
        var outcome: FileOutcome?
        switch item {
        case .file(let path):
            outcome = await pipeline.process(path: path)
        case .undecodableName, .recheck:
            if let failure = state.storageFailure {
                state.waiting.append(item)
                outcome = .deferred(failure)
                break
            }
            outcome = await processAlone(item)
            switch outcome {
            case .rejected, .processed, .duplicate: state.statusDue = true
            case .deferred(let failure):
                state.waiting.append(item)
                storageFailed(failure, state: &state, retries: retries)
            default: break
            }
            if case .processed(_, let alerts) = outcome, !alerts.isEmpty { flushAlerts(&state, retries) }
        case .watchdog:
            break  // pinged by the loop
        case .retryAlerts:
            flushAlerts(&state, retries)
            state.statusDue = true
        case .retryStorage:
            await retryWaiting(state: &state, retries: retries)
        case .flushReports:
            state.reportsDue = nil
            await pipeline.flushReports()
        }
        observer?(item, outcome)
    }

    /// An item that is not part of a run of files.
    private func processAlone(_ item: WorkItem) async -> FileOutcome {
        switch item {
        case .file(let path): return await pipeline.process(path: path)
        case .recheck(let path): return await pipeline.process(paths: [path], onlyUnreadable: true)[0]
        case .undecodableName(let directory, let bytes): return await pipeline.rejectUndecodableName(directory: directory, bytes: bytes)
        case .watchdog, .retryAlerts, .retryStorage, .flushReports: return .ignored
        }
    }

    /// Arms the summary timer for the earliest held-back report, unless it is armed already
    /// (every interval has the same length, so a later hold is never due earlier).
    private func scheduleReports(_ state: inout LoopState, _ retries: Retries) async {
        guard state.reportsDue == nil, let due = await pipeline.nextReportDue else { return }
        state.reportsDue = due
        retries.reports.yield(due)
    }

    /// Delivers pending alerts (and marks those sent earlier but not marked); asks for a retry
    /// while some remain.
    private func flushAlerts(_ state: inout LoopState, _ retries: Retries) {
        state.pending = dispatcher.flush(unmarked: &state.unmarked)
        if state.pending > 0 { retries.alerts.yield() }
    }

    /// After a batch: alerts out, status due, the observer told.
    private func finish(_ items: [WorkItem], _ outcomes: [FileOutcome], state: inout LoopState, retries: Retries) {
        if outcomes.contains(where: { if case .processed(_, let alerts) = $0 { !alerts.isEmpty } else { false } }) {
            flushAlerts(&state, retries)
        }
        for (item, outcome) in zip(items, outcomes) {
            switch outcome {
            case .processed, .duplicate, .rejected: state.statusDue = true
            case .alreadySeen, .ignored, .deferred: break
            }
            observer?(item, outcome)
        }
    }

    /// A write to the state database failed: said loudly once (PRIORITY=2), and the files wait
    /// for a retry with backoff. Never a crash, never a rejection.
    private func storageFailed(_ failure: StorageFailure, state: inout LoopState, retries: Retries) {
        state.statusDue = true
        guard state.storageFailure == nil else {
            state.storageFailure = failure
            return
        }
        state.storageFailure = failure
        state.storageFailingSince = .now
        state.storageDelay = storage.first
        state.recovered = 0
        let what = failure.kind == .outOfSpace ? "is full" : "cannot be written"
        logger.critical("the state database in \(storage.stateDirectory) \(what) (\(failure)); articles wait in memory and are retried, first in \(Self.seconds(storage.first)) s, then with backoff up to every \(Self.seconds(storage.longest)) s. Free space there (`df \(storage.stateDirectory)`); frontwatch resumes by itself, nothing is lost",
                        metadata: ["message_id": "\(MessageID.stateUnwritable)", "folder": "\(storage.stateDirectory)",
                                   "error": "\(failure)", "reason": "\(failure.kind.rawValue)"])
        retries.storage.yield(state.storageDelay)
    }

    /// Reads the files that wait, a batch at a time; on a new failure they wait again, in order,
    /// and the next retry comes twice as late (up to `storage.longest`).
    private func retryWaiting(state: inout LoopState, retries: Retries) async {
        guard state.storageFailure != nil else { return }
        let batch = Array(state.waiting.prefix(Self.batchLimit))
        state.waiting.removeFirst(batch.count)
        var again: [WorkItem] = []
        var failure: StorageFailure?
        var index = 0
        while index < batch.count {
            var paths: [String] = []
            var end = index
            while end < batch.count, case .file(let path) = batch[end] {
                paths.append(path)
                end += 1
            }
            var items = Array(batch[index..<end])
            var outcomes: [FileOutcome]
            if paths.isEmpty {
                items = [batch[index]]
                end = index + 1
                outcomes = [await processAlone(batch[index])]
            } else {
                outcomes = await pipeline.process(paths: paths)
            }
            for (item, outcome) in zip(items, outcomes) {
                if case .deferred(let f) = outcome {
                    again.append(item)
                    failure = f
                } else {
                    state.recovered += 1
                }
            }
            finish(items, outcomes, state: &state, retries: retries)
            index = end
        }
        state.waiting.insert(contentsOf: again, at: 0)
        state.statusDue = true
        if let failure {
            state.storageFailure = failure
            state.storageDelay = min(state.storageDelay * 2, storage.longest)
            logger.debug("the state database still cannot be written; next try in \(Self.seconds(state.storageDelay)) s",
                         metadata: ["waiting": "\(state.waiting.count)", "error": "\(failure)"])
            retries.storage.yield(state.storageDelay)
        } else if !state.waiting.isEmpty {
            queue.send(.retryStorage)  // the next batch, after what came meanwhile (watchdog ticks)
        } else {
            let lasted = ContinuousClock.now - state.storageFailingSince
            logger.notice("the state database in \(storage.stateDirectory) can be written again after \(Self.seconds(lasted)) s; the \(state.recovered) files that waited were read",
                          metadata: ["folder": "\(storage.stateDirectory)", "files": "\(state.recovered)"])
            state.storageFailure = nil
            flushAlerts(&state, retries)
        }
    }

    static func seconds(_ d: Duration) -> String {
        let s = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        let tenths = Int((s * 10).rounded())
        return tenths % 10 == 0 ? "\(tenths / 10)" : "\(tenths / 10).\(tenths % 10)"
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
        let counts = await pipeline.statusLine(pending: state.pending)
        if let failure = state.storageFailure {
            let what = failure.kind == .outOfSpace ? "out of space in" : "cannot write the state database in"
            notifier.status("\(what) \(storage.stateDirectory): \(state.waiting.count) files wait, retried with backoff (\(failure)); \(counts)")
        } else {
            notifier.status(counts)
        }
    }
}

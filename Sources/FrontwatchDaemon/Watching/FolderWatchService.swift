import FrontwatchCore
import FrontwatchSystem
import Logging
import ServiceLifecycle
import Synchronization

/// Watches the inbox and feeds the analysis loop: files already there at start, files moved or
/// linked in, files written in place once they settle, and a full rescan after an inotify queue
/// overflow or when the folder comes back after being deleted or moved away.
public struct FolderWatchService: Service {
    /// The watch folder, resolved once at start: its files' paths (and so the alert ids computed
    /// from them) are the same as `replay` of the folder gives, however the folder was spelled.
    let folder: ArticleFolder
    let config: FrontwatchConfig
    let queue: WorkQueue
    let notifier: SystemdNotifier
    let logger: Logger

    /// The watch folder's resolved path.
    var directory: String { folder.path }

    /// A watcher for `config.watchDirectory` that sends work to `queue`.
    public init(config: FrontwatchConfig, queue: WorkQueue, notifier: SystemdNotifier, logger: Logger) {
        self.folder = ArticleFolder(path: config.watchDirectory, config: config)
        self.config = config
        self.queue = queue
        self.notifier = notifier
        self.logger = logger
    }

    public func run() async throws {
        if !FileSystem.exists(directory) {
            do {
                try FileSystem.createDirectory(directory)
                logger.notice("created the watch folder", metadata: ["folder": "\(directory)"])
            } catch {
                logger.critical("the watch folder does not exist and cannot be created: \(error.explained)", metadata: ["folder": "\(directory)"])
                throw DaemonError(code: "watch-folder", message: "cannot create the watch folder \(directory): \(error.explained)")
            }
        }
        switch config.watchMode {
        case .inotify: try await runInotify()
        case .poll: try await runPolling()
        }
    }

    /// The device and inode the watch is on: a file system mounted on the folder later hides
    /// it, and the path then leads elsewhere.
    final class WatchedDirectory: Sendable {
        private let identity = Mutex<(device: UInt64, inode: UInt64)?>(nil)

        /// Notes what `path` leads to now; returns whether that changed.
        func update(_ path: String) -> Bool {
            let now = (try? FileSystem.identity(following: path)).map { (device: $0.device, inode: $0.inode) }
            return identity.withLock { old in
                defer { old = now }
                return old?.device != now?.device || old?.inode != now?.inode
            }
        }
    }

    private func runInotify() async throws {
        let watcher = try InotifyWatcher(watchingMounts: true)
        try watcher.watch(directory: directory)
        let watched = WatchedDirectory()
        _ = watched.update(directory)
        let events = watcher.events()
        let settler = Settler(settle: .seconds(config.settleSeconds), maxWait: .seconds(config.maxSettleSeconds))
        // Arm first, then scan: a file that lands between the two is seen twice, and the store's
        // identity check makes the second look a no-op. The other order could miss it.
        let scanned = scan()
        ready(scanned: scanned)
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await settleLoop(settler) }
                if config.rescanSeconds > 0 {
                    let every = Duration.milliseconds(Int64(config.rescanSeconds * 1000))
                    group.addTask {
                        while true {
                            do { try await Task.sleep(for: every) } catch { return }
                            logger.debug("periodic rescan of the watch folder", metadata: ["folder": "\(directory)"])
                            scan()
                        }
                    }
                }
                for await batch in events {
                    for event in batch {
                        if event == .mountsChanged {
                            rearmIfMoved(watcher, watched)
                            continue
                        }
                        await handle(event, watcher: watcher, settler: settler, watched: watched, group: &group)
                    }
                }
                await settler.finish()
                group.cancelAll()
            }
        } onGracefulShutdown: {
            watcher.stop()
        }
        queue.finish()
    }

    /// After a mount or unmount anywhere: when the folder's path now leads to another directory
    /// (a file system mounted on it), the watch moves there and the folder is rescanned.
    private func rearmIfMoved(_ watcher: InotifyWatcher, _ watched: WatchedDirectory) {
        guard watched.update(directory) else { return }
        do {
            try watcher.watch(directory: directory)
            logger.notice("the watch folder's path leads to another directory now (a file system was mounted on it, or unmounted); watching it there",
                          metadata: ["folder": "\(directory)"])
            scan()
        } catch {
            // Gone, or not a directory: the watch on the old one reports what happens to it.
            logger.warning("the watch folder's path changed and cannot be watched: \(error.explained)", metadata: ["folder": "\(directory)"])
        }
    }

    private func handle(_ event: DirectoryEvent, watcher: InotifyWatcher, settler: Settler,
                        watched: WatchedDirectory, group: inout TaskGroup<Void>) async {
        switch event {
        case .arrived(let name):
            if folder.reads(name) { queue.send(.file(path: path(name))) }
        case .created(let name):
            // A new regular file gets IN_CLOSE_WRITE when its writer is done; a hard link (`ln`)
            // arrives complete with IN_CREATE alone. Anything else (a subfolder, FIFO, device,
            // symlink) goes to the pipeline now, to be rejected with a reason.
            guard folder.reads(name) else { return }
            guard let id = try? FileSystem.identity(of: path(name)) else {
                logger.debug("a new file cannot be examined; a rescan will find it", metadata: ["file": "\(path(name))"])
                return
            }
            if id.kind != .regular || id.linkCount > 1 { queue.send(.file(path: path(name))) }
        case .undecodableName(let bytes):
            queue.send(.undecodableName(directory: directory, bytes: bytes))
        case .mountsChanged:
            break  // handled before
        case .closedAfterWrite(let name):
            guard folder.reads(name) else { return }
            if config.settleSeconds == 0 {
                queue.send(.file(path: path(name)))
            } else if let id = try? FileSystem.identity(of: path(name)) {
                await settler.add(path: path(name), identity: id, now: .now)
            } else {
                // The folder may have lost its search permission: the rescan when it gets it back
                // (IN_ATTRIB on the folder), or the periodic one, finds the file.
                logger.debug("a written file cannot be examined; a rescan will find it", metadata: ["file": "\(path(name))"])
            }
        case .attributesChanged(let name):
            if folder.reads(name) { queue.send(.recheck(path: path(name))) }
        case .directoryAttributesChanged:
            // Permissions given back to the folder: what could not be examined is reachable now.
            // (Its deletion also changes its link count, just before it is reported gone.)
            if FileSystem.exists(directory) {
                logger.debug("the watch folder's permissions changed; rescanning it", metadata: ["folder": "\(directory)"])
                scan()
            }
        case .overflow:
            logger.warning("inotify queue overflowed; rescanning the watch folder", metadata: ["folder": "\(directory)"])
            _ = scan()
        case .directoryGone:
            logger.warning("the watch folder was deleted or moved away; waiting for it to come back",
                           metadata: ["folder": "\(directory)"])
            group.addTask { await rearm(watcher, watched) }
        }
    }

    /// Waits for the folder to exist again, watches it and rescans it.
    private func rearm(_ watcher: InotifyWatcher, _ watched: WatchedDirectory) async {
        while !Task.isCancelled {
            if FileSystem.exists(directory), (try? watcher.watch(directory: directory)) != nil {
                _ = watched.update(directory)
                logger.notice("watching the folder again", metadata: ["folder": "\(directory)"])
                _ = scan()
                return
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }

    private func settleLoop(_ settler: Settler) async {
        for await _ in settler.wakes {
            while let due = await settler.nextDue() {
                do {
                    try await Task.sleep(until: due, clock: .continuous)
                } catch {
                    return
                }
                for path in await settler.takeReady(now: .now) {
                    queue.send(.file(path: path))
                }
            }
        }
    }

    private func runPolling() async throws {
        let settler = Settler(settle: .seconds(config.settleSeconds), maxWait: .seconds(config.maxSettleSeconds))
        var known = [String: FileIdentity]()
        // The first scan hands over what is there; later scans hand over what changed, via the settler.
        for name in listNames() {
            if let id = try? FileSystem.identity(of: path(name)) { known[name] = id }
            queue.send(.file(path: path(name)))
        }
        ready(scanned: known.count)
        var listFailure: Errno?
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await settleLoop(settler) }
            while !Task.isCancelledOrShuttingDown {
                do {
                    try await Task.sleep(for: .seconds(config.pollIntervalSeconds))
                    try await gracefulShutdownCheck()
                } catch {
                    break
                }
                // A folder that is gone (a network mount that dropped, say) is reported once, not
                // at every scan, and its files are picked up again when it comes back.
                let names: [String]
                switch listing() {
                case .success(let listed):
                    if listFailure != nil {
                        logger.notice("the watch folder can be listed again", metadata: ["folder": "\(directory)"])
                        listFailure = nil
                    }
                    names = listed
                case .failure(let error):
                    if listFailure != error {
                        logger.error("cannot list the watch folder: \(error.explained); retrying every \(config.pollIntervalSeconds) s",
                                     metadata: ["folder": "\(directory)", "errno": "\(error.code)"])
                        listFailure = error
                    }
                    names = []
                }
                var seen = [String: FileIdentity]()
                for name in names {
                    guard let id = try? FileSystem.identity(of: path(name)) else { continue }
                    seen[name] = id
                    if known[name] != id {
                        await settler.add(path: path(name), identity: id, now: .now)
                    }
                }
                known = seen
            }
            await settler.finish()
            group.cancelAll()
        }
        queue.finish()
    }

    private func gracefulShutdownCheck() async throws {
        if Task.isShuttingDownGracefully { throw CancellationError() }
    }

    private func ready(scanned: Int) {
        notifier.ready(status: "watching \(directory); \(scanned) files found at start")
        ProcessMemory.releaseStartupPages()
        logger.info("watching \(directory) (\(config.watchMode.rawValue)); \(scanned) files queued from the start scan",
                    metadata: ["message_id": "\(MessageID.started)", "folder": "\(directory)"])
    }

    /// Queues every file of the folder, in name order; returns how many.
    @discardableResult
    private func scan() -> Int {
        let names = listNames()
        for name in names { queue.send(.file(path: path(name))) }
        return names.count
    }

    /// The names in the folder that are not ignored, sorted; names that are not valid UTF-8 are
    /// queued for rejection here, since they cannot be carried as `String` paths.
    private func listNames() -> [String] {
        switch listing() {
        case .success(let names):
            return names
        case .failure(let error):
            logger.error("cannot list the watch folder: \(error.explained)", metadata: ["folder": "\(directory)", "errno": "\(error.code)"])
            return []
        }
    }

    private func listing() -> Result<[String], Errno> {
        do {
            let listing = try folder.list()
            for raw in listing.undecodable { queue.send(.undecodableName(directory: directory, bytes: raw)) }
            return .success(listing.names)
        } catch {
            return .failure(error)
        }
    }

    private func path(_ name: String) -> String {
        folder.path(of: name)
    }
}

extension Task where Success == Never, Failure == Never {
    static var isCancelledOrShuttingDown: Bool {
        isCancelled || isShuttingDownGracefully
    }
}

/// A daemon-level failure, with a message that says what to do.
public struct DaemonError: Error, Sendable, CustomStringConvertible {
    /// A stable code.
    public var code: String
    /// What went wrong and how to fix it.
    public var message: String

    /// Creates an error.
    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}

import Synchronization

/// One unit of work for the analysis loop.
public enum WorkItem: Sendable, Equatable {
    /// A file to read (it arrived complete, or settled).
    case file(path: String)
    /// A file whose permissions or owner changed: read again only if it was rejected as
    /// unreadable (a file being written is left to its close and settle period).
    case recheck(path: String)
    /// A file whose name is not valid UTF-8: rejected, with its name shown escaped.
    case undecodableName(directory: String, bytes: [UInt8])
    /// Time to tell systemd's watchdog the loop is alive.
    case watchdog
    /// Time to retry alerts the journal did not take.
    case retryAlerts
    /// Time to retry the files that wait for the state database to be writable again.
    case retryStorage
    /// Time to summarise the reports held back in an interval that has ended.
    case flushReports
}

/// The one-way channel from the folder watcher to the analysis loop.
///
/// Unbounded, so a burst of files is never dropped, and drained in batches: the loop takes
/// everything that is ready (up to a limit) at once, to analyse it in parallel and record it in
/// one transaction.
public final class WorkQueue: Sendable {
    /// The queued items, stored compactly: a burst of 100,000 files queues 100,000 paths, and as
    /// `WorkItem`s (a 32-byte enum and a heap string each) they took about 13 MB. Here a file is
    /// 8 bytes of entry plus its name's bytes; its folder is stored once.
    private struct State {
        /// A queued item: a file's name bytes in `names` (and its folder in `folders`), or an
        /// item of another kind in `others`.
        struct Entry {
            var start: UInt32
            var count: UInt16
            /// Index in `folders`; `UInt16.max`: `start` indexes `others`.
            var folder: UInt16
        }

        var entries: [Entry] = []
        var names: [UInt8] = []
        var folders: [[UInt8]] = []
        var others: [WorkItem] = []
        /// Entries before this index were taken; compacted away once they are most of the array.
        var head = 0
        var finished = false
        var waiter: CheckedContinuation<Void, Never>?

        var count: Int { entries.count - head }

        mutating func append(_ item: WorkItem) {
            if case .file(let path) = item {
                let utf8 = path.utf8
                if let slash = utf8.lastIndex(of: UInt8(ascii: "/")) {
                    let folder = Array(utf8[...slash])
                    let name = utf8[utf8.index(after: slash)...]
                    if name.count < Int(UInt16.max), names.count + name.count < Int(UInt32.max) {
                        let index: Int
                        if let last = folders.indices.last, folders[last] == folder {
                            index = last
                        } else if let found = folders.firstIndex(of: folder) {
                            index = found
                        } else {
                            index = folders.count
                            folders.append(folder)
                        }
                        if index < Int(UInt16.max) {
                            entries.append(Entry(start: UInt32(names.count), count: UInt16(name.count), folder: UInt16(index)))
                            names.append(contentsOf: name)
                            return
                        }
                    }
                }
            }
            entries.append(Entry(start: UInt32(others.count), count: 0, folder: .max))
            others.append(item)
        }

        func item(_ e: Entry) -> WorkItem {
            if e.folder == .max { return others[Int(e.start)] }
            let name = names[Int(e.start)..<(Int(e.start) + Int(e.count))]
            return .file(path: String(decoding: folders[Int(e.folder)] + name, as: UTF8.self))
        }

        mutating func take(_ limit: Int) -> [WorkItem] {
            let end = min(entries.count, head + limit)
            let taken = entries[head..<end].map(item)
            head = end
            if head == entries.count {
                // Keeps the capacity of a small queue; lets a burst's big arrays go.
                let keep = entries.count <= 4096
                entries.removeAll(keepingCapacity: keep)
                names.removeAll(keepingCapacity: keep)
                others.removeAll(keepingCapacity: keep)
                folders.removeAll(keepingCapacity: true)
                head = 0
            } else if head >= 4096 && head * 2 >= entries.count {
                compact()
            }
            return taken
        }

        /// Drops the taken entries and their bytes, and renumbers the rest.
        private mutating func compact() {
            let rest = entries[head...]
            let firstName = rest.first { $0.folder != .max }.map { Int($0.start) } ?? names.count
            let firstOther = rest.first { $0.folder == .max }.map { Int($0.start) } ?? others.count
            entries = rest.map { e in
                var e = e
                e.start -= UInt32(e.folder == .max ? firstOther : firstName)
                return e
            }
            names.removeFirst(firstName)
            others.removeFirst(firstOther)
            head = 0
        }
    }

    private let state = Mutex(State())

    /// An empty queue.
    public init() {}

    /// Adds work; ignored once the queue is finished.
    public func send(_ item: WorkItem) {
        let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
            guard !s.finished else { return nil }
            s.append(item)
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.resume()
    }

    /// Ends the queue: the analysis loop finishes what is queued and stops.
    public func finish() {
        let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
            s.finished = true
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.resume()
    }

    /// True when the consumer is parked in `take`, waiting for work: it finished everything it
    /// took and is not stuck.
    public var consumerIsWaiting: Bool {
        state.withLock { $0.waiter != nil }
    }

    /// True when nothing is queued.
    public var isEmpty: Bool {
        state.withLock { $0.count == 0 }
    }

    /// Waits for work and takes what is queued, in order, `limit` items at most; nil once the
    /// queue is finished and empty, or the task is cancelled. One consumer at a time.
    public func take(upTo limit: Int) async -> [WorkItem]? {
        precondition(limit > 0, "take(upTo:) needs room for one item")
        while true {
            enum Next { case items([WorkItem]), finished, wait }
            let next = state.withLock { s -> Next in
                if s.count > 0 { return .items(s.take(limit)) }
                return s.finished ? .finished : .wait
            }
            switch next {
            case .items(let items): return items
            case .finished: return nil
            case .wait: break
            }
            if Task.isCancelled { return nil }
            await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    // Decided under the lock that `send`, `finish` and the cancellation handler
                    // take: a wake-up between the check above and here is never lost.
                    let now = state.withLock { s -> Bool in
                        if s.count > 0 || s.finished || Task.isCancelled { return true }
                        s.waiter = continuation
                        return false
                    }
                    if now { continuation.resume() }
                }
            } onCancel: {
                let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
                    defer { s.waiter = nil }
                    return s.waiter
                }
                waiter?.resume()
            }
        }
    }
}

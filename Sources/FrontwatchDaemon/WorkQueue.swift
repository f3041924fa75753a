import Synchronization

/// One unit of work for the analysis loop.
public enum WorkItem: Sendable, Equatable {
    /// A file to read (it arrived complete, or settled).
    case file(path: String)
    /// A file whose name is not valid UTF-8: rejected, with its name shown escaped.
    case undecodableName(directory: String, bytes: [UInt8])
    /// Time to tell systemd's watchdog the loop is alive.
    case watchdog
    /// Time to retry alerts the journal did not take.
    case retryAlerts
}

/// The one-way channel from the folder watcher to the analysis loop.
///
/// Unbounded, so a burst of files is never dropped, and drained in batches: the loop takes
/// everything that is ready (up to a limit) at once, to analyse it in parallel and record it in
/// one transaction.
public final class WorkQueue: Sendable {
    private struct State {
        var items: [WorkItem] = []
        /// Items before this index were taken; compacted away once they are most of the array.
        var head = 0
        var finished = false
        var waiter: CheckedContinuation<Void, Never>?

        var count: Int { items.count - head }

        mutating func take(_ limit: Int) -> [WorkItem] {
            let end = min(items.count, head + limit)
            let taken = Array(items[head..<end])
            head = end
            if head == items.count {
                // Keeps the capacity of a small queue; lets a burst's big array go.
                items.removeAll(keepingCapacity: items.count <= 4096)
                head = 0
            } else if head >= 4096 && head * 2 >= items.count {
                items.removeFirst(head)
                head = 0
            }
            return taken
        }
    }

    private let state = Mutex(State())

    /// An empty queue.
    public init() {}

    /// Adds work; ignored once the queue is finished.
    public func send(_ item: WorkItem) {
        let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
            guard !s.finished else { return nil }
            s.items.append(item)
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

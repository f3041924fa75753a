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
public struct WorkQueue: Sendable {
    /// What the analysis loop consumes.
    public let items: AsyncStream<WorkItem>
    let continuation: AsyncStream<WorkItem>.Continuation

    /// An unbounded queue: a burst of files must never be dropped.
    public init() {
        (items, continuation) = AsyncStream<WorkItem>.makeStream(bufferingPolicy: .unbounded)
    }

    /// Adds work.
    public func send(_ item: WorkItem) {
        continuation.yield(item)
    }

    /// Ends the stream: the analysis loop finishes what is queued and stops.
    public func finish() {
        continuation.finish()
    }
}

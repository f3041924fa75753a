import FrontwatchSystem

/// Holds files written in place until they have stayed unchanged for the settle period.
///
/// A file is ready when its size and mtime are the same at two looks `settle` apart, or when it
/// has been waiting `maxWait` (a writer that never stops must not hold it back for ever).
actor Settler {
    struct Entry {
        var firstSeen: ContinuousClock.Instant
        var due: ContinuousClock.Instant
        var size: Int64
        var mtime: Int64
    }

    private var pending: [String: Entry] = [:]
    private let settle: Duration
    private let maxWait: Duration
    private let wake: AsyncStream<Void>.Continuation
    /// Ticks whenever a new file starts settling, so the settle loop wakes only when there is work.
    nonisolated let wakes: AsyncStream<Void>

    init(settle: Duration, maxWait: Duration) {
        self.settle = settle
        self.maxWait = maxWait
        (wakes, wake) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Starts (or restarts) the settle period of a file.
    func add(path: String, identity: FileIdentity, now: ContinuousClock.Instant) {
        if var e = pending[path] {
            // Never past the maximum wait: a writer that keeps closing and re-opening the file
            // would otherwise push its due time forward for ever.
            e.due = min(now + settle, e.firstSeen + maxWait)
            e.size = identity.size
            e.mtime = identity.mtimeNanoseconds
            pending[path] = e
        } else {
            pending[path] = Entry(firstSeen: now, due: now + settle, size: identity.size, mtime: identity.mtimeNanoseconds)
        }
        wake.yield()
    }

    /// When the next file is due, or nil when none waits.
    func nextDue() -> ContinuousClock.Instant? {
        pending.values.map(\.due).min()
    }

    /// The files that are ready now, removed from the waiting set, in name order.
    func takeReady(now: ContinuousClock.Instant) -> [String] {
        var ready: [String] = []
        for (path, var e) in pending where e.due <= now {
            guard let id = try? FileSystem.identity(of: path) else {
                pending[path] = nil  // gone: nothing to read
                continue
            }
            if (id.size == e.size && id.mtimeNanoseconds == e.mtime) || now - e.firstSeen >= maxWait {
                pending[path] = nil
                ready.append(path)
            } else {
                e.size = id.size
                e.mtime = id.mtimeNanoseconds
                e.due = min(now + settle, e.firstSeen + maxWait)
                pending[path] = e
            }
        }
        return ready.sorted()
    }

    func finish() {
        wake.finish()
    }
}

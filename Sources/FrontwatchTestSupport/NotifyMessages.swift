import Foundation

/// The counts of a daemon's `STATUS=processed N, duplicates D, rejected R, alerts A, pending P`
/// line (since that process started).
public struct DaemonCounts: Equatable, Sendable, CustomStringConvertible {
    /// The counts, in the order of the line.
    public var processed = 0, duplicates = 0, rejected = 0, alerts = 0, pending = 0

    /// Parses a notify message; nil when it has no counts line.
    public init?(message: String) {
        guard let line = message.split(separator: "\n").first(where: { $0.hasPrefix("STATUS=processed ") }) else { return nil }
        var values: [String: Int] = [:]
        // The counts come first; after a "; " the daemon may add a note (a refused reload).
        let counts = line.dropFirst("STATUS=".count).split(separator: ";", maxSplits: 1).first ?? ""
        for part in counts.split(separator: ",") {
            let words = part.split(separator: " ")
            if words.count == 2, let n = Int(words[1]) { values[String(words[0])] = n }
        }
        guard let p = values["processed"], let d = values["duplicates"], let r = values["rejected"],
              let a = values["alerts"], let pe = values["pending"] else { return nil }
        (processed, duplicates, rejected, alerts, pending) = (p, d, r, a, pe)
    }

    /// All zero.
    public init() {}

    /// Files handled in any way that counts: processed, duplicates and rejected.
    public var handled: Int { processed + duplicates + rejected }

    /// The counts as the daemon writes them.
    public var description: String {
        "processed \(processed), duplicates \(duplicates), rejected \(rejected), alerts \(alerts), pending \(pending)"
    }
}

/// Every notify message a daemon sends (across restarts on the same socket), awaitable: a wait
/// ends when the message arrives, or when `within`'s safety-net timeout cancels it.
public actor NotifyMessages {
    /// The messages, in order.
    public private(set) var messages: [String] = []
    /// When each message arrived.
    public private(set) var arrivals: [ContinuousClock.Instant] = []
    private var waiters: [Int: (from: Int, predicate: @Sendable (String) -> Bool, continuation: CheckedContinuation<Int?, Never>)] = [:]
    private var nextID = 0
    private var closed = false

    /// Starts reading `socket`'s messages.
    public static func recording(_ socket: NotifySocket) -> NotifyMessages {
        let recorder = NotifyMessages()
        let stream = socket.stamped
        Task.detached {
            for await (message, at) in stream { await recorder.append(message, at: at) }
            await recorder.close()
        }
        return recorder
    }

    private func append(_ message: String, at: ContinuousClock.Instant) {
        messages.append(message)
        arrivals.append(at)
        let index = messages.count - 1
        for (id, waiter) in waiters where index >= waiter.from && waiter.predicate(message) {
            waiters[id] = nil
            waiter.continuation.resume(returning: index)
        }
    }

    private func close() {
        closed = true
        for (_, waiter) in waiters { waiter.continuation.resume(returning: nil) }
        waiters = [:]
    }

    private func cancel(_ id: Int) {
        waiters.removeValue(forKey: id)?.continuation.resume(returning: nil)
    }

    /// How many messages have arrived so far: an index to wait from.
    public var count: Int { messages.count }

    /// The index of the first message at or after `from` that satisfies `predicate`; waits for it.
    public func first(from: Int, where predicate: @escaping @Sendable (String) -> Bool) async -> Int? {
        if let found = messages.indices.first(where: { $0 >= from && predicate(messages[$0]) }) { return found }
        if closed || Task.isCancelled { return nil }
        let id = nextID
        nextID += 1
        return await withTaskCancellationHandler {
            await withCheckedContinuation { c in waiters[id] = (from, predicate, c) }
        } onCancel: {
            Task { await self.cancel(id) }
        }
    }

    /// Waits (with a safety-net timeout) for a message at or after `from`; returns its index.
    @discardableResult
    public func waitFor(_ what: String, from: Int = 0, seconds: Double = 60,
                 where predicate: @escaping @Sendable (String) -> Bool) async throws -> Int {
        let found = try await within(seconds, what) { await self.first(from: from, where: predicate) }
        guard let found else { throw TimedOut(what: what + " (the notify socket closed)") }
        return found
    }

    /// Waits for a `STATUS=` counts line at or after `from` that satisfies `predicate`.
    @discardableResult
    public func waitForCounts(_ what: String, from: Int = 0, seconds: Double = 60,
                       where predicate: @escaping @Sendable (DaemonCounts) -> Bool) async throws -> DaemonCounts {
        let index = try await waitFor("STATUS with \(what)", from: from, seconds: seconds) { message in
            DaemonCounts(message: message).map(predicate) ?? false
        }
        return DaemonCounts(message: messages[index])!
    }

    /// The longest time without a message containing `text` between `start` and `end`.
    public func longestGap(without text: String, start: ContinuousClock.Instant, end: ContinuousClock.Instant) -> Duration {
        let times = [start] + messages.indices.filter { arrivals[$0] > start && arrivals[$0] < end && messages[$0].contains(text) }
            .map { arrivals[$0] } + [end]
        return zip(times, times.dropFirst()).map { $1 - $0 }.max() ?? .zero
    }

    /// The last counts line at or after `from`, if any.
    public func lastCounts(from: Int = 0) -> DaemonCounts? {
        messages[min(from, messages.count)...].reversed().lazy.compactMap(DaemonCounts.init(message:)).first
    }
}

extension NotifyMessages {
    /// Waits (at most `seconds`, a safety net) for the first message at or after `from` that
    /// has the line `text` (or, with `prefix`, a line starting with it); returns its index.
    @discardableResult
    public func waitFor(_ text: String, prefix: Bool = false, from: Int = 0, seconds: Double = 30) async throws -> Int {
        do {
            return try await waitFor(text + " on the notify socket", from: from, seconds: seconds) { message in
                message.split(separator: "\n").contains { prefix ? $0.hasPrefix(text) : $0 == text }
            }
        } catch let timeout as TimedOut {
            throw TimedOut(what: "\(timeout.what); received so far: \(messages)")
        }
    }
}

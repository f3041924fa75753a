import Foundation

/// Records every notify message a daemon sends and lets a test await the next one that matches,
/// with `within` as the safety net: unlike awaiting an iterator directly, a wait here ends when
/// the timeout cancels it, so a silent daemon fails the test instead of hanging it.
actor NotifyRecorder {
    private(set) var messages: [String] = []
    private var finished = false
    private var waiters: [Int: Waiter] = [:]
    private var nextWaiterID = 0

    private struct Waiter {
        var from: Int
        var predicate: @Sendable (String) -> Bool
        var continuation: CheckedContinuation<Int?, Never>
    }

    /// Starts recording `stream` (a `NotifySocket`'s messages) until it ends, which it does when
    /// the socket is closed.
    init(_ stream: AsyncStream<String>) {
        Task { [weak self] in
            for await message in stream { await self?.append(message) }
            await self?.finish()
        }
    }

    private func append(_ message: String) {
        messages.append(message)
        let index = messages.count - 1
        for (id, waiter) in waiters where index >= waiter.from && waiter.predicate(message) {
            waiters[id] = nil
            waiter.continuation.resume(returning: index)
        }
    }

    private func finish() {
        finished = true
        for (_, waiter) in waiters { waiter.continuation.resume(returning: nil) }
        waiters = [:]
    }

    /// The index of the first message at or after `from` that satisfies `predicate`, waiting for
    /// it if need be; nil when the socket closed or the wait was cancelled.
    func first(from: Int = 0, where predicate: @escaping @Sendable (String) -> Bool) async -> Int? {
        if let found = messages.indices.first(where: { $0 >= from && predicate(messages[$0]) }) { return found }
        if finished || Task.isCancelled { return nil }
        let id = nextWaiterID
        nextWaiterID += 1
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Int?, Never>) in
                waiters[id] = Waiter(from: from, predicate: predicate, continuation: c)
            }
        } onCancel: {
            Task { await self.cancelWaiter(id) }
        }
    }

    private func cancelWaiter(_ id: Int) {
        waiters.removeValue(forKey: id)?.continuation.resume(returning: nil)
    }
}

extension NotifyRecorder {
    /// Waits (at most `seconds`, a safety net) for the first message at or after `from` that
    /// has the line `text` (or, with `prefix`, a line starting with it); returns its index.
    func waitFor(_ text: String, prefix: Bool = false, from: Int = 0, seconds: Double = 30) async throws -> Int {
        let found: Int?
        do {
            found = try await within(seconds, "\(text) on the notify socket") { [self] in
                await first(from: from) { message in
                    message.split(separator: "\n").contains { prefix ? $0.hasPrefix(text) : $0 == text }
                }
            }
        } catch let timeout as TimedOut {
            throw TimedOut(what: "\(timeout.what); received so far: \(messages)")
        }
        guard let found else { throw TimedOut(what: "\(text) on the notify socket (it closed); received: \(messages)") }
        return found
    }
}

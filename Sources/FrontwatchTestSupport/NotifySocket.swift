import Foundation
import FrontwatchSystem

/// Plays systemd's side of the notify protocol: a `NotifyListener` whose messages arrive as an
/// `AsyncStream` of `KEY=value` lines, and again with the time each was read from the socket.
public final class NotifySocket: Sendable {
    /// The messages, in order.
    public let messages: AsyncStream<String>
    /// The same messages, each with the instant the listener's own thread read it: a test's
    /// timing (watchdog gaps) must not depend on when the test's task pool gets to run, which
    /// on a loaded 2-core machine can be seconds later (a CI run measured a 6.6 s "gap" that
    /// was the tests' pool, busy with other tests, not the daemon).
    public let stamped: AsyncStream<(message: String, at: ContinuousClock.Instant)>
    private let listener: NotifyListener

    /// Listens on `FOLDER/notify.sock`.
    public init(in folder: String) throws {
        let (messages, continuation) = AsyncStream<String>.makeStream(of: String.self)
        let (stamped, stampedContinuation) = AsyncStream<(message: String, at: ContinuousClock.Instant)>.makeStream()
        self.messages = messages
        self.stamped = stamped
        listener = try NotifyListener(path: folder + "/notify.sock",
                                      receive: {
                                          stampedContinuation.yield(($0, .now))
                                          continuation.yield($0)
                                      },
                                      ended: {
                                          stampedContinuation.finish()
                                          continuation.finish()
                                      })
    }

    /// The socket's path: the `NOTIFY_SOCKET` to give the daemon.
    public var path: String { listener.path }

    /// Stops the reader.
    public func close() {
        listener.close()
    }
}

/// Waits for the next notify message that satisfies `predicate`, returning every message seen
/// up to and including it.
public func awaitMessage(_ iterator: inout AsyncStream<String>.Iterator, where predicate: (String) -> Bool) async -> [String] {
    var seen: [String] = []
    while let message = await iterator.next() {
        seen.append(message)
        if predicate(message) { return seen }
    }
    return seen
}

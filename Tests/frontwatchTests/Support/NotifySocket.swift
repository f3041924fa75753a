import Foundation
import FrontwatchSystem

/// Plays systemd's side of the notify protocol: a `NotifyListener` whose messages arrive as an
/// `AsyncStream` of `KEY=value` lines.
final class NotifySocket: Sendable {
    let messages: AsyncStream<String>
    private let listener: NotifyListener

    init(in folder: String) throws {
        let (messages, continuation) = AsyncStream<String>.makeStream(of: String.self)
        self.messages = messages
        listener = try NotifyListener(path: folder + "/notify.sock",
                                      receive: { continuation.yield($0) },
                                      ended: { continuation.finish() })
    }

    var path: String { listener.path }

    /// Stops the reader.
    func close() {
        listener.close()
    }
}

/// Waits for the next notify message that satisfies `predicate`, returning every message seen
/// up to and including it.
func awaitMessage(_ iterator: inout AsyncStream<String>.Iterator, where predicate: (String) -> Bool) async -> [String] {
    var seen: [String] = []
    while let message = await iterator.next() {
        seen.append(message)
        if predicate(message) { return seen }
    }
    return seen
}

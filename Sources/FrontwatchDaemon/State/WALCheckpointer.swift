import GRDB
import ServiceLifecycle
import Synchronization

/// Checkpoints the state database's write-ahead log from a connection of its own, so that no
/// commit ever waits for one.
///
/// SQLite's automatic checkpoint runs inside the commit that crosses 1,000 WAL pages: about one
/// article in a hundred waited for it, and that was the whole tail of the rename-to-journal
/// latency (p99 3.8 ms with it, 1.7 ms without, on the benchmark's 3,000 articles). Here every
/// `unitsPerCheckpoint` writes (an article recorded, an alert marked sent) ask for one `PASSIVE`
/// checkpoint, if none is running, and the checkpointer's `run()` (a service in the daemon's
/// `ServiceGroup`, started first so that it stops last) runs it: it copies what it can into the database
/// without blocking the writer, and the writer starts the log over once a checkpoint has caught
/// up, which the pauses between articles allow. The writer's own automatic checkpoint is moved
/// to `safetyNetPages`, for writes that never pause. Nothing runs while nothing is written, so an
/// idle daemon stays idle. A store whose checkpointer no one runs (one opened outside
/// `frontwatch run`) leaves its one request unserved and has only the safety net.
final class WALCheckpointer: Service {
    /// About SQLite's automatic threshold, in the pages an article and its alert cost.
    static let unitsPerCheckpoint = 128
    /// The writer's own automatic checkpoint stays as a safety net, at four times SQLite's
    /// default (16 MB of 4 KB pages): writes that never pause leave a passive checkpoint no
    /// moment to catch up, and the log would grow without end.
    static let safetyNetPages = 4000

    private let connection: DatabaseQueue
    private struct State {
        var units = 0
        var running = false
        var completed = 0
    }
    private let state = Mutex(State())
    /// Checkpoints asked for by `wrote`; at most one waits, since none is asked for while one runs.
    private let requests: AsyncStream<Void>
    private let request: AsyncStream<Void>.Continuation

    /// A checkpointing connection to the WAL database at `path`.
    init(path: String) throws {
        var config = Configuration()
        config.busyMode = .timeout(10)
        connection = try DatabaseQueue(path: path, configuration: config)
        (requests, request) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Checkpoints finished so far (for tests).
    var completed: Int { state.withLock { $0.completed } }

    /// Notes `units` writes; asks for a checkpoint when enough have accumulated and none runs.
    func wrote(_ units: Int) {
        let start = state.withLock { s -> Bool in
            s.units += units
            guard s.units >= Self.unitsPerCheckpoint, !s.running else { return false }
            s.units = 0
            s.running = true
            return true
        }
        guard start else { return }
        request.yield()
    }

    /// Runs the checkpoints `wrote` asks for, one at a time. Graceful shutdown ends the
    /// requests: one asked for and not yet run is still run, then `run()` returns (it stops
    /// last, after the writes). Cancellation stops it at once.
    func run() async throws {
        await withGracefulShutdownHandler {
            for await _ in requests {
                // A failure (a busy lock held past the timeout, a full disk) leaves the frames in
                // the log for the next checkpoint; SQLite's own recovery covers a crash.
                _ = try? await connection.writeWithoutTransaction { try $0.checkpoint(.passive) }
                state.withLock {
                    $0.running = false
                    $0.completed += 1
                }
            }
        } onGracefulShutdown: { [request] in
            request.finish()
        }
    }
}

import CExecutorHooks
import CSystemd
import Dispatch
import Glibc
import Synchronization
@_spi(ExperimentalScheduling) import _Concurrency

/// How frontwatch's programs start: `QuietRuntime.runMain { ... }` from a synchronous `main`.
public enum QuietRuntime {
    /// Why the `QuietExecutor` cannot be the global executor in this program, or nil when it can:
    /// it was written against the hooks of Swift 6.0-6.3 (their signatures are the runtime's, not
    /// a stable API), the running runtime must have them (they are looked up as weak symbols),
    /// and `FRONTWATCH_EXECUTOR=default` asks for the default executor (to rule this one out).
    public static var quietExecutorUnavailable: String? {
        if let asked = FileSystem.environment("FRONTWATCH_EXECUTOR"), asked == "default" {
            return "FRONTWATCH_EXECUTOR=default"
        }
        #if compiler(>=6.0) && compiler(<6.4)
        return cfw_executor_hooks_available() != 0 ? nil : "the Swift runtime has no global-executor hooks"
        #else
        return "built with a Swift compiler newer than the executor hooks it was checked against (6.0-6.3)"
        #endif
    }

    /// Runs `body` as the program's main task with a `QuietExecutor` as the global executor,
    /// and exits with status 0 when it returns (it may `exit` itself with another status). When
    /// that executor cannot be installed (`quietExecutorUnavailable`), runs it on the default
    /// executor, libdispatch's, after one line on stderr: everything works, but an idle daemon
    /// is woken every second by libdispatch's worker-pool monitor.
    public static func runMain(_ body: @escaping @Sendable () async -> Void) -> Never {
        if let why = quietExecutorUnavailable {
            let line = "frontwatch: running on Swift's default executor (\(why)); an idle daemon wakes every second\n"
            _ = line.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress!, $0.count - 1) }
            Task {
                await body()
                exit(0)
            }
            dispatchMain()
        }
        QuietExecutor.runMain(body)
    }
}

/// A global executor for Swift concurrency that sleeps when there is nothing to do.
///
/// Why: on Linux the default global executor is libdispatch, and the first task it runs starts
/// libdispatch's worker-pool monitor, a timer that wakes the process every second for as long as
/// it lives (`_dispatch_workq_monitor_pools`, `src/event/workqueue.c`), even when every queue is
/// empty. A daemon that must sit idle at no cost cannot have that. This executor replaces the
/// global executor through the runtime's hooks (`swift_task_enqueueGlobal_hook` and its delayed
/// variants): a fixed pool of threads that block on a condition variable while the queue is
/// empty, and one timer thread that blocks until the earliest `Task.sleep` deadline, if any.
/// Idle, it makes no system call at all. It is also the `SchedulingExecutor` that `Task.sleep`
/// asks its current task executor for, so sleeps reach the timer thread either way.
///
/// Jobs run in FIFO order; task priorities are not honoured (the daemon does not use them). The
/// pool does not grow: code on it must not block a thread waiting for another task (the daemon's
/// blocking reads run on threads of their own).
final class QuietExecutor: TaskExecutor, SchedulingExecutor, @unchecked Sendable {
    /// The global executor, once `runMain` has made one.
    nonisolated(unsafe) private(set) static var installed: QuietExecutor?

    private let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let workAvailable = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let timerChanged = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var ready: [UnownedJob] = []
    private var readyHead = 0
    /// Jobs in `ready` not yet taken, readable without the lock by spinning workers.
    private let queued = Atomic<Int>(0)
    /// Workers looking at the queue before they sleep, and workers blocked on `workAvailable`.
    private var spinning = 0
    private var sleeping = 0
    /// Signals sent that no worker has woken up for yet.
    private var signalsInFlight = 0
    private var timers = DeadlineHeap()
    private var sequence: UInt64 = 0
    /// The number of worker threads.
    let workers: Int

    private init(workers: Int) {
        self.workers = workers
        pthread_mutex_init(lock, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(workAvailable, &attributes)
        pthread_cond_init(timerChanged, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    /// Runs `body` as the program's main task on a new `QuietExecutor`, and exits with status 0
    /// when it returns (it may `exit` itself with another status). Call it from a synchronous
    /// `main`, before anything else: work enqueued on libdispatch's global queues earlier would
    /// start its monitor. The main thread becomes one of the workers.
    static func runMain(_ body: @escaping @Sendable () async -> Void) -> Never {
        blockAsynchronousSignals()
        let executor = QuietExecutor(workers: defaultWorkers)
        executor.startThreads(workers: executor.workers - 1)  // the main thread is the last one
        executor.installHooks()
        Task {
            await body()
            exit(0)
        }
        executor.runWorker()
    }

    /// A new executor with `workers` threads of its own (default: the usable CPUs plus two, at
    /// least four, so the parallel parts of the pipeline use every core and a short blocking call
    /// does not stall them). It is not the global executor: use it with
    /// `withTaskExecutorPreference`. Its threads live as long as the process.
    static func start(workers: Int? = nil) -> QuietExecutor {
        let executor = QuietExecutor(workers: workers ?? defaultWorkers)
        executor.startThreads(workers: executor.workers)
        return executor
    }

    static var defaultWorkers: Int {
        max(4, sysconf(Int32(_SC_NPROCESSORS_ONLN)) + 2)
    }

    /// Blocks, in the calling thread and the threads it starts, every signal that is not the
    /// immediate result of an instruction, as libdispatch does in its own threads: SIGTERM and
    /// SIGHUP then reach the daemon only through the signal sources that wait for them.
    static func blockAsynchronousSignals() {
        var set = sigset_t()
        sigfillset(&set)
        for synchronous in [SIGILL, SIGTRAP, SIGABRT, SIGFPE, SIGBUS, SIGSEGV, SIGSYS, SIGPIPE, SIGPROF] {
            sigdelset(&set, synchronous)
        }
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    private func startThreads(workers: Int) {
        for index in 0..<workers {
            Self.startThread(name: "fw-worker-\(index)") { self.runWorker() }
        }
        Self.startThread(name: "fw-timers") { self.runTimers() }
    }

    /// Points the runtime's global-executor hooks at this executor.
    private func installHooks() {
        precondition(Self.installed == nil, "a QuietExecutor is already the global executor")
        Self.installed = self
        let enqueue: EnqueueHook = { job, _ in QuietExecutor.installed!.enqueue(job) }
        let delayed: EnqueueWithDelayHook = { nanoseconds, job, _ in
            QuietExecutor.installed!.enqueue(job, at: Clocks.monotonicNanoseconds() &+ Int64(clamping: nanoseconds))
        }
        let deadline: EnqueueWithDeadlineHook = { seconds, nanoseconds, _, _, clock, job, _ in
            QuietExecutor.installed!.enqueue(job, at: QuietExecutor.monotonicDeadline(seconds: seconds, nanoseconds: nanoseconds, clock: clock))
        }
        cfw_set_global_executor_hooks(unsafeBitCast(enqueue, to: UnsafeMutableRawPointer.self),
                                      unsafeBitCast(delayed, to: UnsafeMutableRawPointer.self),
                                      unsafeBitCast(deadline, to: UnsafeMutableRawPointer.self))
    }

    // The hooks' types, in the runtime's Swift calling convention (`@convention(thin)`); the last
    // argument is the runtime's own implementation, which this executor never calls.
    typealias EnqueueOriginal = @convention(thin) (UnownedJob) -> Void
    typealias EnqueueHook = @convention(thin) (UnownedJob, EnqueueOriginal) -> Void
    typealias EnqueueWithDelayOriginal = @convention(thin) (UInt64, UnownedJob) -> Void
    typealias EnqueueWithDelayHook = @convention(thin) (UInt64, UnownedJob, EnqueueWithDelayOriginal) -> Void
    typealias EnqueueWithDeadlineOriginal = @convention(thin) (Int64, Int64, Int64, Int64, Int32, UnownedJob) -> Void
    typealias EnqueueWithDeadlineHook = @convention(thin) (Int64, Int64, Int64, Int64, Int32, UnownedJob, EnqueueWithDeadlineOriginal) -> Void

    /// A deadline on one of the runtime's clocks (1 continuous = `CLOCK_BOOTTIME`, 2 suspending
    /// = `CLOCK_MONOTONIC`, as the runtime reads them on Linux) as `CLOCK_MONOTONIC` nanoseconds.
    static func monotonicDeadline(seconds: Int64, nanoseconds: Int64, clock: Int32) -> Int64 {
        let target = seconds &* 1_000_000_000 &+ nanoseconds
        guard clock == 1 else { return target }
        return Clocks.monotonicNanoseconds() &+ (target &- Clocks.boottimeNanoseconds())
    }

    /// Enqueues `job`; wakes a sleeping worker only when no worker is already on its way to it.
    func enqueue(_ job: UnownedJob) {
        pthread_mutex_lock(lock)
        ready.append(job)
        let wake = needsWake()
        pthread_mutex_unlock(lock)
        // Signalled after unlocking, so the woken worker does not block at once on the lock.
        if wake { pthread_cond_signal(workAvailable) }
    }

    /// Called with the lock held, after a job was queued: whether to signal a sleeping worker.
    /// Every queued job should have a worker about to look at it: a spinning one, or one
    /// signalled and not yet awake. A job enqueued by a task that hops and then ends its turn
    /// is usually taken by the worker that ran it, spinning a moment before it sleeps, and
    /// wakes nobody (a wake-up per hop made a watchdog ping cost 13 of them).
    private func needsWake() -> Bool {
        let count = queued.add(1, ordering: .relaxed).newValue
        guard sleeping > signalsInFlight, count > spinning + signalsInFlight else { return false }
        signalsInFlight += 1
        return true
    }

    /// How long a worker that ran out of jobs watches the queue before it sleeps.
    static let spinNanoseconds: Int64 = 20_000

    func enqueue(_ job: consuming ExecutorJob) {
        enqueue(UnownedJob(job))
    }

    // `Task.sleep` asks the current task executor for a `SchedulingExecutor` before it falls
    // back to the global hooks (Swift 6.3): both paths lead to the timer thread.

    func enqueue<C: Clock>(_ job: consuming ExecutorJob, after delay: C.Duration,
                                  tolerance: C.Duration?, clock: C) {
        enqueue(UnownedJob(job), at: Clocks.monotonicNanoseconds() &+ Self.nanoseconds(delay))
    }

    func enqueue<C: Clock>(_ job: consuming ExecutorJob, at instant: C.Instant,
                                  tolerance: C.Duration?, clock: C) {
        enqueue(UnownedJob(job), at: Clocks.monotonicNanoseconds() &+ Self.nanoseconds(clock.now.duration(to: instant)))
    }

    /// A clock's duration in nanoseconds (0 for a duration type this executor does not know).
    static func nanoseconds<D: DurationProtocol>(_ duration: D) -> Int64 {
        guard let duration = duration as? Duration else { return 0 }
        let (seconds, attoseconds) = duration.components
        return seconds.multipliedReportingOverflow(by: 1_000_000_000).overflow
            ? (seconds < 0 ? Int64.min / 2 : Int64.max / 2)
            : seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    /// Runs `job` once `CLOCK_MONOTONIC` reaches `deadline` (nanoseconds).
    func enqueue(_ job: UnownedJob, at deadline: Int64) {
        pthread_mutex_lock(lock)
        sequence &+= 1
        let earliest = timers.first?.deadline
        timers.insert(DelayedJob(deadline: deadline, sequence: sequence, job: job))
        pthread_mutex_unlock(lock)
        if earliest.map({ deadline < $0 }) ?? true { pthread_cond_signal(timerChanged) }
    }

    private func runWorker() -> Never {
        let me = asUnownedTaskExecutor()
        pthread_mutex_lock(lock)
        while true {
            if readyHead == ready.count {
                // Out of work: watch the queue for a moment (a job enqueued by the job just run
                // usually comes now), then sleep. One worker at a time: on a machine with fewer
                // cores than workers, more would take the cores from the ones with work.
                if spinning == 0 {
                    spinning += 1
                    pthread_mutex_unlock(lock)
                    let until = Clocks.monotonicNanoseconds() + Self.spinNanoseconds
                    while queued.load(ordering: .relaxed) == 0 && Clocks.monotonicNanoseconds() < until {}
                    pthread_mutex_lock(lock)
                    spinning -= 1
                }
                while readyHead == ready.count {
                    sleeping += 1
                    pthread_cond_wait(workAvailable, lock)
                    sleeping -= 1
                    if signalsInFlight > 0 { signalsInFlight -= 1 }
                }
            }
            let job = ready[readyHead]
            readyHead += 1
            queued.subtract(1, ordering: .relaxed)
            if readyHead == ready.count {
                ready.removeAll(keepingCapacity: ready.capacity <= 1024)
                readyHead = 0
            } else if readyHead >= 4096, readyHead * 2 >= ready.count {
                ready.removeFirst(readyHead)
                readyHead = 0
            }
            pthread_mutex_unlock(lock)
            job.runSynchronously(on: me)
            pthread_mutex_lock(lock)
        }
    }

    private func runTimers() -> Never {
        pthread_mutex_lock(lock)
        while true {
            guard let first = timers.first else {
                pthread_cond_wait(timerChanged, lock)
                continue
            }
            let now = Clocks.monotonicNanoseconds()
            if first.deadline <= now {
                // One worker woken per due job (a broadcast would wake them all for one ping),
                // after unlocking, so the woken worker does not block at once on the lock.
                var wakes = 0
                while let next = timers.first, next.deadline <= now {
                    ready.append(timers.removeFirst().job)
                    if needsWake() { wakes += 1 }
                }
                pthread_mutex_unlock(lock)
                for _ in 0..<wakes { pthread_cond_signal(workAvailable) }
                pthread_mutex_lock(lock)
                continue
            }
            var ts = timespec(tv_sec: Int(first.deadline / 1_000_000_000), tv_nsec: Int(first.deadline % 1_000_000_000))
            pthread_cond_timedwait(timerChanged, lock, &ts)
        }
    }

    /// Starts a detached thread running `body` (which never returns).
    private static func startThread(name: String, _ body: @escaping @Sendable () -> Never) {
        final class Box: @unchecked Sendable {
            let name: String
            let body: @Sendable () -> Never
            init(_ name: String, _ body: @escaping @Sendable () -> Never) { self.name = name; self.body = body }
        }
        var thread = pthread_t()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        // Swift tasks run on these threads: give them the stack size libdispatch's workers have.
        pthread_attr_setstacksize(&attributes, 8 << 20)
        let context = Unmanaged.passRetained(Box(name, body)).toOpaque()
        let result = pthread_create(&thread, &attributes, { context in
            let box = Unmanaged<Box>.fromOpaque(context!).takeRetainedValue()
            box.name.withCString { cfw_set_thread_name($0) }
            box.body()
        }, context)
        pthread_attr_destroy(&attributes)
        precondition(result == 0, "cannot start the executor's thread \(name): \(Errno(result))")
    }
}

/// A delayed job: due at `deadline`, in the order enqueued among equal deadlines.
struct DelayedJob {
    var deadline: Int64
    var sequence: UInt64
    var job: UnownedJob

    func precedes(_ other: DelayedJob) -> Bool {
        deadline != other.deadline ? deadline < other.deadline : sequence < other.sequence
    }
}

/// A binary min-heap of timers, earliest first.
struct DeadlineHeap {
    private var items: [DelayedJob] = []

    var first: DelayedJob? { items.first }
    var count: Int { items.count }

    mutating func insert(_ timer: DelayedJob) {
        items.append(timer)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child].precedes(items[parent]) else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func removeFirst() -> DelayedJob {
        let top = items[0]
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1, right = left + 1
                var smallest = parent
                if left < items.count, items[left].precedes(items[smallest]) { smallest = left }
                if right < items.count, items[right].precedes(items[smallest]) { smallest = right }
                if smallest == parent { break }
                items.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return top
    }
}

import CSystemd
import Foundation
@testable import FrontwatchSystem
import Glibc
import Testing

/// The daemon's global executor. The test process keeps libdispatch's executor: these tests use a
/// `QuietExecutor` as a task executor preference; the daemon end-to-end tests run it installed.
@Suite("quiet executor")
struct QuietExecutorTests {
    static let executor = QuietExecutor.start(workers: 3)

    /// The kernel's name for the calling thread.
    static func threadName() -> String {
        (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
    }

    @Test("this toolchain has the runtime's executor hooks and is one the executor was checked against")
    func hooksAvailable() {
        #expect(QuietRuntime.quietExecutorUnavailable == nil || ProcessInfo.processInfo.environment["FRONTWATCH_EXECUTOR"] == "default")
    }

    @Test("every job runs, on the executor's own threads, several at once")
    func runsEveryJob() async throws {
        let names = await withTaskExecutorPreference(Self.executor) {
            await withTaskGroup(of: (Int, String).self) { group in
                for i in 0..<200 {
                    group.addTask { (i * i, Self.threadName()) }
                }
                var results: [(Int, String)] = []
                for await result in group { results.append(result) }
                return results
            }
        }
        #expect(names.map(\.0).sorted() == (0..<200).map { $0 * $0 })
        #expect(names.allSatisfy { $0.1.hasPrefix("fw-worker-") })
    }

    @Test("delayed jobs run at their deadline, earliest first, in enqueue order among equals")
    func deadlineHeapOrder() {
        var heap = DeadlineHeap()
        var generator = SystemRandomNumberGenerator()
        var expected: [(Int64, UInt64)] = []
        for sequence in UInt64(0)..<500 {
            let deadline = Int64.random(in: 0..<50, using: &generator)
            expected.append((deadline, sequence))
            heap.insert(DelayedJob(deadline: deadline, sequence: sequence, job: unsafeBitCast(Int(1), to: UnownedJob.self)))
        }
        var order: [(Int64, UInt64)] = []
        while heap.first != nil {
            let next = heap.removeFirst()
            order.append((next.deadline, next.sequence))
        }
        expected.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        #expect(order.map(\.0) == expected.map(\.0))
        #expect(order.map(\.1) == expected.map(\.1))
    }

    @Test("a deadline on the continuous clock (CLOCK_BOOTTIME) becomes the same moment on CLOCK_MONOTONIC")
    func clockConversion() {
        var ts = timespec()
        clock_gettime(CLOCK_BOOTTIME, &ts)
        let inOneSecond = Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec) + 1_000_000_000
        let before = Clocks.monotonicNanoseconds()
        let converted = QuietExecutor.monotonicDeadline(seconds: inOneSecond / 1_000_000_000,
                                                        nanoseconds: inOneSecond % 1_000_000_000, clock: 1)
        let after = Clocks.monotonicNanoseconds()
        #expect(converted >= before + 1_000_000_000 - 1_000_000)
        #expect(converted <= after + 1_000_000_000)
        // The suspending clock is CLOCK_MONOTONIC itself.
        #expect(QuietExecutor.monotonicDeadline(seconds: 5, nanoseconds: 7, clock: 2) == 5_000_000_007)
    }
}

import FrontwatchSystem
import Glibc

/// The clocks only the benchmark needs: the history test's CPU time, the latency test's schedule.
extension Clocks {
    /// `CLOCK_PROCESS_CPUTIME_ID`: CPU time of the whole process (all threads), in nanoseconds.
    public static func processCPUNanoseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    /// Blocks the calling thread until `CLOCK_MONOTONIC` reaches `deadline` nanoseconds
    /// (`clock_nanosleep(2)` with `TIMER_ABSTIME`, resumed after a signal): a steady schedule
    /// of absolute deadlines does not drift with the time each step takes.
    public static func sleep(untilMonotonicNanoseconds deadline: Int64) {
        var ts = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
        try? syscallReturningErrno { clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nil) }
    }
}

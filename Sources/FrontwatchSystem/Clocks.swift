import Glibc

/// The clocks the benchmark needs, each a `clock_gettime(2)` or `clock_nanosleep(2)` call.
public enum Clocks {
    /// `CLOCK_REALTIME` in microseconds: the clock of the journal's `__REALTIME_TIMESTAMP`.
    public static func realtimeMicroseconds() -> Int64 {
        read(CLOCK_REALTIME) / 1000
    }

    /// `CLOCK_MONOTONIC` in nanoseconds.
    public static func monotonicNanoseconds() -> Int64 {
        read(CLOCK_MONOTONIC)
    }

    /// `CLOCK_BOOTTIME` in nanoseconds: monotonic, and counting time suspended (the clock of
    /// Swift's `ContinuousClock` on Linux).
    public static func boottimeNanoseconds() -> Int64 {
        read(CLOCK_BOOTTIME)
    }

    /// `CLOCK_PROCESS_CPUTIME_ID`: CPU time of the whole process (all threads), in nanoseconds.
    public static func processCPUNanoseconds() -> Int64 {
        read(CLOCK_PROCESS_CPUTIME_ID)
    }

    /// Blocks the calling thread until `CLOCK_MONOTONIC` reaches `deadline` nanoseconds
    /// (`clock_nanosleep(2)` with `TIMER_ABSTIME`, resumed after a signal): a steady schedule
    /// of absolute deadlines does not drift with the time each step takes.
    public static func sleep(untilMonotonicNanoseconds deadline: Int64) {
        var ts = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
        try? syscallReturningErrno { clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nil) }
    }

    /// Clock ticks per second (`sysconf(_SC_CLK_TCK)`), the unit of CPU times in `/proc`.
    public static var ticksPerSecond: Int {
        sysconf(Int32(_SC_CLK_TCK))
    }

    private static func read(_ clock: clockid_t) -> Int64 {
        var ts = timespec()
        clock_gettime(clock, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }
}

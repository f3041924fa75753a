import Glibc

/// The clocks the daemon reads, each a `clock_gettime(2)` call.
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

    private static func read(_ clock: clockid_t) -> Int64 {
        var ts = timespec()
        clock_gettime(clock, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }
}

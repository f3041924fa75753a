import Glibc

/// What SIGABRT does to the daemon.
public enum AbortSignal {
    /// Gives SIGABRT its default action back (end the process, with a core dump), replacing the
    /// Swift runtime's crash reporter for it: systemd's watchdog sends SIGABRT to a daemon it takes
    /// for hung, and the reporter, after printing a backtrace, let the process go on running.
    /// Traps (`fatalError`, overflow: SIGILL/SIGTRAP) and SIGSEGV keep their crash report.
    /// It also unblocks SIGABRT, which a parent may have left blocked (a blocked signal with the
    /// default action never ends the process). Call it before any thread starts: threads inherit
    /// the mask. Calls `signal(2)` and `pthread_sigmask(3)`.
    public static func restoreDefault() {
        signal(SIGABRT, SIG_DFL)
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGABRT)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }
}

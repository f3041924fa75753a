import FrontwatchSystem
import Glibc

/// Signals to other processes.
public enum ProcessControl {
    /// `kill(2)` with `SIGKILL`: for a child that does not stop on `SIGTERM` (one spawned from a
    /// thread that blocks it inherits the blocked signal).
    public static func forceKill(_ pid: Int32) throws(Errno) {
        _ = try syscall { kill(pid, SIGKILL) }
    }
}

import FrontwatchSystem
import Glibc

extension Clocks {
    /// Clock ticks per second (`sysconf(_SC_CLK_TCK)`), the unit of CPU times in `/proc`.
    public static var ticksPerSecond: Int {
        sysconf(Int32(_SC_CLK_TCK))
    }
}

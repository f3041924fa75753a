import Foundation
import FrontwatchTestSupport
import Glibc

/// Makes journald treat a test's daemon as a service of its own, with a small rate limit of its
/// own, as it treats `frontwatch.service` under systemd: journald rate-limits per unit (found
/// from the process's cgroup), and reads a unit's `LogRateLimitIntervalSec=`/`LogRateLimitBurst=`
/// from the symlinks systemd leaves in `/run/systemd/units/`. Without a unit (a process in the
/// root cgroup, as in a container) journald applies no limit at all. Needs root.
struct RateLimitedUnit {
    let name: String
    let cgroups: [String]
    let links: [String]

    /// A unit `frontwatch-test-XXXX.service` allowing `burst` entries per priority band per
    /// `intervalSeconds` (journald scales the burst up with free disk space: by 4-6 on a disk of
    /// tens of GB).
    init(burst: Int, intervalSeconds: Int) throws {
        let name = "frontwatch-test-\(UUID().uuidString.prefix(8).lowercased()).service"
        self.name = name
        // cgroup v1 with the unified hierarchy beside it (hybrid), or v2 alone.
        let roots = FileManager.default.fileExists(atPath: "/sys/fs/cgroup/unified/cgroup.procs")
            ? ["/sys/fs/cgroup/systemd", "/sys/fs/cgroup/unified"] : ["/sys/fs/cgroup"]
        cgroups = roots.map { $0 + "/system.slice/" + name }
        for cgroup in cgroups {
            try FileManager.default.createDirectory(atPath: cgroup, withIntermediateDirectories: true)
        }
        try FileManager.default.createDirectory(atPath: "/run/systemd/units", withIntermediateDirectories: true)
        links = ["/run/systemd/units/log-rate-limit-burst:" + name, "/run/systemd/units/log-rate-limit-interval:" + name]
        for (link, value) in zip(links, ["\(burst)", "\(intervalSeconds * 1_000_000)"]) {
            unlink(link)
            guard symlink(value, link) == 0 else { throw TestFailure("cannot create \(link): errno \(errno)") }
        }
    }

    /// A launcher for `TestDaemon.start`: moves itself into the unit's cgroups, then execs the daemon.
    var launcher: [String] {
        let moves = cgroups.map { "echo $$ > '\($0)/cgroup.procs'" }.joined(separator: " && ")
        return ["/bin/sh", "-c", moves + " && exec \"$@\"", "sh"]
    }

    /// Removes the links and the (empty, once the daemon has exited) cgroups.
    func remove() {
        for link in links { unlink(link) }
        for cgroup in cgroups { rmdir(cgroup) }
    }
}

import CSystemd
import Glibc

/// Tells the service manager how the daemon is doing, through `$NOTIFY_SOCKET`.
///
/// Calls `sd_notify(3)`; without `NOTIFY_SOCKET` every call is a no-op, so the daemon runs the
/// same in a terminal and under systemd.
public struct SystemdNotifier: Sendable {
    /// A notifier for the current process's environment.
    public init() {}

    /// True when a service manager listens.
    public var isActive: Bool {
        getenv("NOTIFY_SOCKET") != nil
    }

    /// Sends raw `KEY=value` lines.
    @discardableResult
    public func send(_ state: String) -> Bool {
        cfw_notify(state) > 0
    }

    /// `READY=1`, with an optional status line.
    public func ready(status: String? = nil) {
        send(status.map { "READY=1\nSTATUS=\($0)" } ?? "READY=1")
    }

    /// `STATUS=...`.
    public func status(_ text: String) {
        send("STATUS=" + text.replacingNewlines())
    }

    /// `STOPPING=1`.
    public func stopping() {
        send("STOPPING=1")
    }

    /// `RELOADING=1` with the `MONOTONIC_USEC=` that systemd 253+ expects for `Type=notify-reload`.
    public func reloading() {
        send("RELOADING=1\nMONOTONIC_USEC=\(Clocks.monotonicNanoseconds() / 1000)")
    }

    /// `WATCHDOG=1`.
    public func watchdog() {
        send("WATCHDOG=1")
    }

    /// The watchdog interval systemd asked for (`WATCHDOG_USEC`, for this process), in microseconds.
    public var watchdogMicroseconds: UInt64? {
        var usec: UInt64 = 0
        return cfw_watchdog_enabled(&usec) > 0 ? usec : nil
    }
}

extension String {
    func replacingNewlines() -> String {
        String(map { $0.isNewline ? " " : $0 })
    }
}

import Foundation
import FrontwatchTestSupport
import Glibc
import Testing

/// systemd's watchdog ends a daemon it takes for hung with SIGABRT: the process must end, not
/// print a crash report and go on.
@Suite("SIGABRT")
struct AbortSignalTests {
    @Test("SIGABRT ends the daemon (killed by the signal), as the watchdog expects")
    func abortEndsTheProcess() async throws {
        try await TestJournal.ensureRunning()
        try await withTestDaemon("abort") { d in
            let process = try await d.start()
            process.signal(SIGABRT)
            let status = try await StateDatabaseTests.exitStatus(process, "the daemon to end on SIGABRT")
            #expect(status == SIGABRT, "terminated by SIGABRT (Foundation reports the signal number), got \(status)")
        }
    }
}

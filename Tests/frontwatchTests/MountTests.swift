import Foundation
import FrontwatchTestSupport
import Glibc
import Testing

/// A file system mounted on the inbox after the daemon started (a network share that came up
/// late, a disk mounted by hand): the watch follows the path to it, and back when it goes.
@Suite("mounts on the inbox", .serialized)
struct MountTests {
    /// Writes `text` under an ignored name in `folder` and renames it to `name` there: an atomic
    /// arrival on whatever file system the folder is now.
    static func dropInPlace(_ text: String, named name: String, in folder: String) throws {
        let temp = folder + "/." + name + ".part"
        try text.write(toFile: temp, atomically: false, encoding: .utf8)
        try rename(temp, to: folder + "/" + name)
    }

    @Test("a tmpfs mounted on the inbox after READY is detected and watched; after unmounting, the folder beneath is watched again")
    func mountOnInboxIsFollowed() async throws {
        try await TestJournal.ensureRunning()
        try await withTestDaemon("mount") { d in
            let process = try await d.start()
            let mount = try Tmpfs(on: d.inbox, size: "1m")
            do {
                try Self.dropInPlace(Articles.alerting(axis: "Kupiansk", day: "2024-06-01", tag: "on the mount"), named: "mounted.txt", in: d.inbox)
                try await d.messages.waitForCounts("the article on the mounted file system") { $0.processed == 1 && $0.alerts == 1 }
                mount.unmount()
            } catch {
                mount.unmount()
                throw error
            }
            try d.drop(Articles.alerting(axis: "Lyman", day: "2024-06-02", tag: "beneath"), named: "beneath.txt")
            try await d.messages.waitForCounts("the article in the folder beneath, once unmounted") { $0.processed == 2 && $0.alerts == 2 }
            try await journalBarrier()
            let notes = try TestJournal.entries(["_PID=\(process.pid)"]).filter { $0["MESSAGE"]?.contains("leads to another directory") == true }
            #expect(!notes.isEmpty, "the daemon says the folder changed under it")
            #expect(await d.stop() == 0)
        }
    }
}

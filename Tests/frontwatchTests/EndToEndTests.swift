import Foundation
import FrontwatchSystem
import FrontwatchTestSupport
import Glibc
import Testing

/// The example article (own words, with the seed's traps): two alerts, Kupiansk and Lyman.
let exampleArticle: String = (try? String(contentsOfFile: repositoryRoot + "/examples/2023-07-18-kupiansk.txt",
                                           encoding: .utf8)) ?? ""

/// The shipped configuration: tests name it so that a frontwatch installed on the machine
/// (/etc/frontwatch) cannot leak its settings or gazetteer into them.
let shippedConfig = repositoryRoot + "/config/frontwatch.yaml"

let alertMessageID = "9cda11e551a04de1a85751b084e59831"

@Suite("daemon end to end", .serialized)
struct EndToEndTests {
    @Test("a dropped article becomes exactly the right journal alerts, once")
    func droppedArticleAlerts() async throws {
        #expect(!exampleArticle.isEmpty)
        try await TestJournal.ensureRunning()
        let folder = try TempFolder("e2e")
        defer { folder.remove() }
        let inbox = try folder.sub("inbox"), state = try folder.sub("state"), staging = try folder.sub("staging")
        let notify = try NotifySocket(in: folder.path)
        defer { notify.close() }
        var messages = notify.messages.makeAsyncIterator()

        let daemon = try DaemonProcess(arguments: ["run", "--watch", inbox, "--state", state, "--config", shippedConfig],
                                       environment: ["NOTIFY_SOCKET": notify.path])
        let ready = await awaitMessage(&messages) { $0.contains("READY=1") }
        #expect(ready.last?.contains("READY=1") == true)

        let article = inbox + "/kupiansk.txt"
        let (alerts, follower) = try TestJournal.follow(["MESSAGE_ID=\(alertMessageID)", "FRONTWATCH_ARTICLE=\(article)"])
        defer { follower.terminate() }
        try dropAtomically(exampleArticle, named: "kupiansk.txt", into: inbox, staging: staging)

        let received = try await within(60, "two alerts in the journal") {
            var entries: [[String: String]] = []
            for await entry in alerts {
                entries.append(entry)
                if entries.count == 2 { break }
            }
            return entries
        }
        let byAxis = Dictionary(uniqueKeysWithValues: received.map { ($0["FRONTWATCH_AXIS"] ?? "?", $0) })
        #expect(Set(byAxis.keys) == ["Kupiansk", "Lyman"])
        for (axis, entry) in byAxis {
            #expect(entry["FRONTWATCH_ACTOR"] == "russia", "actor of \(axis)")
            #expect(entry["FRONTWATCH_CHANGE"] == "intensified")
            #expect(entry["PRIORITY"] == "4")
            #expect(entry["SYSLOG_IDENTIFIER"] == "frontwatch")
            #expect(entry["FRONTWATCH_ARTICLE_DATE"] == "2023-07-18")
            #expect(entry["FRONTWATCH_ALERT_ID"]?.count == 16)
            #expect(Double(entry["FRONTWATCH_CONFIDENCE"] ?? "") != nil)
            let evidence = entry["FRONTWATCH_EVIDENCE"] ?? ""
            #expect(evidence.contains(axis == "Lyman" ? "Lyman" : "Kup"), "evidence names the axis: \(evidence)")
            #expect(exampleArticle.contains(evidence), "evidence is a sentence of the article")
            #expect(entry["MESSAGE"]?.contains(axis) == true)
            #expect(entry["MESSAGE"]?.contains("\n") == false)
        }

        // The same article again, under another name: recognised as a duplicate, no new alert.
        try dropAtomically(exampleArticle, named: "kupiansk-again.txt", into: inbox, staging: staging)
        let status = await awaitMessage(&messages) { $0.contains("duplicates 1") }
        #expect(status.last?.contains("duplicates 1") == true)
        try await journalBarrier()
        let all = try TestJournal.entries(["MESSAGE_ID=\(alertMessageID)", "_PID=\(daemon.pid)"])
        #expect(all.count == 2, "exactly two alerts from this daemon, got \(all.map { $0["MESSAGE"] ?? "" })")

        // Its tasks ran on the QuietExecutor: libdispatch's global-queue workers (whose pool
        // monitor would wake the idle daemon every second) never started.
        let threads = daemonThreadNames(daemon.pid)
        #expect(threads.contains { $0.hasPrefix("fw-worker-") }, "threads: \(threads)")
        #expect(!threads.contains { $0.hasSuffix("-qos") }, "a libdispatch global-queue worker: \(threads)")

        daemon.signal(SIGTERM)
        let stopping = await awaitMessage(&messages) { $0.contains("STOPPING=1") }
        #expect(stopping.last?.contains("STOPPING=1") == true)
        #expect(await daemon.waitForExit() == 0)
    }

    @Test("notify protocol: READY=1 once watching, STOPPING=1 on SIGTERM, clean exit; stderr logging without a journal")
    func notifyProtocol() async throws {
        let folder = try TempFolder("notify")
        defer { folder.remove() }
        let inbox = try folder.sub("inbox"), state = try folder.sub("state")
        let notify = try NotifySocket(in: folder.path)
        defer { notify.close() }
        var messages = notify.messages.makeAsyncIterator()
        let daemon = try DaemonProcess(arguments: ["run", "--watch", inbox, "--state", state, "--config", shippedConfig,
                                                   "--log", "stderr"],
                                       environment: ["NOTIFY_SOCKET": notify.path])
        let beforeReady = await awaitMessage(&messages) { $0.contains("READY=1") }
        #expect(beforeReady.last?.contains("READY=1") == true)
        #expect(!beforeReady.contains { $0.contains("STOPPING=1") })
        daemon.signal(SIGTERM)
        let afterReady = await awaitMessage(&messages) { $0.contains("STOPPING=1") }
        #expect(afterReady.last?.contains("STOPPING=1") == true)
        #expect(await daemon.waitForExit() == 0)
        let log = daemon.stderrText()
        #expect(log.contains("INFO frontwatch: watching \(inbox)"), "readable stderr log, got: \(log)")
    }
}

/// Writes a unique marker to the journal and waits until journalctl can read it back, so that
/// everything sent before it is readable too.
func journalBarrier() async throws {
    let marker = UUID().uuidString
    let (stream, follower) = try TestJournal.follow(["FRONTWATCH_TEST_MARKER=\(marker)"])
    defer { follower.terminate() }
    try JournalWriter().send([JournalField("MESSAGE", "test barrier"), JournalField("FRONTWATCH_TEST_MARKER", marker)])
    _ = try await within(30, "the journal barrier") {
        for await _ in stream { return true }
        return false
    }
}

/// The kernel's names of a process's threads (`/proc/PID/task/*/comm`, at most 15 bytes each:
/// libdispatch's `com.apple.root.default-qos` shows as `oot.default-qos`).
func daemonThreadNames(_ pid: Int32) -> [String] {
    let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
    return tasks.compactMap {
        try? String(contentsOfFile: "/proc/\(pid)/task/\($0)/comm", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

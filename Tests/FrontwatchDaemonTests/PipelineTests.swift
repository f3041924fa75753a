import Foundation
import FrontwatchCore
import FrontwatchDaemon
import FrontwatchSystem
import Glibc
import Logging
import Testing

/// An article in the style of the seed report (own words): two new intensifications, Kupiansk
/// and Lyman, and mentions of other axes that are history, habit or a Ukrainian offensive.
let sampleArticle = """
    date 2024-03-05
    Russian forces have stepped up assaults in the Kupiansk direction, the eastern command said on Tuesday.
    "Since the beginning of the year they have tried to advance near Marinka, Avdiivka and Liman," the spokesman said. "The enemy regularly intensified its actions near Shakhtarsk too."
    Ukrainian troops went on pressing forward in the Bakhmut direction.
    On Monday the command said Russia's troops had gone on the offensive in the Lyman direction.
    """

/// Collects delivered alerts; can be told to fail, like a journal that is away.
final class RecordingSink: AlertSink, @unchecked Sendable {
    private let lock = NSLock()
    private var delivered: [Alert] = []
    private var failuresLeft: Int

    init(failFirst: Int = 0) { failuresLeft = failFirst }

    func deliver(_ alert: Alert) throws {
        try lock.withLock {
            if failuresLeft > 0 {
                failuresLeft -= 1
                throw Errno(ENOENT)
            }
            delivered.append(alert)
        }
    }

    var alerts: [Alert] { lock.withLock { delivered } }
}

struct Fixture {
    let dir: String
    let inbox: String
    let loaded: LoadedConfig
    let database: AppDatabase

    init(rejected: FrontwatchConfig.RejectedPolicy = .keep) throws {
        dir = NSTemporaryDirectory() + "fw-pipe-\(UUID().uuidString.prefix(8))"
        inbox = dir + "/inbox"
        try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
        var config = FrontwatchConfig()
        config.watchDirectory = inbox
        config.stateDirectory = dir + "/state"
        config.rejected = rejected
        let gazetteer = try Gazetteer(axes: [
            .init(name: "Kupiansk", variants: ["Kupyansk"]), .init(name: "Lyman", variants: ["Liman"]),
            .init(name: "Bakhmut"), .init(name: "Marinka"), .init(name: "Avdiivka"), .init(name: "Shakhtarsk"),
        ])
        let configFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("config").path
        let lexicon = try Lexicon(yaml: String(contentsOfFile: configFolder + "/lexicon.en.yaml", encoding: .utf8))
        let scorer = try Scorer(tsv: String(contentsOfFile: configFolder + "/scorer.en.tsv", encoding: .utf8))
        loaded = LoadedConfig(config: config, gazetteer: gazetteer, configPath: nil, gazetteerPath: "(test)",
                              lexicon: lexicon, lexiconPath: configFolder + "/lexicon.en.yaml", scorer: scorer,
                              scorerPath: configFolder + "/scorer.en.tsv")
        database = try AppDatabase.inMemory()
    }

    func put(_ name: String, _ text: String) throws -> String {
        let path = inbox + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    func pipeline() -> ArticlePipeline {
        ArticlePipeline(loaded: loaded, database: database, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
    }

    func remove() { try? FileManager.default.removeItem(atPath: dir) }
}

@Suite("article pipeline and store")
struct PipelineTests {
    @Test func newIntensificationsAlertOnceAndRepeatsDoNot() async throws {
        let f = try Fixture()
        defer { f.remove() }
        let pipeline = f.pipeline()
        let path = try f.put("a.txt", sampleArticle)
        guard case .processed(_, let alerts) = await pipeline.process(path: path) else {
            Issue.record("not processed"); return
        }
        #expect(Set(alerts.map(\.axis)) == ["Kupiansk", "Lyman"])
        #expect(alerts.allSatisfy { $0.actor == .russia && $0.change == .intensified })
        #expect(try f.database.pendingAlerts().count == 2)

        // The same file again: already seen. Its content under another name: a duplicate.
        #expect(await pipeline.process(path: path) == .alreadySeen)
        let copy = try f.put("b.txt", sampleArticle)
        #expect(await pipeline.process(path: copy) == .duplicate(of: path))

        // Another outlet reports the same thing two days later: corroboration, no alert.
        let other = try f.put("c.txt", "date 2024-03-07\nRussian troops intensified attacks near Kupyansk, officials said.")
        #expect(await pipeline.process(path: other) == .processed(events: 1, alerts: []))
        #expect(try f.database.state(axis: "Kupiansk", change: .intensified)?.corroboration == 2)

        let status = try f.database.status()
        #expect(status.processed == 2)
        #expect(status.duplicates == 1)
        #expect(status.alerts_pending == 2)
    }

    @Test("bad files are rejected, recorded once, and do not stop the next article", arguments: [
        ("empty.txt", Data(), "empty"),
        ("binary.bin", Data([0x7F, 0x45, 0x4C, 0x46, 0, 0, 1, 2]), "binary"),
        ("blank.txt", Data("  \n\n \t\n".utf8), "empty"),
        ("baddate.txt", Data("date 2024-02-31\ntext".utf8), "bad-header"),
    ])
    func rejectsBadFiles(name: String, content: Data, reason: String) async throws {
        let f = try Fixture()
        defer { f.remove() }
        let pipeline = f.pipeline()
        let path = f.inbox + "/" + name
        try content.write(to: URL(fileURLWithPath: path))
        #expect(await pipeline.process(path: path) == .rejected(reason: reason))
        #expect(await pipeline.process(path: path) == .alreadySeen)
        let good = try f.put("good.txt", sampleArticle)
        guard case .processed = await pipeline.process(path: good) else { Issue.record("good file not processed"); return }
        #expect(try f.database.status().rejected == 1)
    }

    @Test func rejectedFilesCanBeMovedAsideWithAReason() async throws {
        let f = try Fixture(rejected: .move)
        defer { f.remove() }
        let path = try f.put("bad.txt", "")
        #expect(await f.pipeline().process(path: path) == .rejected(reason: "empty"))
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(FileManager.default.fileExists(atPath: f.dir + "/state/rejected/bad.txt"))
        let reason = try String(contentsOfFile: f.dir + "/state/rejected/bad.txt.reason", encoding: .utf8)
        #expect(reason.hasPrefix("empty:"))
    }

    @Test func symlinksAreRejectedUnfollowed() async throws {
        let f = try Fixture()
        defer { f.remove() }
        #expect(symlink("/etc/shadow", f.inbox + "/shadow") == 0)
        #expect(await f.pipeline().process(path: f.inbox + "/shadow") == .rejected(reason: "symlink"))
    }

    @Test func windows1251TextIsDecoded() async throws {
        let f = try Fixture()
        defer { f.remove() }
        // "date 2024-03-05\n" then Russian text in Windows-1251, then English with an axis.
        var bytes = Array("date 2024-03-05\n".utf8)
        bytes += [0xC1, 0xEE, 0xE8, 0x20, 0xE8, 0xE4, 0xF3, 0xF2, 0x2E, 0x20]  // "Бои идут. "
        bytes += Array("Russian forces intensified attacks near Kupiansk.".utf8)
        let path = f.inbox + "/cp1251.txt"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        guard case .processed(let events, _) = await f.pipeline().process(path: path) else {
            Issue.record("not processed"); return
        }
        #expect(events == 1)
    }

    @Test func alertsWaitPendingUntilTheSinkTakesThem() async throws {
        let f = try Fixture()
        defer { f.remove() }
        let sink = RecordingSink(failFirst: 2)
        let queue = WorkQueue()
        let (handled, seen) = AsyncStream<WorkItem>.makeStream()
        let service = AnalysisService(queue: queue, pipeline: f.pipeline(), database: f.database, sink: sink,
                                      notifier: SystemdNotifier(), retryInterval: .milliseconds(20),
                                      logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() },
                                      observer: { item, _ in seen.yield(item) })
        let path = try f.put("a.txt", sampleArticle)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await service.run() }
            queue.send(.file(path: path))
            // Two failed attempts leave both alerts pending; the retry timer delivers them.
            for await item in handled where item == .retryAlerts {
                if sink.alerts.count == 2 { break }
            }
            queue.finish()
            try await group.waitForAll()
        }
        #expect(Set(sink.alerts.map(\.axis)) == ["Kupiansk", "Lyman"])
        #expect(try f.database.pendingAlerts().isEmpty)
        #expect(try f.database.status().alerts_sent == 2)
    }
}

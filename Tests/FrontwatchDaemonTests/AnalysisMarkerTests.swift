import Foundation
import FrontwatchCore
@testable import FrontwatchDaemon
import FrontwatchSystem
import Testing

/// The crash marker across restarts: a new `AnalysisMarker` on the same state folder is what a
/// restarted daemon reads.
@Suite("crash marker")
struct AnalysisMarkerTests {
    static func identity(_ inode: UInt64) throws -> FileIdentity {
        // Any real file's identity, with the inode swapped: the marker only keys on the numbers.
        var id = try FileSystem.identity(of: "/")
        id.inode = inode
        return id
    }

    /// Starts an analysis on the marker; an unwritable marker fails the test.
    static func begin(_ marker: inout AnalysisMarker, _ files: [(FileIdentity, String)],
                      sourceLocation: SourceLocation = #_sourceLocation) {
        if !marker.begin(files.map { (identity: $0.0, path: $0.1) }) {
            Issue.record("the marker could not be written", sourceLocation: sourceLocation)
        }
    }

    @Test("a crash in a batch counts one attempt for each file of it; a suspect started alone counts again; the others are carried")
    func batchThenAlone() throws {
        let dir = NSTemporaryDirectory() + "fw-marker-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (a, b, c) = (try Self.identity(1), try Self.identity(2), try Self.identity(3))

        var marker = AnalysisMarker(stateDirectory: dir)
        #expect(marker.crashes(a) == 0)
        Self.begin(&marker, [(a, dir + "/a.txt"), (b, dir + "/b.txt")])
        // The daemon dies in that batch.
        marker = AnalysisMarker(stateDirectory: dir)
        #expect(marker.crashes(a) == 1 && marker.crashes(b) == 1 && marker.crashes(c) == 0)
        Self.begin(&marker, [(a, dir + "/a.txt")])
        // It dies again, on a alone.
        marker = AnalysisMarker(stateDirectory: dir)
        #expect(marker.crashes(a) == 2 && marker.crashes(b) == 1)
        // b goes through; a new batch starts and finishes.
        Self.begin(&marker, [(b, dir + "/b.txt")])
        marker.finished([b])
        Self.begin(&marker, [(c, dir + "/c.txt")])
        marker.finished([c])
        marker = AnalysisMarker(stateDirectory: dir)
        #expect(marker.crashes(a) == 2 && marker.crashes(b) == 0 && marker.crashes(c) == 1,
                "the marker names the last batch until the next one starts; a is carried")
    }

    @Test("the single-file marker of earlier releases is read; a damaged one yields what parses")
    func formats() {
        let v1 = AnalysisMarker.parse("1 64768 12 300 1700000000000000000\n/inbox/a.txt\n")
        #expect(v1 == [.init(key: .init(device: 64768, inode: 12, size: 300, mtime: 1_700_000_000_000_000_000), attempts: 1, path: "/inbox/a.txt")])
        let torn = AnalysisMarker.parse("frontwatch-analysing 2 3\n1 1 2 3 4 /a\n2 1 5 6 7 /b c\n1 1 8")
        #expect(torn.map(\.attempts) == [1, 2] && torn.last?.path == "/b c")
        #expect(AnalysisMarker.parse("garbage").isEmpty)
    }

    @Test("a file named twice in the marker is set aside; the suspect once is read alone; the rest go through")
    func pipelineSetsAsideAndRetries() async throws {
        let f = try Fixture()
        defer { f.remove() }
        let poison = try f.put("poison.txt", "date 2024-03-05\nRussian forces intensified attacks near Kupiansk.")
        let suspect = try f.put("suspect.txt", "date 2024-03-06\nRussian forces intensified attacks near Lyman.")
        let fine = try f.put("fine.txt", sampleArticle)
        try FileManager.default.createDirectory(atPath: f.dir + "/state", withIntermediateDirectories: true)
        var marker = AnalysisMarker(stateDirectory: f.dir + "/state")
        Self.begin(&marker, [(try FileSystem.identity(of: poison), poison), (try FileSystem.identity(of: suspect), suspect)])
        marker = AnalysisMarker(stateDirectory: f.dir + "/state")
        Self.begin(&marker, [(try FileSystem.identity(of: poison), poison)])

        let outcomes = await f.pipeline().process(paths: [poison, suspect, fine])
        #expect(outcomes[0] == .rejected(reason: "analysis-crashed"))
        guard case .processed = outcomes[1], case .processed = outcomes[2] else {
            Issue.record("the suspect and the file behind it are read: \(outcomes)"); return
        }
        #expect(try f.database.status().rejected == 1)
    }

    @Test("a batch records duplicates within itself, and keeps the order of the files for the tracker")
    func batchDuplicatesAndOrder() async throws {
        let f = try Fixture()
        defer { f.remove() }
        let first = try f.put("1.txt", sampleArticle)
        let copy = try f.put("2.txt", sampleArticle)
        let later = try f.put("3.txt", "date 2024-03-07\nRussian troops intensified attacks near Kupyansk, officials said.")
        let outcomes = await f.pipeline().process(paths: [first, copy, later, first])
        guard case .processed(_, let alerts) = outcomes[0] else { Issue.record("\(outcomes)"); return }
        #expect(Set(alerts.map(\.axis)) == ["Kupiansk", "Lyman"])
        #expect(outcomes[1] == .duplicate(of: first))
        #expect(outcomes[2] == .processed(events: 1, alerts: []), "corroborates the first: it came after it")
        #expect(outcomes[3] == .alreadySeen)
        #expect(try f.database.state(axis: "Kupiansk", change: .intensified)?.corroboration == 2)
    }
}

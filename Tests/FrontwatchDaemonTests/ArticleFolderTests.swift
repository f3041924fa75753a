import Foundation
import FrontwatchDaemon
import Glibc
import Testing

@Suite("the files of a folder the daemon reads")
struct ArticleFolderTests {
    @Test func listsArticlesNotTheFolderNotesOrTempFiles() throws {
        let dir = NSTemporaryDirectory() + "fw-folder-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for name in ["b.txt", "a.txt", "notes.md", "README.md", "labels.json", "a.expected.json", ".a.txt.swp", "c.part"] {
            _ = FileManager.default.createFile(atPath: dir + "/" + name, contents: Data("date 2024-05-01\n".utf8))
        }
        let folder = ArticleFolder(path: dir + "/./", config: FrontwatchConfig())
        let listing = try folder.list()
        #expect(listing.names == ["a.txt", "b.txt", "notes.md"])
        #expect(listing.undecodable.isEmpty)
        #expect(folder.path == dir)
        #expect(folder.path(of: "a.txt") == dir + "/a.txt")
    }
}

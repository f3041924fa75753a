import Foundation
import FrontwatchSystem
import Testing

@Suite("process memory")
struct ProcessMemoryTests {
    /// A `/proc/self/status` field in kB.
    static func status(_ key: String) -> Int {
        let text = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        for line in text.split(separator: "\n") where line.hasPrefix(key + ":") {
            return Int(line.dropFirst(key.count + 1).split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? "") ?? 0
        }
        return 0
    }

    @Test("releasing start-up pages shrinks the file-backed resident set, and the program runs on unharmed")
    func releaseStartupPages() throws {
        // Touch a good deal of code first (Foundation's JSON, formatting, regex-free string work).
        let json = try JSONSerialization.data(withJSONObject: ["axis": "Kupiansk", "n": [1, 2, 3]])
        let before = Self.status("RssFile")
        let released = ProcessMemory.releaseStartupPages()
        let after = Self.status("RssFile")
        #expect(released > 0)
        #expect(after < before, "RssFile \(before) kB before, \(after) kB after")
        // Relocated constants (RELRO) were kept: type metadata, witness tables, strings still work.
        let decoded = try JSONSerialization.jsonObject(with: json) as? [String: Any]
        #expect(decoded?["axis"] as? String == "Kupiansk")
        let values: [any CustomStringConvertible] = [1, "two", 3.5, Errno(2)]
        #expect(values.map(\.description) == ["1", "two", "3.5", Errno(2).description])
    }
}

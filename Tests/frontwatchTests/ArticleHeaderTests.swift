import Foundation
import FrontwatchTestSupport
import Testing

/// Header lines as people write and paste them (`Date:`, a title first, an e-mail's RFC 2822
/// date, an ISO timestamp) and text saved as UTF-16 or UTF-32 are read by the daemon like the
/// plain `date YYYY-MM-DD` UTF-8 article; a date header that is no date is rejected and says which
/// line and why; a binary file is still rejected, named.
@Suite("article headers and encodings")
struct ArticleHeaderTests {
    static func report(_ axis: String, _ detail: String) -> String {
        "Russian forces intensified attacks in the \(axis) direction, the General Staff said. \(detail)\n"
    }

    static func utf16LE(_ text: String) -> [UInt8] {
        [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
    }

    static func utf32BE(_ text: String) -> [UInt8] {
        [0, 0, 0xFE, 0xFF] + text.unicodeScalars.flatMap { s in (0..<4).reversed().map { UInt8((s.value >> (8 * $0)) & 0xFF) } }
    }

    @Test("Date:, title before date, RFC 2822 and ISO timestamps, UTF-16LE and UTF-32 files alert with their header's date; an unreadable date and a binary file are rejected, saying why")
    func headersAndEncodings() async throws {
        try await TestJournal.ensureRunning()
        try await withTestDaemon("headers") { d in
            let process = try await d.start()
            try d.drop("Date: 2024-06-03\n" + Self.report("Kupiansk", "Shelling of villages east of the Oskil river continued."), named: "colon.txt")
            try d.drop("""
                Title: Assaults resume west of Lyman
                Source: https://example.org/lyman-update

                Date: Mon, 03 Jun 2024 07:15:00 +0300

                """ + Self.report("Lyman", "Small infantry groups moved through the forest near Terny."), named: "title-first.txt")
            try d.drop("DATE:2024-06-04T06:45:00Z\n" + Self.report("Bakhmut", "Fighting went on around the canal district."), named: "iso.txt")
            try d.drop(Self.utf16LE("title: Pressure on Avdiivka grows\r\ndate: 2024-06-05\r\n" + Self.report("Avdiivka", "Містяни ховаються в підвалах.")),
                       named: "utf16.txt")
            try d.drop(Self.utf32BE("date 2024-06-06\n" + Self.report("Vuhledar", "Armoured columns were seen on the roads to the south.")), named: "utf32.txt")
            try d.drop("Date: next Tuesday\n" + Self.report("Siversk", "Artillery duels lasted through the night."), named: "next-tuesday.txt")
            try d.drop(Array("%PDF-1.7\n".utf8) + [0, 0x9C, 0, 0, 0x13, 0xE2, 0xFF, 0, 0x47] + Array(repeating: 0, count: 64), named: "report.pdf")
            let counts = try await d.messages.waitForCounts("five read, two rejected") { $0.processed == 5 && $0.rejected == 2 }
            #expect(counts.alerts == 5, "\(counts)")

            try await journalBarrier()
            let alerts = try TestJournal.entries(["_PID=\(process.pid)", "MESSAGE_ID=\(alertMessageID)"])
            let dates = Dictionary(alerts.map { (($0["FRONTWATCH_ARTICLE"] ?? "").split(separator: "/").last.map(String.init) ?? "",
                                                 $0["FRONTWATCH_ARTICLE_DATE"] ?? "") }, uniquingKeysWith: { a, _ in a })
            #expect(dates == ["colon.txt": "2024-06-03", "title-first.txt": "2024-06-03", "iso.txt": "2024-06-04",
                              "utf16.txt": "2024-06-05", "utf32.txt": "2024-06-06"], "\(dates)")
            #expect(alerts.first { $0["FRONTWATCH_AXIS"] == "Avdiivka" }?["FRONTWATCH_EVIDENCE"]?.hasPrefix("Russian forces intensified") == true)

            let rejections = try TestJournal.entries(["_PID=\(process.pid)", "MESSAGE_ID=\(rejectedMessageID)"])
            let badDate = rejections.first { $0["FRONTWATCH_FILE"] == d.inbox + "/next-tuesday.txt" }
            #expect(badDate?["FRONTWATCH_REASON"] == "bad-header")
            #expect(badDate?["MESSAGE"]?.contains("line 1 is the date header \"Date: next Tuesday\", but that is not a date") == true,
                    "\(badDate?["MESSAGE"] ?? "no entry")")
            let binary = rejections.first { $0["FRONTWATCH_FILE"] == d.inbox + "/report.pdf" }
            #expect(binary?["FRONTWATCH_REASON"] == "binary")
            #expect(binary?["MESSAGE"]?.contains("a PDF document") == true, "\(binary?["MESSAGE"] ?? "no entry")")

            let all = try TestJournal.entries(["_PID=\(process.pid)"])
            #expect(!all.contains { $0["MESSAGE"]?.contains("no date header") == true }, "every file here has a date header")
            for (name, encoding) in [("utf16.txt", "UTF-16LE"), ("utf32.txt", "UTF-32BE")] {
                #expect(all.contains { $0["FRONTWATCH_FILE"] == d.inbox + "/" + name && $0["MESSAGE"]?.contains("decoded as \(encoding)") == true },
                        "a note that \(name) was decoded as \(encoding)")
            }
            #expect(await d.stop() == 0)
        }
    }
}

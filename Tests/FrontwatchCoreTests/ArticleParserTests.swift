import FrontwatchCore
import Testing

@Suite("article parser")
struct ArticleParserTests {
    let fallback = CalendarDay(year: 2024, month: 1, day: 10)!

    @Test func dateHeaderOnItsOwnLine() throws {
        let a = try ArticleParser.parse(text: "date 2023-07-18\nRussian forces attacked.", fallbackDate: fallback)
        #expect(a.date == CalendarDay(year: 2023, month: 7, day: 18))
        #expect(a.dateSource == .header)
        #expect(a.body == "Russian forces attacked.")
    }

    @Test func dateHeaderRunningOnIntoTheText() throws {
        let a = try ArticleParser.parse(text: " date 2023-07-18 Russia\u{2019}s forces have intensified.", fallbackDate: nil)
        #expect(a.date?.description == "2023-07-18")
        #expect(a.body == "Russia\u{2019}s forces have intensified.")
    }

    @Test func sourceAndTitleLines() throws {
        let text = "date 2024-05-20\nsource https://example.org/x\ntitle Heavy fighting\n\nBody text."
        let a = try ArticleParser.parse(text: text, fallbackDate: nil)
        #expect(a.source == "https://example.org/x")
        #expect(a.title == "Heavy fighting")
        #expect(a.body.trimmingPrefix(while: \.isWhitespace) == "Body text.")
    }

    @Test func noHeaderUsesTheFallbackDate() throws {
        let a = try ArticleParser.parse(text: "Russian forces attacked near Lyman.", fallbackDate: fallback)
        #expect(a.date == fallback)
        #expect(a.dateSource == .fileModification)
        #expect(a.bodyStart == 0)
        let none = try ArticleParser.parse(text: "Text.", fallbackDate: nil)
        #expect(none.date == nil && none.dateSource == Article.DateSource.none)
    }

    @Test func sourceLineWithoutADateHeader() throws {
        let a = try ArticleParser.parse(text: "source https://example.org/y\nRussian forces attacked.", fallbackDate: fallback)
        #expect(a.source == "https://example.org/y")
        #expect(a.dateSource == .fileModification)
        #expect(a.body == "Russian forces attacked.")
        // A body that merely starts with the word keeps it.
        let b = try ArticleParser.parse(text: "sources say little.", fallbackDate: fallback)
        #expect(b.source == nil && b.bodyStart == 0)
    }

    @Test func aWordStartingWithDateIsNotAHeader() throws {
        let a = try ArticleParser.parse(text: "dated reports say little.", fallbackDate: fallback)
        #expect(a.dateSource == .fileModification)
        #expect(a.bodyStart == 0)
    }

    @Test(arguments: ["date 2023-02-30\ntext", "date yesterday\ntext", "date 2023-7-1\ntext"])
    func badDatesAreRefused(_ text: String) {
        #expect(throws: ArticleError.self) { try ArticleParser.parse(text: text, fallbackDate: nil) }
    }

    @Test(arguments: ["Date: 2024-05-10", "DATE:2024-05-10", "date : 2024-05-10", "date 2024-05-10", "Date:\t2024-05-10 ",
                      "Date: 2024-05-10T08:30:00Z", "date: 2024-05-10t08:30:00.250+03:00", "Date: 2024-05-10 08:30",
                      "Date: 2024-05-10T23:30:00-05:00", "Date: Fri, 10 May 2024 08:30:00 +0000",
                      "Date: 10 May 2024", "date: friday, 10 may 2024 08:30 GMT", "Date: Fri, 10 May 2024 08:30:00 +0000 (UTC)"])
    func dateHeaderForms(_ line: String) throws {
        let a = try ArticleParser.parse(text: line + "\nUkrainian defenders held their positions near Vovchansk.", fallbackDate: fallback)
        #expect(a.date?.description == "2024-05-10", "\(line)")
        #expect(a.dateSource == .header)
        #expect(a.body == "Ukrainian defenders held their positions near Vovchansk.", "\(line)")
    }

    @Test func headersInAnyOrderWithBlankLinesBetween() throws {
        let text = """

            Title: Shelling eases near Kharkiv

            SOURCE: https://example.org/kharkiv-report
            date: 2024-05-10

            The shelling of northern districts eased overnight, the regional governor said.
            """
        let a = try ArticleParser.parse(text: text, fallbackDate: fallback)
        #expect(a.date?.description == "2024-05-10" && a.dateSource == .header)
        #expect(a.title == "Shelling eases near Kharkiv")
        #expect(a.source == "https://example.org/kharkiv-report")
        #expect(a.body.trimmingPrefix(while: \.isWhitespace) == "The shelling of northern districts eased overnight, the regional governor said.")
    }

    @Test func aSentenceAboutADateIsBodyText() throws {
        let a = try ArticleParser.parse(text: "Date of the attack remains unclear, officials in Sumy said.", fallbackDate: fallback)
        #expect(a.dateSource == .fileModification && a.bodyStart == 0)
        // After a title, too: the header block ends there and the sentence opens the body.
        let b = try ArticleParser.parse(text: "title Night strike\nDate of the attack remains unclear.", fallbackDate: fallback)
        #expect(b.title == "Night strike" && b.dateSource == .fileModification)
        #expect(b.body == "Date of the attack remains unclear.")
        // A header past the first non-header line is body text.
        let c = try ArticleParser.parse(text: "Fighting went on.\ndate 2024-05-10\n", fallbackDate: fallback)
        #expect(c.dateSource == .fileModification && c.bodyStart == 0)
    }

    @Test(arguments: [
        ("date: next Tuesday\ntext", "line 1 is the date header \"date: next Tuesday\", but that is not a date"),
        ("title Counterattack\n\ndate 2024-13-45\ntext", "line 3 is the date header \"date 2024-13-45\", but there is no month 13"),
        ("Date: 2023-02-30\ntext", "line 1 is the date header \"Date: 2023-02-30\", but February 2023 has 28 days, not 30"),
        ("Date: Thu, 10 May 2024 08:30:00 +0000\ntext", "but 2024-05-10 is a Friday, not a Thursday"),
        ("DATE: 10/05/2024\ntext", "but that is not a date"),
    ])
    func unreadableDatesSayWhichLineAndWhy(_ text: String, _ expected: String) {
        do {
            _ = try ArticleParser.parse(text: text, fallbackDate: fallback)
            Issue.record("\(text) was read")
        } catch {
            #expect(error.code == .badHeader)
            #expect(error.message.contains(expected), "\(error.message)")
            #expect(error.message.contains("its modification time is not used"), "\(error.message)")
        }
    }

    @Test func emptyAndBinaryFilesAreRefused() {
        #expect(throws: ArticleError(.empty, "the file holds no text: write the article into it before moving it into the watch folder")) {
            try ArticleParser.parse(text: " \n\t", fallbackDate: nil)
        }
        #expect(throws: ArticleError.self) { try ArticleParser.parse(bytes: [0x64, 0x00, 0x61], fallbackDate: nil) }
        #expect(throws: ArticleError.self) { try ArticleParser.parse(bytes: [UInt8](), fallbackDate: nil) }
    }

    @Test func theSeedFormRunsOnIntoTheBodyAfterATimestamp() throws {
        let a = try ArticleParser.parse(text: "Date: 2024-05-10 08:30 Russian forces pressed on near Pokrovsk.", fallbackDate: nil)
        #expect(a.date?.description == "2024-05-10")
        #expect(a.body == "Russian forces pressed on near Pokrovsk.")
    }

    @Test func utf16FilesAreParsed() throws {
        let text = "Title: Kharkiv\r\nDate: 2024-05-10\r\nGuided bombs hit Kharkiv overnight."
        let bytes: [UInt8] = [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let a = try ArticleParser.parse(bytes: bytes, fallbackDate: nil)
        #expect(a.encoding == .utf16LE && a.date?.description == "2024-05-10" && a.title == "Kharkiv")
        #expect(a.body == "Guided bombs hit Kharkiv overnight.")
    }

    @Test func byteOrderMarkAndWindows1251() throws {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("date 2024-02-01\nText.".utf8)
        #expect(try ArticleParser.parse(bytes: bom, fallbackDate: nil).date?.description == "2024-02-01")
        // "Бахмут" in Windows-1251.
        let cp1251: [UInt8] = Array("date 2024-02-01\nNear ".utf8) + [0xC1, 0xE0, 0xF5, 0xEC, 0xF3, 0xF2]
        let a = try ArticleParser.parse(bytes: cp1251, fallbackDate: nil)
        #expect(a.encoding == .windows1251)
        #expect(a.body.hasSuffix("Бахмут"))
    }
}

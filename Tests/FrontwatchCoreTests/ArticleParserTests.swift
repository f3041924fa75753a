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

    @Test func emptyAndBinaryFilesAreRefused() {
        #expect(throws: ArticleError(.empty, "the file holds no text: write the article into it before moving it into the watch folder")) {
            try ArticleParser.parse(text: " \n\t", fallbackDate: nil)
        }
        #expect(throws: ArticleError.self) { try ArticleParser.parse(bytes: [0x64, 0x00, 0x61], fallbackDate: nil) }
        #expect(throws: ArticleError.self) { try ArticleParser.parse(bytes: [UInt8](), fallbackDate: nil) }
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

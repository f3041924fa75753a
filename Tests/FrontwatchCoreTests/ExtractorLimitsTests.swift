import FrontwatchCore
import Testing

@Suite("extractor limits")
struct ExtractorLimitsTests {
    @Test("a line with no sentence break is read in bounded pieces")
    func longLineIsCut() throws {
        let phrase = "Russian forces intensified attacks near Kupiansk while fighting continues and "
        let text = "date 2024-01-01 " + String(repeating: phrase, count: 5_000)  // ~55,000 tokens, no break
        let article = try ArticleParser.parse(text: text, fallbackDate: nil)
        let events = TestSupport.extractor.extract(from: article)
        #expect(!events.isEmpty)
        for e in events {
            #expect(e.end - e.start <= Extractor.maxSentenceTokens * 20, "evidence spans \(e.end - e.start) bytes")
            #expect(e.evidence.utf8.count == e.end - e.start)
        }
        // Every piece is read: events come from the whole line, not just its start.
        #expect((events.map(\.start).max() ?? 0) > text.utf8.count / 2)
    }
}

@Suite("extractor robustness")
struct ExtractorRobustnessTests {
    /// Found by the fuzzer: a four-character number token holding an apostrophe ("72'2") made
    /// the year check subtract past zero and trap.
    @Test(arguments: ["in 72'2.", "in 2'02.", "on 1'2 May", "at 7'22 local time."])
    func numbersWithApostrophesDoNotTrap(_ tail: String) throws {
        let text = "date 2024-09-06\nRussian troops intensified attacks in the Pokrovsk direction " + tail + "\n"
        let article = try ArticleParser.parse(text: text, fallbackDate: nil)
        let events = TestSupport.extractor.extract(from: article)
        #expect(events.map(\.axis) == ["Pokrovsk"])
    }

    /// Found by the fuzzer: a two-word cue ("pause in") that runs across a paragraph break ends
    /// past its sentence, and the comparison check built a range backwards and trapped.
    @Test func cueAcrossAParagraphBreakDoesNotTrap() throws {
        let text = "date 2022-04-03\n\nRussian units resumed their assault on the Azovstal works in Mariupol after a short pause\n\n"
            + "In the south, fighting went on near Kherson, the city council said.\n"
        let article = try ArticleParser.parse(text: text, fallbackDate: nil)
        let events = TestSupport.extractor.extract(from: article)
        #expect(events.map(\.axis).contains("Mariupol"))
    }
}

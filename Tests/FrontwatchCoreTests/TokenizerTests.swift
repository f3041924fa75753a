import FrontwatchCore
import Testing

@Suite("tokenizer")
struct TokenizerTests {
    func tokens(_ text: String) -> [Token] {
        var tokens: [Token] = []
        Tokenizer.tokenize(Array(text.utf8), into: &tokens)
        return tokens
    }

    @Test func wordsNumbersAndMarksWithByteOffsets() {
        let text = "Russia's forces, near Kupiansk: 12 attacks."
        let t = tokens(text)
        #expect(t.map(\.kind) == [.word, .word, .comma, .word, .word, .colon, .number, .word, .period])
        let bytes = Array(text.utf8)
        #expect(t.map { String(decoding: bytes[Int($0.start)..<Int($0.end)], as: UTF8.self) }
                == ["Russia's", "forces", ",", "near", "Kupiansk", ":", "12", "attacks", "."])
        #expect(t[0].capitalized && !t[1].capitalized)
    }

    @Test(arguments: [("Kup'yansk", "Kupyansk"), ("Kup\u{2019}yansk", "KUPYANSK"), ("Russia\u{2019}s", "russias"),
                      ("Мар'їнка", "МАРЇНКА"), ("Бахмут", "бахмут"), ("Zaporizhzhia", "zaporizhzhia")])
    func spellingsThatNormaliseAlike(_ a: String, _ b: String) {
        #expect(Tokenizer.key(a) == Tokenizer.key(b))
    }

    @Test func differentWordsHaveDifferentKeys() {
        #expect(Tokenizer.key("Lyman") != Tokenizer.key("Liman"))
        #expect(Tokenizer.keys("Chasiv Yar").count == 2)
    }

    @Test func dashesQuotesAndLineBreaks() {
        let t = tokens("Lyman\u{2013}Kupiansk\n\n\u{201C}The enemy\u{201D}")
        #expect(t.map(\.kind) == [.word, .dash, .word, .quote, .word, .word, .quote])
        #expect(t[3].newlinesBefore == 2)
        #expect(t[4].newlinesBefore == 0)
    }

    @Test func multibyteOffsetsPointIntoTheUTF8Text() {
        let text = "Бои у Часів Яр."
        let t = tokens(text)
        let bytes = Array(text.utf8)
        #expect(String(decoding: bytes[Int(t[2].start)..<Int(t[2].end)], as: UTF8.self) == "Часів")
        #expect(t.last?.kind == .period)
        #expect(t[0].capitalized)
    }

    @Test func reusesTheBufferAndClearsIt() {
        var buffer: [Token] = []
        Tokenizer.tokenize(Array("one two three".utf8), into: &buffer)
        Tokenizer.tokenize(Array("four".utf8), into: &buffer)
        #expect(buffer.count == 1)
    }
}

import FrontwatchCore
import Testing

@Suite("text encodings")
struct TextEncodingTests {
    @Test func utf8IsTakenAsIs() throws {
        let (text, encoding) = try TextEncoding.decode(Array("Бахмут, Kupiansk — día".utf8))
        #expect(encoding == .utf8)
        #expect(text == "Бахмут, Kupiansk — día")
    }

    @Test func cyrillicInWindows1251IsRecognised() throws {
        // "Бои под Бахмутом." in Windows-1251.
        let bytes: [UInt8] = [0xC1, 0xEE, 0xE8, 0x20, 0xEF, 0xEE, 0xE4, 0x20, 0xC1, 0xE0, 0xF5, 0xEC, 0xF3, 0xF2, 0xEE, 0xEC, 0x2E]
        let (text, encoding) = try TextEncoding.decode(bytes)
        #expect(encoding == .windows1251)
        #expect(text == "Бои под Бахмутом.")
    }

    @Test func accentedLatin1IsNotMistakenForCyrillic() throws {
        // "Les forces russes ont intensifié leurs attaques près de Koupiansk, selon Kyïv." in Latin-1.
        let text = "Les forces russes ont intensifi\u{E9} leurs attaques pr\u{E8}s de Koupiansk, selon Ky\u{EF}v."
        let bytes = text.unicodeScalars.map { UInt8($0.value) }
        let (decoded, encoding) = try TextEncoding.decode(bytes)
        #expect(encoding == .latin1)
        #expect(decoded == text)
    }

    @Test func nulBytesMeanBinary() {
        #expect(throws: ArticleError.self) { try TextEncoding.decode([0x64, 0x00, 0x65]) }
    }
}

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

    static let text = "Date: 2024-05-10\nЗСУ відбили атаки біля Часового Яру — Ukrainian forces held near Chasiv Yar. 🇺🇦\n"

    static func utf16(_ text: String, bigEndian: Bool) -> [UInt8] {
        text.utf16.flatMap { bigEndian ? [UInt8($0 >> 8), UInt8($0 & 0xFF)] : [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
    }

    static func utf32(_ text: String, bigEndian: Bool) -> [UInt8] {
        text.unicodeScalars.flatMap { s -> [UInt8] in
            let le = (0..<4).map { UInt8((s.value >> (8 * $0)) & 0xFF) }
            return bigEndian ? le.reversed() : le
        }
    }

    @Test(arguments: [
        ([0xFF, 0xFE] + utf16(text, bigEndian: false), TextEncoding.utf16LE),
        ([0xFE, 0xFF] + utf16(text, bigEndian: true), .utf16BE),
        ([0xFF, 0xFE, 0, 0] + utf32(text, bigEndian: false), .utf32LE),
        ([0, 0, 0xFE, 0xFF] + utf32(text, bigEndian: true), .utf32BE),
    ])
    func wideTextWithAByteOrderMark(_ bytes: [UInt8], _ encoding: TextEncoding) throws {
        let (decoded, found) = try TextEncoding.decode(bytes)
        #expect(found == encoding)
        #expect(decoded == Self.text, "the mark is not part of the text")
    }

    @Test(arguments: [false, true])
    func utf16WithoutAByteOrderMarkByItsNULs(_ bigEndian: Bool) throws {
        let text = "date 2024-05-10\nRussian troops stepped up assaults near Toretsk, the brigade's spokesman said.\n"
        let (decoded, found) = try TextEncoding.decode(Self.utf16(text, bigEndian: bigEndian))
        #expect(found == (bigEndian ? .utf16BE : .utf16LE))
        #expect(decoded == text)
        let (wide, wideFound) = try TextEncoding.decode(Self.utf32(text, bigEndian: bigEndian))
        #expect(wideFound == (bigEndian ? .utf32BE : .utf32LE) && wide == text)
    }

    @Test func brokenUTF16IsUndecodableAndSaysSo() {
        // A lone high surrogate, and a cut-off last unit.
        #expect(throws: ArticleError(.undecodable, "the file reads as UTF-16LE by its byte-order mark, but byte 4 holds a lone surrogate (half of a character): save it again as UTF-8 (or as UTF-16LE with nothing cut off)")) {
            try TextEncoding.decode([0xFF, 0xFE, 0x41, 0x00, 0x3D, 0xD8, 0x41, 0x00])
        }
        #expect(throws: ArticleError.self) { try TextEncoding.decode([0xFF, 0xFE, 0x41, 0x00, 0x42]) }
    }

    @Test func binaryIsStillBinaryAndNamed() {
        func message(_ bytes: [UInt8]) -> String? {
            do { _ = try TextEncoding.decode(bytes); return nil } catch { return error.code == .binary ? error.message : "not binary: \(error)" }
        }
        var zip: [UInt8] = Array("PK\u{3}\u{4}".utf8) + [0x14, 0, 0, 0, 8, 0]
        zip += (0..<2000).map { UInt8(truncatingIfNeeded: $0 &* 151 &+ 7) }
        #expect(message(zip)?.contains("a ZIP archive, which is what .docx") == true, "\(message(zip) ?? "")")
        let elf: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0] + [UInt8](repeating: 0, count: 56)
        #expect(message(elf)?.contains("(an ELF program or library)") == true)
        let unknown: [UInt8] = (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 197 &+ 31) }
        #expect(message(unknown)?.hasPrefix("the file contains NUL bytes (the first at byte ") == true, "\(message(unknown) ?? "")")
        // UTF-16 that decodes to NUL characters is binary too.
        #expect(message([0xFF, 0xFE, 0x41, 0x00, 0x00, 0x00])?.contains("holds NUL characters") == true)
    }
}

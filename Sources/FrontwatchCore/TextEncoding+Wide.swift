/// UTF-16 and UTF-32, and naming what a binary file is.
extension TextEncoding {
    /// The encoding a byte-order mark at the start names, and the mark's length. UTF-32LE's
    /// mark begins with UTF-16LE's, so it is looked for first.
    static func byteOrderMark(_ b: UnsafeBufferPointer<UInt8>) -> (TextEncoding, Int)? {
        if b.count >= 4, b[0] == 0xFF, b[1] == 0xFE, b[2] == 0, b[3] == 0 { return (.utf32LE, 4) }
        if b.count >= 4, b[0] == 0, b[1] == 0, b[2] == 0xFE, b[3] == 0xFF { return (.utf32BE, 4) }
        if b.count >= 2, b[0] == 0xFF, b[1] == 0xFE { return (.utf16LE, 2) }
        if b.count >= 2, b[0] == 0xFE, b[1] == 0xFF { return (.utf16BE, 2) }
        return nil
    }

    /// Bytes that held a NUL: UTF-16 or UTF-32 without a byte-order mark, when the NULs fall
    /// where mostly-ASCII text puts them; else binary, named when its signature is known.
    static func decodeWithNUL(_ bytes: UnsafeBufferPointer<UInt8>) throws(ArticleError) -> (String, TextEncoding) {
        if let encoding = wideByNULPattern(bytes) {
            return try decodeWide(bytes, from: 0, as: encoding, how: "by the pattern of its NUL bytes (it has no byte-order mark)")
        }
        let first = bytes.firstIndex(of: 0) ?? 0
        throw ArticleError(.binary, "the file contains NUL bytes (the first at byte \(first)), not in the pattern of UTF-16 or UTF-32 text: it is binary\(kind(bytes).map { " (\($0))" } ?? ""), not an article; only text files are read")
    }

    /// The rejection of bytes that are mostly control characters.
    static func mostlyControls(_ bytes: UnsafeBufferPointer<UInt8>) -> ArticleError {
        ArticleError(.binary, "the file is mostly control bytes: it is binary\(kind(bytes).map { " (\($0))" } ?? ""), not an article; only text files are read")
    }

    static func isControl(_ b: UInt8) -> Bool {
        b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D && b != 0x0C
    }

    /// UTF-16 or UTF-32 by where the NULs stand in the first 4 KiB: in mostly-ASCII text every
    /// Latin letter has NULs in its unit's high bytes, and the low byte is almost never one.
    static func wideByNULPattern(_ b: UnsafeBufferPointer<UInt8>) -> TextEncoding? {
        let sample = min(b.count, 4096) & ~3
        guard sample >= 4 else { return nil }
        var zeros = (0, 0, 0, 0)
        for i in stride(from: 0, to: sample, by: 4) {
            if b[i] == 0 { zeros.0 += 1 }
            if b[i + 1] == 0 { zeros.1 += 1 }
            if b[i + 2] == 0 { zeros.2 += 1 }
            if b[i + 3] == 0 { zeros.3 += 1 }
        }
        let units = sample / 4
        func most(_ n: Int) -> Bool { n * 2 >= units }
        func all(_ n: Int) -> Bool { n * 50 >= units * 49 }
        func few(_ n: Int) -> Bool { n * 50 <= units }
        if b.count % 4 == 0 {
            if few(zeros.0), most(zeros.1), all(zeros.2), all(zeros.3) { return .utf32LE }
            if all(zeros.0), all(zeros.1), most(zeros.2), few(zeros.3) { return .utf32BE }
        }
        guard b.count % 2 == 0 else { return nil }
        if few(zeros.0), few(zeros.2), most(zeros.1), most(zeros.3) { return .utf16LE }
        if most(zeros.0), most(zeros.2), few(zeros.1), few(zeros.3) { return .utf16BE }
        return nil
    }

    /// Decodes UTF-16 or UTF-32 from `start`, strictly: a lone surrogate, a value that is no
    /// character or a cut-off unit is an error, and so is text that is binary once decoded.
    static func decodeWide(_ b: UnsafeBufferPointer<UInt8>, from start: Int, as encoding: TextEncoding,
                           how: String) throws(ArticleError) -> (String, TextEncoding) {
        let width = encoding == .utf32LE || encoding == .utf32BE ? 4 : 2
        let bigEndian = encoding == .utf16BE || encoding == .utf32BE
        func unit(_ i: Int) -> UInt32 {
            var value: UInt32 = 0
            for k in 0..<width {
                let byte = UInt32(b[bigEndian ? i + k : i + width - 1 - k])
                value = value << 8 | byte
            }
            return value
        }
        func undecodable(_ what: String) -> ArticleError {
            ArticleError(.undecodable, "the file reads as \(encoding.rawValue) \(how), but \(what): save it again as UTF-8 (or as \(encoding.rawValue) with nothing cut off)")
        }
        var utf8: [UInt8] = []
        utf8.reserveCapacity((b.count - start) / width * 3 / 2)
        var controls = 0
        var i = start
        while i + width <= b.count {
            var value = unit(i)
            if width == 2, (0xD800...0xDBFF).contains(value) {
                guard i + 4 <= b.count, case let low = unit(i + 2), (0xDC00...0xDFFF).contains(low) else {
                    throw undecodable("byte \(i) holds a lone surrogate (half of a character)")
                }
                value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                i += 2
            }
            guard let scalar = Unicode.Scalar(value) else {
                throw undecodable("byte \(i) holds \(String(value, radix: 16, uppercase: true)), which is no character")
            }
            if value == 0 {
                throw ArticleError(.binary, "the file reads as \(encoding.rawValue) \(how), but holds NUL characters (the first at byte \(i)): it is binary, not an article; only text files are read")
            }
            if value < 0x20, isControl(UInt8(value)) { controls += 1 }
            UTF8.encode(scalar) { utf8.append($0) }
            i += width
        }
        if i != b.count { throw undecodable("it ends with \(b.count - i) bytes that are not a whole \(width)-byte unit") }
        if controls * 20 > (b.count - start) / width {
            throw ArticleError(.binary, "the file reads as \(encoding.rawValue) \(how), but is mostly control characters: it is binary, not an article; only text files are read")
        }
        return (String(decoding: utf8, as: UTF8.self), encoding)
    }

    /// What a binary file is, by its first bytes (a word processor's file, an archive, a
    /// program), so that its rejection says what to do; nil when the signature is not known.
    static func kind(_ b: UnsafeBufferPointer<UInt8>) -> String? {
        let signatures: [([UInt8], String)] = [
            (Array("PK\u{3}\u{4}".utf8), "a ZIP archive, which is what .docx, .odt and .epub documents are: save it as plain text"),
            ([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1], "a Microsoft Office document (.doc): save it as plain text"),
            (Array("%PDF".utf8), "a PDF document: copy its text into a text file"),
            (Array("{\\rtf".utf8), "an RTF document: save it as plain text"),
            ([0x7F, 0x45, 0x4C, 0x46], "an ELF program or library"),
            ([0x1F, 0x8B], "gzip-compressed: unpack it with gunzip"),
            (Array("SQLite format 3\u{0}".utf8), "an SQLite database"),
            ([0x89, 0x50, 0x4E, 0x47], "a PNG image"),
            ([0xFF, 0xD8, 0xFF], "a JPEG image"),
            (Array("GIF8".utf8), "a GIF image"),
        ]
        return signatures.first { b.starts(with: $0.0) }?.1
    }
}

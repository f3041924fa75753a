/// The encodings frontwatch accepts for article files.
public enum TextEncoding: String, Sendable, Codable {
    case utf8 = "UTF-8"
    case windows1251 = "windows-1251"
    case latin1 = "ISO-8859-1"
    case utf16LE = "UTF-16LE"
    case utf16BE = "UTF-16BE"
    case utf32LE = "UTF-32LE"
    case utf32BE = "UTF-32BE"

    /// Decodes article bytes: UTF-16 or UTF-32 when a byte-order mark says so, or when the NUL
    /// bytes fall in the pattern of mostly-ASCII UTF-16 or UTF-32 (a NUL beside every Latin
    /// letter); else UTF-8 when valid (a UTF-8 byte-order mark stays in the text, so offsets are
    /// the file's, and the parser skips it), else Windows-1251 when the bytes look like Cyrillic
    /// text, else Latin-1. Anything else with NUL bytes, or mostly control bytes, is binary.
    public static func decode(_ bytes: some Collection<UInt8>) throws(ArticleError) -> (String, TextEncoding) {
        // The fast path: a file's bytes come as an `Array`, contiguous. Through the generic
        // `Collection` every byte cost a witness call (about an eighth of an article's time).
        let contiguous = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(ArticleError) in try decode(buffer: buffer) }
        }
        if let contiguous { return try contiguous.get() }
        return try Array(bytes).withUnsafeBufferPointer { buffer throws(ArticleError) in try decode(buffer: buffer) }
    }

    static func decode(buffer bytes: UnsafeBufferPointer<UInt8>) throws(ArticleError) -> (String, TextEncoding) {
        if let (encoding, bomLength) = byteOrderMark(bytes) {
            return try decodeWide(bytes, from: bomLength, as: encoding, how: "by its byte-order mark")
        }
        var controls = 0
        var high = 0
        var clustered = 0
        var previousHigh = false
        var previousCounted = false
        for b in bytes {
            if b >= 0x20 && b < 0x80 {
                previousHigh = false
                continue
            }
            if b == 0 { return try decodeWithNUL(bytes) }
            if isControl(b) { controls += 1 }
            let isHigh = b >= 0x80
            if isHigh {
                high += 1
                // Count bytes that stand next to another high byte; the first of a pair is
                // counted when the second arrives.
                if previousHigh {
                    clustered += previousCounted ? 1 : 2
                    previousCounted = true
                } else {
                    previousCounted = false
                }
            }
            previousHigh = isHigh
        }
        if controls * 20 > bytes.count { throw mostlyControls(bytes) }
        if high == 0 {
            return (String(decoding: bytes, as: UTF8.self), .utf8)
        }
        if let text = String(validating: bytes, as: UTF8.self) {
            return (text, .utf8)
        }
        // In Windows-1251 every Cyrillic letter is a high byte, so high bytes come in runs (whole
        // words); in Latin-1 text they are accents standing alone among ASCII letters.
        if clustered * 2 >= high {
            var scalars = String.UnicodeScalarView()
            for b in bytes { scalars.append(windows1251Scalar(b)) }
            return (String(scalars), .windows1251)
        }
        var scalars = String.UnicodeScalarView()
        for b in bytes { scalars.append(Unicode.Scalar(b)) }
        return (String(scalars), .latin1)
    }

    static func windows1251Scalar(_ b: UInt8) -> Unicode.Scalar {
        switch b {
        case 0..<0x80: return Unicode.Scalar(b)
        case 0xC0...0xFF: return Unicode.Scalar(UInt32(b) - 0xC0 + 0x410)!
        case 0xA8: return "\u{401}"
        case 0xB8: return "\u{451}"
        case 0xAA: return "\u{404}"
        case 0xBA: return "\u{454}"
        case 0xAF: return "\u{407}"
        case 0xBF: return "\u{457}"
        case 0xB2: return "\u{406}"
        case 0xB3: return "\u{456}"
        case 0xA5: return "\u{490}"
        case 0xB4: return "\u{491}"
        case 0x92: return "\u{2019}"
        case 0x91: return "\u{2018}"
        case 0x93: return "\u{201C}"
        case 0x94: return "\u{201D}"
        case 0x96: return "\u{2013}"
        case 0x97: return "\u{2014}"
        case 0xAB: return "\u{AB}"
        case 0xBB: return "\u{BB}"
        case 0xA0: return "\u{A0}"
        case 0xB9: return "\u{2116}"
        default: return "\u{FFFD}"
        }
    }
}

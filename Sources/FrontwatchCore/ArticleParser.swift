/// Reads the header of a dated report and hands back an `Article`.
///
/// The format: the first non-blank characters may be `date YYYY-MM-DD`, followed by a newline
/// or directly by the text on the same line. Header lines `source ...` and `title ...` may follow,
/// one per line. Everything after the headers is the body.
public enum ArticleParser {
    /// Parses already decoded text. `fallbackDate` (the file's modification day) is used, and
    /// marked as such, when there is no date header.
    public static func parse(text: String, fallbackDate: CalendarDay?,
                             encoding: TextEncoding = .utf8) throws(ArticleError) -> Article {
        let utf8 = Array(text.utf8)
        var i = 0
        skipBlank(utf8, &i)
        if i == utf8.count {
            throw ArticleError(.empty, "the file holds no text: write the article into it before moving it into the watch folder")
        }
        var date: CalendarDay?
        var source: String?
        var title: String?

        if hasKeyword(utf8, i, "date") {
            var j = i + 4
            skipSpaces(utf8, &j)
            let dateStart = j
            while j < utf8.count, j - dateStart < 10, utf8[j] != 0x0A, utf8[j] != 0x20, utf8[j] != 0x09, utf8[j] != 0x0D { j += 1 }
            let candidate = String(decoding: utf8[dateStart..<j], as: UTF8.self)
            guard let parsed = CalendarDay(iso: candidate) else {
                let shown = String(decoding: utf8[dateStart..<min(utf8.count, dateStart + 20)], as: UTF8.self)
                    .split(separator: "\n").first.map(String.init) ?? ""
                throw ArticleError(.badHeader, "the date header reads \"date \(shown)\", expected \"date YYYY-MM-DD\" with a real calendar date")
            }
            date = parsed
            i = j
            skipSpaces(utf8, &i)
            if i < utf8.count, utf8[i] == 0x0D { i += 1 }
            if i < utf8.count, utf8[i] == 0x0A {
                i += 1
                // Optional header lines follow a date line that ended with a newline.
                readHeaderLines(utf8, &i, source: &source, title: &title)
            }
        } else {
            // No date: `source` and `title` lines may still open the file.
            var j = i
            readHeaderLines(utf8, &j, source: &source, title: &title)
            if source != nil || title != nil { i = j }
        }
        let dateSource: Article.DateSource = date != nil ? .header : (fallbackDate != nil ? .fileModification : .none)
        return Article(text: text, bodyStart: i, date: date ?? fallbackDate, dateSource: dateSource,
                       source: source, title: title, encoding: encoding)
    }

    /// Decodes raw file bytes (see `TextEncoding.decode`) and parses them.
    public static func parse(bytes: some Collection<UInt8>, fallbackDate: CalendarDay?) throws(ArticleError) -> Article {
        if bytes.isEmpty {
            throw ArticleError(.empty, "the file is empty: write the article into it before moving it into the watch folder")
        }
        let (text, encoding) = try TextEncoding.decode(bytes)
        return try parse(text: text, fallbackDate: fallbackDate, encoding: encoding)
    }

    private static func readHeaderLines(_ utf8: [UInt8], _ i: inout Int, source: inout String?, title: inout String?) {
        while true {
            if hasKeyword(utf8, i, "source") {
                source = restOfLine(utf8, &i, after: 6)
            } else if hasKeyword(utf8, i, "title") {
                title = restOfLine(utf8, &i, after: 5)
            } else {
                break
            }
        }
    }

    private static func isBlank(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0C
    }

    private static func skipBlank(_ s: [UInt8], _ i: inout Int) {
        // A byte-order mark counts as blank too.
        if i + 2 < s.count, s[i] == 0xEF, s[i + 1] == 0xBB, s[i + 2] == 0xBF { i += 3 }
        while i < s.count, isBlank(s[i]) { i += 1 }
    }

    private static func skipSpaces(_ s: [UInt8], _ i: inout Int) {
        while i < s.count, s[i] == 0x20 || s[i] == 0x09 { i += 1 }
    }

    /// True when `keyword` stands at `i`, case-insensitively, followed by a space or tab.
    private static func hasKeyword(_ s: [UInt8], _ i: Int, _ keyword: StaticString) -> Bool {
        let count = keyword.utf8CodeUnitCount
        guard i + count < s.count else { return false }
        let k = keyword.utf8Start
        for n in 0..<count where s[i + n] | 0x20 != k[n] {
            return false
        }
        return s[i + count] == 0x20 || s[i + count] == 0x09
    }

    private static func restOfLine(_ s: [UInt8], _ i: inout Int, after keyword: Int) -> String {
        var j = i + keyword
        skipSpaces(s, &j)
        let start = j
        while j < s.count, s[j] != 0x0A { j += 1 }
        var end = j
        while end > start, isBlank(s[end - 1]) { end -= 1 }
        i = min(j + 1, s.count)
        return String(decoding: s[start..<end], as: UTF8.self)
    }
}

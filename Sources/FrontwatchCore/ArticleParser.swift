/// Reads the header of a dated report and hands back an `Article`.
///
/// The format: header lines at the top of the file, in any order, blank lines between them
/// allowed: `date`, `title` and `source`, any case, the key followed by a colon or a space
/// (`date 2024-05-10`, `Date: 2024-05-10`, `DATE:2024-05-10`, `title: ...`). A date is
/// `YYYY-MM-DD`, an ISO 8601 timestamp or an RFC 2822 date (see `HeaderDate`); text may follow it
/// on the same line (`date 2023-07-18 Russia's forces ...`), and is then the start of the body.
/// The header block ends at the first line that is not a header; everything after it is the body.
public enum ArticleParser {
    /// Header parsing looks at this many lines at most (blank ones included): it stays cheap
    /// whatever the file holds.
    static let maxHeaderLines = 32

    /// The header keys.
    private enum Key: CaseIterable {
        case date, source, title

        var word: StaticString {
            switch self {
            case .date: "date"
            case .source: "source"
            case .title: "title"
            }
        }
    }

    /// Parses already decoded text. `fallbackDate` (the file's modification day) is used, and
    /// marked as such, when there is no date header; a date header whose value is not a date is
    /// an error (`.badHeader`), not a reason to fall back.
    public static func parse(text: String, fallbackDate: CalendarDay?,
                             encoding: TextEncoding = .utf8) throws(ArticleError) -> Article {
        // A native string's bytes are read in place (no copy of the article for its headers).
        let read = text.utf8.withContiguousStorageIfAvailable { buffer in
            Result { () throws(ArticleError) in try readHeaders(buffer) }
        } ?? Array(text.utf8).withUnsafeBufferPointer { buffer in
            Result { () throws(ArticleError) in try readHeaders(buffer) }
        }
        let headers = try read.get()
        let dateSource: Article.DateSource = headers.date != nil ? .header : (fallbackDate != nil ? .fileModification : .none)
        return Article(text: text, bodyStart: headers.bodyStart, date: headers.date ?? fallbackDate, dateSource: dateSource,
                       source: headers.source, title: headers.title, encoding: encoding)
    }

    /// Decodes raw file bytes (see `TextEncoding.decode`) and parses them.
    public static func parse(bytes: some Collection<UInt8>, fallbackDate: CalendarDay?) throws(ArticleError) -> Article {
        if bytes.isEmpty {
            throw ArticleError(.empty, "the file is empty: write the article into it before moving it into the watch folder")
        }
        let (text, encoding) = try TextEncoding.decode(bytes)
        return try parse(text: text, fallbackDate: fallbackDate, encoding: encoding)
    }

    private struct Headers {
        var bodyStart = 0
        var date: CalendarDay?
        var source: String?
        var title: String?
    }

    private static func readHeaders(_ s: UnsafeBufferPointer<UInt8>) throws(ArticleError) -> Headers {
        // A byte-order mark is skipped with the blank space before the first line.
        let textStart = s.count >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF ? 3 : 0
        var i = textStart
        while i < s.count, isBlank(s[i]) { i += 1 }
        if i == s.count {
            throw ArticleError(.empty, "the file holds no text: write the article into it before moving it into the watch folder")
        }
        var headers = Headers(bodyStart: i)
        // Lines are taken from the start of the first non-blank one.
        var lineStart = i
        while lineStart > textStart, s[lineStart - 1] != 0x0A { lineStart -= 1 }
        var lines = 0
        lines: while lineStart < s.count, lines < maxHeaderLines {
            lines += 1
            var lineEnd = lineStart
            while lineEnd < s.count, s[lineEnd] != 0x0A { lineEnd += 1 }
            let next = min(lineEnd + 1, s.count)
            var start = lineStart
            skipSpaces(s, &start, lineEnd)
            var end = lineEnd
            while end > start, isBlank(s[end - 1]) { end -= 1 }
            if start == end {
                lineStart = next
                continue
            }
            guard let (key, colon, valueStart) = key(s, start, end) else { break lines }
            switch key {
            case .source, .title:
                let value = valueStart < end ? String(decoding: s[valueStart..<end], as: UTF8.self) : nil
                if key == .source { headers.source = value } else { headers.title = value }
            case .date:
                switch HeaderDate.read(s, from: valueStart, to: end) {
                case .date(let day, let dateEnd):
                    if headers.date == nil { headers.date = day }
                    var rest = dateEnd
                    skipSpaces(s, &rest, end)
                    if rest < end {
                        // The text runs on after the date: the body starts there.
                        headers.bodyStart = rest
                        return headers
                    }
                case .invalid(let why):
                    throw badDate(s, lineStart: lineStart, start: start, end: end, why: why)
                case .notADate:
                    // "Date of the attack remains unclear" opens a body; "date: next Tuesday",
                    // "date 2023-7-1" and "date tomorrow" are headers that went wrong.
                    let oneWord = !s[valueStart..<end].contains(0x20)
                    guard colon || oneWord || (valueStart < end && HeaderDate.isDigit(s[valueStart])) else { break lines }
                    throw badDate(s, lineStart: lineStart, start: start, end: end, why: "that is not a date")
                }
            }
            headers.bodyStart = next
            lineStart = next
        }
        return headers
    }

    /// The key at `start`, case-insensitively, then a colon (spaces around it allowed) or at
    /// least one space; returns where the value starts.
    private static func key(_ s: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> (Key, colon: Bool, valueStart: Int)? {
        for key in Key.allCases {
            let word = key.word
            let count = word.utf8CodeUnitCount
            guard start + count < end else { continue }
            let k = word.utf8Start
            guard (0..<count).allSatisfy({ s[start + $0] | 0x20 == k[$0] }) else { continue }
            var j = start + count
            skipSpaces(s, &j, end)
            if j < end, s[j] == UInt8(ascii: ":") {
                j += 1
                skipSpaces(s, &j, end)
                return (key, true, j)
            }
            if j > start + count { return (key, false, j) }
        }
        return nil
    }

    private static func badDate(_ s: UnsafeBufferPointer<UInt8>, lineStart: Int, start: Int, end: Int, why: String) -> ArticleError {
        let line = 1 + s[0..<lineStart].count(where: { $0 == 0x0A })
        var shown = String(decoding: s[start..<min(end, start + 80)], as: UTF8.self)
        if end > start + 80 { shown += "…" }
        return ArticleError(.badHeader, "line \(line) is the date header \"\(shown)\", but \(why): write the day the report speaks for as \(HeaderDate.forms). The file is not read (its modification time is not used in place of a date it states): fix the date and it is read")
    }

    private static func isBlank(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0C
    }

    private static func skipSpaces(_ s: UnsafeBufferPointer<UInt8>, _ i: inout Int, _ end: Int) {
        while i < end, s[i] == 0x20 || s[i] == 0x09 { i += 1 }
    }
}

/// Reads the value of a `date` header: `YYYY-MM-DD`, an ISO 8601 timestamp
/// (`2024-05-10T08:30:00Z`, `2024-05-10 08:30`) or an RFC 2822 date
/// (`Fri, 10 May 2024 08:30:00 +0000`, the weekday optional).
///
/// The calendar date is taken as written: a time and a zone are read past but not applied, so
/// `2024-05-10T23:30:00-05:00` is 2024-05-10 (the day the writer dated it), not 2024-05-11 UTC.
enum HeaderDate {
    /// What a header value came to.
    enum Reading: Equatable {
        /// A date; `end` is the byte offset after it and any time and zone that follow.
        case date(CalendarDay, end: Int)
        /// It has the shape of a date, but not a real one; the reason says what is wrong.
        case invalid(String)
        /// Not a date in any form read here.
        case notADate
    }

    /// The forms accepted, for messages.
    static let forms = "YYYY-MM-DD (2024-05-10), an ISO 8601 timestamp (2024-05-10T08:30:00Z) or an RFC 2822 date (Fri, 10 May 2024 08:30:00 +0000)"

    static let monthNames = ["january", "february", "march", "april", "may", "june", "july", "august",
                             "september", "october", "november", "december"]
    static let weekdayNames = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]

    /// Reads a date at `start` in `s` (up to `end`, the end of the line).
    static func read(_ s: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Reading {
        var i = start
        if let (y, m, d) = isoDate(s, &i, end) {
            guard let day = day(y, m, d) else { return .invalid(impossible(y, m, d)) }
            // The time after a `T` or a space, when one is there.
            if i + 1 < end, s[i] == UInt8(ascii: "T") || s[i] == UInt8(ascii: "t") || s[i] == 0x20, isDigit(s[i + 1]) {
                var t = i + 1
                skipTime(s, &t, end)
                if t > i + 1 { i = t }
            }
            return .date(day, end: i)
        }
        return rfc2822(s, from: start, to: end)
    }

    /// `Fri, 10 May 2024 08:30:00 +0000`: weekday (optional, checked), day, month name, year.
    private static func rfc2822(_ s: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Reading {
        var i = start
        var weekday: Int?
        if let word = word(s, &i, end) {
            guard let w = index(of: word, in: weekdayNames) else { return .notADate }
            weekday = w
            if i < end, s[i] == UInt8(ascii: ",") { i += 1 }
            skipSpaces(s, &i, end)
        }
        guard let d = number(s, &i, end, digits: 1...2) else { return .notADate }
        skipSpaces(s, &i, end)
        guard let monthWord = word(s, &i, end), let m = index(of: monthWord, in: monthNames) else { return .notADate }
        skipSpaces(s, &i, end)
        guard let y = number(s, &i, end, digits: 4...4) else { return .notADate }
        guard let day = day(y, m + 1, d) else { return .invalid(impossible(y, m + 1, d)) }
        if let weekday, weekday != day.weekday {
            return .invalid("\(day) is a \(weekdayNames[day.weekday].capitalized), not a \(weekdayNames[weekday].capitalized)")
        }
        let afterYear = i
        skipSpaces(s, &i, end)
        if i < end, isDigit(s[i]) { skipTime(s, &i, end) } else { i = afterYear }
        return .date(day, end: i)
    }

    /// `YYYY-MM-DD`, leaving `i` after it.
    private static func isoDate(_ s: UnsafeBufferPointer<UInt8>, _ i: inout Int, _ end: Int) -> (Int, Int, Int)? {
        var j = i
        guard let y = number(s, &j, end, digits: 4...4), skip("-", s, &j, end),
              let m = number(s, &j, end, digits: 2...2), skip("-", s, &j, end),
              let d = number(s, &j, end, digits: 2...2)
        else { return nil }
        i = j
        return (y, m, d)
    }

    /// Skips `HH:MM[:SS[.fff]]` and a zone (`Z`, `+03:00`, `+0000`, `UTC`, `GMT`, `(comment)`),
    /// when they are there; `i` stays put otherwise.
    private static func skipTime(_ s: UnsafeBufferPointer<UInt8>, _ i: inout Int, _ end: Int) {
        var j = i
        guard number(s, &j, end, digits: 1...2) != nil, skip(":", s, &j, end),
              number(s, &j, end, digits: 2...2) != nil else { return }
        if j < end, s[j] == UInt8(ascii: ":") {
            var k = j + 1
            if number(s, &k, end, digits: 2...2) != nil { j = k }
            if j < end, s[j] == UInt8(ascii: ".") || s[j] == UInt8(ascii: ",") {
                k = j + 1
                if number(s, &k, end, digits: 1...9) != nil { j = k }
            }
        }
        i = j
        skipSpaces(s, &j, end)
        guard j < end else { return }
        if s[j] == UInt8(ascii: "Z") || s[j] == UInt8(ascii: "z"), j + 1 == end || !isLetter(s[j + 1]) {
            i = j + 1
        } else if s[j] == UInt8(ascii: "+") || s[j] == UInt8(ascii: "-") {
            var k = j + 1
            guard number(s, &k, end, digits: 2...4) != nil else { return }
            if k < end, s[k] == UInt8(ascii: ":") {
                k += 1
                guard number(s, &k, end, digits: 2...2) != nil else { return }
            }
            i = k
        } else {
            var k = j
            if let zone = word(s, &k, end), ["utc", "gmt", "ut"].contains(zone) { i = k }
        }
        j = i
        skipSpaces(s, &j, end)
        if j < end, s[j] == UInt8(ascii: "(") {
            var k = j
            while k < end, s[k] != UInt8(ascii: ")") { k += 1 }
            if k < end { i = k + 1 }
        }
    }

    /// Why year, month and day are no date.
    private static func impossible(_ y: Int, _ m: Int, _ d: Int) -> String {
        guard (1...12).contains(m) else { return "there is no month \(m)" }
        let days = CalendarDay.daysIn(month: m, year: y)
        return "\(monthNames[m - 1].capitalized) \(y) has \(days) days, not \(d)"
    }

    private static func day(_ y: Int, _ m: Int, _ d: Int) -> CalendarDay? {
        CalendarDay(year: y, month: m, day: d)
    }

    /// A run of ASCII letters, lowercased (at most 12: no name here is longer); nil when none.
    private static func word(_ s: UnsafeBufferPointer<UInt8>, _ i: inout Int, _ end: Int) -> String? {
        var j = i
        while j < end, j - i <= 12, isLetter(s[j]) { j += 1 }
        guard j > i else { return nil }
        defer { i = j }
        return String(decoding: s[i..<j].map { $0 | 0x20 }, as: UTF8.self)
    }

    /// A full name or its first three letters.
    private static func index(of word: String, in names: [String]) -> Int? {
        names.firstIndex { $0 == word || (word.count == 3 && $0.hasPrefix(word)) }
    }

    private static func number(_ s: UnsafeBufferPointer<UInt8>, _ i: inout Int, _ end: Int, digits: ClosedRange<Int>) -> Int? {
        var j = i
        var value = 0
        while j < end, isDigit(s[j]), j - i < digits.upperBound {
            value = value * 10 + Int(s[j] - UInt8(ascii: "0"))
            j += 1
        }
        guard digits.contains(j - i), j == end || !isDigit(s[j]) else { return nil }
        i = j
        return value
    }

    /// Steps over `c` when it stands at `i`.
    private static func skip(_ c: Unicode.Scalar, _ s: UnsafeBufferPointer<UInt8>, _ i: inout Int, _ end: Int) -> Bool {
        guard i < end, s[i] == UInt8(ascii: c) else { return false }
        i += 1
        return true
    }

    private static func skipSpaces(_ s: UnsafeBufferPointer<UInt8>, _ i: inout Int, _ end: Int) {
        while i < end, s[i] == 0x20 || s[i] == 0x09 { i += 1 }
    }

    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
}

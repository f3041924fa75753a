/// Resolves a sentence's date phrases ("on Monday", "yesterday", "on 22 June", "in March") against
/// the article's date.
enum DatePhrases {
    /// What a sentence's date phrases say about when its events happened.
    struct Resolution: Equatable {
        /// The day the sentence speaks of (the article date when it names none).
        var day: CalendarDay?
        /// The sentence names a day after the article's: a deadline or a plan, not a change now.
        var future = false
        /// The sentence names a day or month well before the article's: history, not a change now.
        var stale = false
    }

    /// Days before the article date after which a named day or month is history, not news.
    static let staleAfterDays = 45

    static let weekdays: KeyTable = keyMap(["sunday", "monday", "tuesday", "wednesday", "thursday", "friday",
                                            "saturday"], from: 0)
    static let months: KeyTable = {
        var map = keyMap(["january", "february", "march", "april", "may", "june", "july", "august", "september",
                          "october", "november", "december"], from: 1)
        for (abbreviation, month) in [("jan", 1), ("feb", 2), ("mar", 3), ("apr", 4), ("jun", 6), ("jul", 7),
                                      ("aug", 8), ("sep", 9), ("sept", 9), ("oct", 10), ("nov", 11), ("dec", 12)] {
            map.set(Tokenizer.key(abbreviation), month)
        }
        return map
    }()
    static let yesterday = Tokenizer.key("yesterday")
    static let before = Tokenizer.key("before")
    static let the = Tokenizer.key("the")
    static let day = Tokenizer.key("day")
    static let inWord = Tokenizer.key("in")
    static let mayWord = Tokenizer.key("may")
    static let midWord = Tokenizer.key("mid")
    /// Words that make a bare month name a time: "in March", "early August", "the beginning of
    /// July", "mid-June", "during May".
    static let monthLeads = KeyTable(words: ["in", "of", "early", "late", "mid", "during", "throughout"])

    static func keyMap(_ words: [String], from first: Int) -> KeyTable {
        var map = KeyTable(capacity: words.count)
        for (i, w) in words.enumerated() { map.set(Tokenizer.key(w), first + i) }
        return map
    }

    /// True when the token is a weekday or month name (a capitalised word that is no place).
    static func isCalendarWord(_ key: UInt64) -> Bool {
        calendarWords.contains(key)
    }

    static let calendarWords = KeyTable(words: ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday",
                                                "saturday", "january", "february", "march", "april", "may", "june",
                                                "july", "august", "september", "october", "november", "december"])

    /// The day the sentence speaks of: the most recent named weekday on or before the article
    /// date, the day before for "yesterday", a named day of a month, else the article date itself.
    static func resolve(_ t: UnsafeBufferPointer<Token>, _ range: Range<Int>, bytes: UnsafeBufferPointer<UInt8>,
                        articleDate: CalendarDay?) -> Resolution {
        guard let date = articleDate else { return Resolution(day: nil) }
        var result = Resolution(day: date)
        var dayFound = false
        let yesterday = Self.yesterday, weekdays = Self.weekdays, months = Self.months
        for i in range where t[i].kind == .word {
            let key = t[i].key
            // Day and month names are capitalised; "may" in lower case is the modal.
            guard t[i].capitalized || key == yesterday else { continue }
            if !dayFound, let weekday = weekdays.value(key) {
                let back = (date.weekday - weekday + 7) % 7
                result.day = date.adding(days: -back)
                dayFound = true
                continue
            }
            if !dayFound, key == yesterday {
                // "the day before yesterday"
                let twoBack = i >= 3 && t[i - 1].key == before && t[i - 2].key == day && t[i - 3].key == the
                result.day = date.adding(days: twoBack ? -2 : -1)
                dayFound = true
                continue
            }
            guard let month = months.value(key) else { continue }
            // "may" is a modal far more often than a month: only "in May", "May 9", "9 May".
            // "Sept. 14": an abbreviated month keeps its full stop before the day.
            let afterMonth = i + 2 < range.upperBound && t[i + 1].kind == .period && t[i + 1].start == t[i].end ? i + 2 : i + 1
            let dayNumber = dayOfMonth(t, afterMonth, range, bytes) ?? dayOfMonth(t, i - 1, range, bytes)
            if key == mayWord, dayNumber == nil, !(i > range.lowerBound && t[i - 1].key == inWord) { continue }
            let (year, articleMonth, _) = date.components
            if let dayNumber, let named = CalendarDay(year: year, month: month, day: dayNumber) {
                var named = named
                if named.days(to: date) < -180 { named = CalendarDay(year: year - 1, month: month, day: dayNumber) ?? named }
                if named > date {
                    result.future = true
                } else if named.days(to: date) > staleAfterDays {
                    result.stale = true
                }
                if !dayFound {
                    result.day = named
                    dayFound = true
                }
            } else if i > range.lowerBound, Self.monthLeads.contains(t[i - 1].key)
                        || (i - 1 > range.lowerBound && t[i - 1].kind == .dash && t[i - 2].key == Self.midWord) {
                // "in March", "early August": history when the whole month lies well before the article.
                let monthYear = month > articleMonth ? year - 1 : year
                let nextMonth = month == 12 ? CalendarDay(year: monthYear + 1, month: 1, day: 1)
                                            : CalendarDay(year: monthYear, month: month + 1, day: 1)
                if let end = nextMonth?.adding(days: -1), end.days(to: date) > staleAfterDays {
                    result.stale = true
                }
            }
        }
        return result
    }

    /// The day of the month written as the number token at `i`, if there is one.
    static func dayOfMonth(_ t: UnsafeBufferPointer<Token>, _ i: Int, _ range: Range<Int>,
                           _ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard range.contains(i), t[i].end - t[i].start <= 2, let value = Tokenizer.numberValue(of: t[i], in: bytes) else {
            return nil
        }
        return (1...31).contains(value) ? value : nil
    }
}

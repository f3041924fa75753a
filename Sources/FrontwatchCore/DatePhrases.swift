/// Resolves a sentence's date phrases ("on Monday", "yesterday") against the article's date.
enum DatePhrases {
    static let weekdays: [UInt64: Int] = {
        var map: [UInt64: Int] = [:]
        for (i, name) in ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"].enumerated() {
            map[Tokenizer.key(name)] = i
        }
        return map
    }()
    static let yesterday = Tokenizer.key("yesterday")
    static let today = Tokenizer.key("today")

    /// The day the sentence speaks of: the most recent named weekday on or before the article
    /// date, the day before for "yesterday", else the article date itself.
    static func resolve(_ t: UnsafeBufferPointer<Token>, _ range: Range<Int>, bytes: UnsafeBufferPointer<UInt8>,
                        articleDate: CalendarDay?) -> CalendarDay? {
        guard let date = articleDate else { return nil }
        for i in range where t[i].kind == .word {
            if let weekday = weekdays[t[i].key] {
                let back = (date.weekday - weekday + 7) % 7
                return date.adding(days: -back)
            }
            if t[i].key == yesterday { return date.adding(days: -1) }
        }
        return date
    }
}

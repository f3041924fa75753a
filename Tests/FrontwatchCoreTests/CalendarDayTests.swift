import FrontwatchCore
import Testing

@Suite("calendar days")
struct CalendarDayTests {
    @Test(arguments: ["1970-01-01", "2022-02-24", "2023-07-18", "2024-02-29", "2100-12-31"])
    func roundTrips(_ text: String) throws {
        let day = try #require(CalendarDay(iso: text))
        #expect(day.description == text)
        #expect(CalendarDay(dayNumber: day.dayNumber) == day)
    }

    @Test(arguments: ["2023-02-29", "2023-13-01", "2023-7-18", "18-07-2023", "", "2023-07-18x", "+202-07-18", "2023-+7-18",
                      "2023/07/18", "2023-07-1", "2023-0-718", "\u{0662}023-07-18", "2023-07-00", "0000-00-00"])
    func refusesWhatIsNotADate(_ text: String) {
        #expect(CalendarDay(iso: text) == nil)
    }

    @Test func weekdaysAndArithmetic() throws {
        let tuesday = try #require(CalendarDay(iso: "2023-07-18"))
        #expect(tuesday.weekday == 2)
        #expect(tuesday.adding(days: -1).description == "2023-07-17")
        #expect(tuesday.days(to: try #require(CalendarDay(iso: "2023-08-01"))) == 14)
        #expect(CalendarDay(unixSeconds: 1_689_638_400).description == "2023-07-18")
        #expect(CalendarDay(unixSeconds: -1).description == "1969-12-31")
    }
}

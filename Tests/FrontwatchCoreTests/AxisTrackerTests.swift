import FrontwatchCore
import Testing

@Suite("axis tracker")
struct AxisTrackerTests {
    let tracker = AxisTracker(policy: TrackerPolicy(windowDays: 7, cooldownDays: 10, alertOnEased: false, minConfidence: 0.5))

    func day(_ iso: String) -> CalendarDay { CalendarDay(iso: iso)! }

    func event(_ axis: String = "Kupiansk", change: Change = .intensified, confidence: Double = 0.9,
               day: String? = nil, start: Int = 0) -> AxisEvent {
        AxisEvent(axis: axis, actor: .russia, change: change, confidence: confidence, evidence: "Russian forces intensified.",
                  start: start, end: start + 10, rule: "test", day: day.map { CalendarDay(iso: $0)! })
    }

    @Test func firstReportAlertsAndLaterOnesInTheWindowCorroborate() throws {
        let first = tracker.observe(event(), article: "a.txt", articleDate: day("2024-03-01"), previous: nil)
        let alert = try #require(first.alert)
        #expect(alert.axis == "Kupiansk" && alert.corroboration == 1 && alert.day == day("2024-03-01"))
        #expect(first.state.lastAlertID == alert.id)

        let second = tracker.observe(event(), article: "b.txt", articleDate: day("2024-03-06"), previous: first.state)
        #expect(second.alert == nil && second.corroborated)
        #expect(second.state.corroboration == 2 && second.state.lastSeen == day("2024-03-06"))

        // The window runs from the latest report, so the episode stretches.
        let third = tracker.observe(event(), article: "c.txt", articleDate: day("2024-03-12"), previous: second.state)
        #expect(third.corroborated && third.state.corroboration == 3)
    }

    @Test func aNewEpisodeInsideTheCooldownDoesNotAlert() {
        let first = tracker.observe(event(), article: "a.txt", articleDate: day("2024-03-01"), previous: nil)
        // Nine days later: outside the 7-day window (a new episode), inside the 10-day cooldown.
        let second = tracker.observe(event(), article: "b.txt", articleDate: day("2024-03-10"), previous: first.state)
        #expect(second.alert == nil && !second.corroborated)
        #expect(second.state.episodeStart == day("2024-03-10") && second.state.corroboration == 1)
        // After the cooldown a new episode alerts again.
        let third = tracker.observe(event(), article: "c.txt", articleDate: day("2024-03-20"), previous: second.state)
        #expect(third.alert != nil)
    }

    @Test func staleReportsNeitherAlertNorCount() {
        let first = tracker.observe(event(), article: "a.txt", articleDate: day("2024-03-20"), previous: nil)
        let stale = tracker.observe(event(), article: "old.txt", articleDate: day("2024-03-01"), previous: first.state)
        #expect(stale.alert == nil && !stale.corroborated)
        #expect(stale.state == first.state)
    }

    @Test func theEventDayWinsOverTheArticleDate() {
        let o = tracker.observe(event(day: "2024-03-04"), article: "a.txt", articleDate: day("2024-03-06"), previous: nil)
        #expect(o.alert?.day == day("2024-03-04"))
        #expect(o.alert?.articleDate == day("2024-03-06"))
    }

    @Test func easedAndLowConfidenceEventsAreStoredButSilent() {
        let eased = tracker.observe(event(change: .eased), article: "a.txt", articleDate: day("2024-03-01"), previous: nil)
        #expect(eased.alert == nil && eased.state.corroboration == 1)
        let weak = tracker.observe(event(confidence: 0.3), article: "a.txt", articleDate: day("2024-03-01"), previous: nil)
        #expect(weak.alert == nil)
        let loud = AxisTracker(policy: TrackerPolicy(alertOnEased: true))
        #expect(loud.observe(event(change: .eased), article: "a.txt", articleDate: day("2024-03-01"), previous: nil).alert != nil)
    }

    @Test func alertIDsAreStable() {
        let a = tracker.observe(event(start: 40), article: "a.txt", articleDate: day("2024-03-01"), previous: nil).alert
        let b = tracker.observe(event(start: 40), article: "a.txt", articleDate: day("2024-03-01"), previous: nil).alert
        let c = tracker.observe(event(start: 41), article: "a.txt", articleDate: day("2024-03-01"), previous: nil).alert
        #expect(a?.id == b?.id && a?.id != c?.id)
    }

    @Test func collapseKeepsOneEventPerAxisAndChange() {
        let events = [event(confidence: 0.6, start: 0), event("Lyman"), event(confidence: 0.8, start: 50), event(change: .eased)]
        let collapsed = AxisTracker.collapse(events)
        #expect(collapsed.count == 3)
        #expect(collapsed[0].start == 50)
        #expect(collapsed.map(\.axis) == ["Kupiansk", "Lyman", "Kupiansk"])
    }
}

@Test func theAlertMessageNamesTheDayOfTheChangeWhenItIsNotTheArticles() throws {
    let monday = try #require(CalendarDay(iso: "2024-03-11")), tuesday = try #require(CalendarDay(iso: "2024-03-12"))
    func alert(day: CalendarDay) -> Alert {
        Alert(id: "x", axis: "Siversk", actor: .russia, change: .intensified, day: day, article: "/in/a.txt",
              articleDate: tuesday, evidence: "On Monday the enemy stepped up assaults near Siversk.", confidence: 0.9,
              corroboration: 1)
    }
    #expect(alert(day: monday).message.hasPrefix("Siversk axis: Russian forces intensified on 2024-03-11 (article of 2024-03-12)"))
    #expect(alert(day: tuesday).message.hasPrefix("Siversk axis: Russian forces intensified (article of 2024-03-12)"))
}

@Test func theAlertMessageNamesTheSettlementAndSaysAreaForAnArea() throws {
    let day = try #require(CalendarDay(iso: "2024-06-20"))
    let events = [
        AxisEvent(axis: "Orikhiv", actor: .ukraine, change: .intensified, confidence: 0.9,
                  evidence: "Ukrainian units pressed new assaults near Robotyne on Thursday.", start: 0, end: 60,
                  rule: "r", day: day, place: "Robotyne"),
        AxisEvent(axis: "Donbas", actor: .russia, change: .intensified, confidence: 0.9,
                  evidence: "Fighting in Donbas grew heavier this week.", start: 61, end: 100,
                  rule: "r", day: day, kind: "area"),
    ]
    let tracker = AxisTracker(policy: TrackerPolicy())
    let alerts = events.compactMap { tracker.observe($0, article: "/in/b.txt", articleDate: day, previous: nil).alert }
    #expect(alerts.map(\.place) == ["Robotyne", nil])
    #expect(alerts.first?.message.hasPrefix("Orikhiv axis (Robotyne): Ukrainian forces intensified (article of 2024-06-20)") == true,
            "\(alerts.first?.message ?? "")")
    #expect(alerts.last?.message.hasPrefix("Donbas area: Russian forces intensified") == true, "\(alerts.last?.message ?? "")")
}

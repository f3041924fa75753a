import Foundation
import FrontwatchCore
import Testing

/// The golden articles: `Fixtures/NAME.txt` beside `NAME.expected.json`, written by hand.
///
/// Each expected file lists the changes the article states as current at its date, one per
/// (axis, change): the extractor must report exactly those pairs, with the expected side, from a
/// sentence that contains the expected evidence text (and on the expected day, when one is given).
struct GoldenTests {
    struct Expected: Decodable {
        struct Event: Decodable {
            var axis: String
            var actor: Side
            var change: Change
            var evidence: String
            var day: String?
            /// The settlement that placed it, when a settlement (not the axis's name) did.
            var place: String?
        }
        /// Why the article is in the suite: the trap it sets.
        var note: String?
        var events: [Event]
        /// The date to use when the article has no date header.
        var fallbackDate: String?
    }

    static let fixturesURL: URL = Bundle.module.resourceURL!.appendingPathComponent("Fixtures")

    static let names: [String] = {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: fixturesURL.path)) ?? []
        return files.filter { $0.hasSuffix(".txt") }.map { String($0.dropLast(4)) }.sorted()
    }()

    @Test func thereAreEnoughFixtures() {
        #expect(Self.names.count >= 60)
    }

    @Test(arguments: names)
    func fixture(_ name: String) throws {
        let text = try String(contentsOf: Self.fixturesURL.appendingPathComponent(name + ".txt"), encoding: .utf8)
        let json = try Data(contentsOf: Self.fixturesURL.appendingPathComponent(name + ".expected.json"))
        let expected = try JSONDecoder().decode(Expected.self, from: json)
        let fallback = expected.fallbackDate.flatMap { CalendarDay(iso: $0) }
        let article = try ArticleParser.parse(text: text, fallbackDate: fallback)
        let events = TestSupport.extractor.extract(from: article)
        let collapsed = AxisTracker.collapse(events)

        let got = Set(collapsed.map { "\($0.axis) \($0.change.rawValue)" })
        let want = Set(expected.events.map { "\($0.axis) \($0.change.rawValue)" })
        #expect(got == want, "\(name): pairs differ; extra \(got.subtracting(want).sorted()), missing \(want.subtracting(got).sorted()); events: \(events.map { "\($0.axis)/\($0.change.rawValue)/\($0.actor.rawValue) [\($0.rule)] \($0.evidence)" })")

        for e in expected.events {
            guard let event = collapsed.first(where: { $0.axis == e.axis && $0.change == e.change }) else { continue }
            #expect(event.actor == e.actor, "\(name): \(e.axis) \(e.change.rawValue): actor \(event.actor.rawValue), expected \(e.actor.rawValue) [\(event.rule)] \(event.evidence)")
            let sentences = events.filter { $0.axis == e.axis && $0.change == e.change }.map(\.evidence)
            #expect(sentences.contains { $0.contains(e.evidence) },
                    "\(name): \(e.axis) \(e.change.rawValue): no sentence contains \"\(e.evidence)\"; got \(sentences)")
            if let day = e.day {
                #expect(event.day?.description == day, "\(name): \(e.axis): day \(String(describing: event.day)), expected \(day)")
            }
            if let place = e.place {
                #expect(event.place == place, "\(name): \(e.axis): place \(event.place ?? "none"), expected \(place)")
            }
            // Evidence offsets point at the sentence in the article text.
            let bytes = Array(text.utf8)
            #expect(String(decoding: bytes[event.start..<event.end], as: UTF8.self) == event.evidence)
        }
    }
}

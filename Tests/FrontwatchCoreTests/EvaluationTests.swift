import Foundation
import FrontwatchCore
import Testing

@Suite("evaluation")
struct EvaluationTests {
    let gazetteer = try! Gazetteer(yaml: """
    axes:
      - name: Kupiansk
        variants: [Kupyansk]
        settlements: [Synkivka]
      - name: Lyman
        variants: [Liman]
      - name: Orikhiv
        settlements: [Robotyne]
      - name: Bakhmut
    """)

    func event(_ axis: String, _ change: Change, _ actor: Side = .russia, _ sentence: String = "s") -> AxisEvent {
        AxisEvent(axis: axis, actor: actor, change: change, confidence: 0.9, evidence: sentence, start: 0, end: 1,
                  rule: "test", day: nil)
    }

    @Test func decodesTheCorpusFormat() throws {
        let json = """
        {"a.txt": [{"axis": ["Kupiansk", "Kupyansk"], "change": "intensified", "actor": "russia", "strength": "required"}],
         "b.txt": []}
        """
        let labels = try JSONDecoder().decode(Labels.self, from: Data(json.utf8))
        #expect(labels.files["a.txt"]?.first?.axis == ["Kupiansk", "Kupyansk"])
        #expect(labels.files["b.txt"]?.isEmpty == true)
    }

    @Test func scoresPairsWithOptionalLabelsIgnored() {
        let labels = Labels(files: [
            "a.txt": [
                .init(axis: ["Kupyansk"], change: .intensified, actor: .russia),
                .init(axis: ["Robotyne/Orikhiv", "Robotyne"], change: .intensified, actor: .ukraine),
                .init(axis: ["Bakhmut"], change: .intensified, actor: .ukraine, strength: .optional),
            ],
            "b.txt": [],
            "c.txt": [.init(axis: ["Liman"], change: .eased, actor: .russia)],
        ])
        let events: [String: [AxisEvent]] = [
            // Kupiansk matches through a variant; twice in one file is one pair.
            "a.txt": [event("Kupiansk", .intensified), event("Kupiansk", .intensified),
                      // Orikhiv matches through its settlement, with the wrong side.
                      event("Orikhiv", .intensified, .russia, "Russians attacked near Robotyne."),
                      // Bakhmut matches only an optional label: neither right nor wrong.
                      event("Bakhmut", .intensified)],
            "b.txt": [event("Lyman", .intensified, .russia, "A false alarm.")],
            // The right axis with the wrong change is a miss and a false alarm.
            "c.txt": [event("Lyman", .intensified)],
            "d.txt": [event("Lyman", .intensified)],
        ]
        let r = Evaluation.score(labels: labels, events: events, gazetteer: gazetteer)
        #expect(r.truePositives == 2)
        #expect(r.falsePositives == 2)
        #expect(r.ignored == 1)
        #expect(r.requiredTotal == 3 && r.requiredFound == 2)
        #expect(r.precision == 0.5)
        #expect(abs(r.recall - 2.0 / 3.0) < 1e-9)
        #expect(abs(r.f1 - 4.0 / 7.0) < 1e-9)
        #expect(r.actorCorrect == 1 && r.actorAccuracy == 0.5)
        #expect(r.misses.map(\.file) == ["c.txt"])
        #expect(r.falseAlarms.map(\.file) == ["b.txt", "c.txt"])
        #expect(r.falseAlarms[0].event.evidence == "A false alarm.")
        #expect(r.actorErrors.first?.evidence == "Russians attacked near Robotyne.")
        #expect(r.unlabeledFiles == ["d.txt"])
        #expect(r.summary.contains("MISS  c.txt: Liman eased russia"))
    }

    @Test func anActorAnOptionalLabelAcceptsCounts() {
        let labels = Labels(files: ["a.txt": [
            .init(axis: ["Bakhmut"], change: .intensified, actor: .ukraine),
            .init(axis: ["Bakhmut"], change: .intensified, actor: .russia, strength: .optional),
        ]])
        let r = Evaluation.score(labels: labels, events: ["a.txt": [event("Bakhmut", .intensified, .russia)]],
                                 gazetteer: gazetteer)
        #expect(r.requiredFound == 1 && r.actorCorrect == 1)
    }

    @Test func nothingPredictedAndNothingLabelled() {
        let r = Evaluation.score(labels: Labels(files: ["a.txt": []]), events: [:], gazetteer: gazetteer)
        #expect(r.precision == 1 && r.recall == 1 && r.actorAccuracy == 1)
    }
}

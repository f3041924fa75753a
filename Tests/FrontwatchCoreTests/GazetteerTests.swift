import FrontwatchCore
import Testing

@Suite("gazetteer")
struct GazetteerTests {
    let small = """
    axes:
      - name: Kupiansk
        variants: [Kupyansk, "Куп'янськ"]
        settlements: [Synkivka]
      - name: Donetsk
        needs_front_word: true
      - name: Tavria
        kind: grouping
    """

    func mentions(_ g: Gazetteer, _ text: String) -> [(String, Bool)] {
        var tokens: [Token] = []
        Tokenizer.tokenize(Array(text.utf8), into: &tokens)
        return tokens.withUnsafeBufferPointer { buffer in
            g.match(in: buffer, range: 0..<buffer.count).map { (g.axes[$0.axis].name, $0.viaSettlement) }
        }
    }

    @Test func variantsCyrillicAndSettlements() throws {
        let g = try Gazetteer(yaml: small)
        #expect(g.canonicalName(for: "Kup'yansk") == "Kupiansk")
        #expect(g.canonicalName(for: "KUPYANSK") == "Kupiansk")
        #expect(g.canonicalName(for: "Куп\u{2019}янськ") == "Kupiansk")
        #expect(g.canonicalName(for: "Synkivka") == "Kupiansk")
        #expect(g.canonicalName(for: "Lyman") == nil)
        let found = mentions(g, "Fighting near Synkivka and in the Kupyansk direction")
        #expect(found.map(\.0) == ["Kupiansk", "Kupiansk"])
        #expect(found.map(\.1) == [true, false])
        #expect(g.axis(named: "Tavria")?.kind == "grouping")
    }

    @Test func frontWordAxesNeedTheirFrontWord() throws {
        let g = try Gazetteer(yaml: small)
        #expect(mentions(g, "attacks in Donetsk Oblast").isEmpty)
        #expect(mentions(g, "attacks in the Donetsk direction").map(\.0) == ["Donetsk"])
        #expect(mentions(g, "on the Donetsk axis").map(\.0) == ["Donetsk"])
    }

    @Test func aSpellingUnderTwoAxesIsRefused() {
        let yaml = """
        axes:
          - name: Bakhmut
            settlements: [Andriivka]
          - name: Kurakhove
            settlements: [andriivka]
        """
        #expect { try Gazetteer(yaml: yaml) } throws: { error in
            (error as? ConfigError)?.code == "gazetteer-duplicate"
                && (error as? ConfigError)?.message.contains("Bakhmut and Kurakhove") == true
        }
    }

    @Test("an empty gazetteer, or one without axes, is refused; yes/no flags are read in any case")
    func emptyGazetteerAndFlags() throws {
        for yaml in ["", "# nothing yet\n", "axes: []\n"] {
            #expect { try Gazetteer(yaml: yaml) } throws: { ($0 as? ConfigError)?.code == "gazetteer-empty" }
        }
        let g = try Gazetteer(yaml: "axes:\n  - {name: Donetsk, needs_front_word: Yes}\n  - {name: Lyman, needs_front_word: off}\n")
        #expect(g.axes.map(\.needsFrontWord) == [true, false])
        #expect { try Gazetteer(yaml: "axes:\n  - {name: Donetsk, needs_front_word: perhaps}\n") } throws: {
            ($0 as? ConfigError)?.message.contains("needs_front_word") == true
        }
    }

    @Test func brokenYAMLAndEmptyNamesAreRefused() {
        #expect { try Gazetteer(yaml: "axes: [name: ") } throws: { ($0 as? ConfigError)?.code == "gazetteer-syntax" }
        #expect { try Gazetteer(yaml: "axes:\n  - name: \"\"\n") } throws: {
            ($0 as? ConfigError)?.code == "gazetteer-empty-name"
        }
    }

    @Test func theProjectGazetteerCoversTheFront() {
        let g = TestSupport.gazetteer
        for axis in g.axes {
            #expect(g.canonicalName(for: axis.name) == axis.name)
            for spelling in axis.variants + axis.settlements {
                #expect(g.canonicalName(for: spelling) == axis.name, "\(spelling)")
            }
        }
        for (spelling, axis) in [("Artemivsk", "Bakhmut"), ("Liman", "Lyman"), ("Avdeyevka", "Avdiivka"),
                                 ("Krasnoarmeysk", "Pokrovsk"), ("Maryinka", "Marinka"), ("Mariinka", "Marinka"),
                                 ("Zaporizhia", "Zaporizhzhia"), ("Robotyne", "Orikhiv"), ("Krynky", "Kherson"),
                                 ("Synkivka", "Kupiansk"), ("Vugledar", "Vuhledar"), ("Часів Яр", "Chasiv Yar"),
                                 ("Khortytsia", "Khortytsia"), ("Tavria", "Tavria"), ("Vremivka", "Vremivka")] {
            #expect(g.canonicalName(for: spelling) == axis, "\(spelling)")
        }
        #expect(g.axes.count >= 30)
        for (spelling, axis) in [("Severodonetsk", "Sievierodonetsk"), ("Lisichansk", "Lysychansk"),
                                 ("Rubizhne", "Rubizhne"), ("Popasna", "Popasna"), ("Pokrovsk's", "Pokrovsk"),
                                 ("Dnipro delta", "Kherson")] {
            #expect(g.canonicalName(for: spelling) == axis, "\(spelling)")
        }
        for name in g.notAxes {
            #expect(g.canonicalName(for: name) == nil, "\(name)")
        }
    }

    @Test func namesThatAreNoAxisHideTheAxisInside() throws {
        let g = try Gazetteer(yaml: """
        not_axes: [Siverskyi Donets, New York Times]
        axes:
          - name: Siversk
            variants: [Siverskyi]
          - name: Toretsk
            settlements: [New York]
        """)
        #expect(mentions(g, "across the Siverskyi Donets river").isEmpty)
        #expect(mentions(g, "the New York Times reported").isEmpty)
        #expect(mentions(g, "in the Siverskyi direction near New York").map(\.0) == ["Siversk", "Toretsk"])
        #expect(mentions(g, "on Toretsk's outskirts").map(\.0) == ["Toretsk"])
    }
}

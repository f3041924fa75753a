import FrontwatchCore

/// Writes a synthetic, deterministic corpus of dated war-reporting articles for benchmarks.
///
/// Article `i` depends only on the seed, the options and `i`, so any article can be made on its
/// own, in any order, on any thread, and two runs with the same seed make the same bytes. The
/// text is assembled from templates written for this generator in the manner of front-line
/// reporting: a header, a lead sentence that states a change on one axis (or none), background
/// that mentions other axes without a new change (history, habit, speculation), and neutral
/// paragraphs (aid, energy, diplomacy) until the article reaches its drawn length.
///
/// Axes rotate round-robin, and every full round of axes moves the date on by
/// `Options.daysPerRound`: with a round longer than the tracker's window and cooldown, every
/// front-line article opens a new episode and raises an alert; with one day, each axis's episode
/// keeps running and alerts once.
public struct CorpusGenerator: Sendable {
    /// How the corpus is drawn.
    public struct Options: Sendable, Equatable {
        /// Seeds every random choice.
        public var seed: UInt64
        /// Shortest article, in bytes (before the last sentence is finished).
        public var minBytes: Int
        /// Longest article, in bytes.
        public var maxBytes: Int
        /// Share of articles with a front-line change (the rest report none).
        public var frontLineShare: Double
        /// Share of front-line articles that report an easing rather than an intensification.
        public var easedShare: Double
        /// Days between one round of axes and the next.
        public var daysPerRound: Int
        /// The date of the first round.
        public var firstDay: CalendarDay

        /// Log-uniform lengths between 1 and 20 KB (many short wire items, few long features),
        /// 80% front-line articles of which 1 in 8 eases, rounds a day apart from 2023-01-01.
        public init(seed: UInt64 = 2023, minBytes: Int = 1024, maxBytes: Int = 20 * 1024, frontLineShare: Double = 0.8,
                    easedShare: Double = 0.125, daysPerRound: Int = 1,
                    firstDay: CalendarDay = CalendarDay(year: 2023, month: 1, day: 1)!) {
            self.seed = seed
            self.minBytes = minBytes
            self.maxBytes = max(minBytes, maxBytes)
            self.frontLineShare = frontLineShare
            self.easedShare = easedShare
            self.daysPerRound = daysPerRound
            self.firstDay = firstDay
        }
    }

    /// What an article's lead states.
    public enum Content: Sendable, Equatable {
        /// Activity on the axis intensified, by the actor.
        case intensified(axis: String, actor: Side)
        /// Activity on the axis eased.
        case eased(axis: String)
        /// No change on any axis.
        case none

        /// The axis a change is reported on, if any.
        public var axis: String? {
            switch self {
            case .intensified(let axis, _), .eased(let axis): return axis
            case .none: return nil
            }
        }
    }

    /// One generated article.
    public struct GeneratedArticle: Sendable {
        /// A file name that sorts in index order: `000042-2023-01-02.txt`.
        public var name: String
        /// The date in its header.
        public var date: CalendarDay
        /// What its lead states.
        public var content: Content
        /// The whole file, header included.
        public var text: String
    }

    /// The axes articles rotate through (canonical names, from the gazetteer).
    public let axes: [String]
    /// The options in force.
    public let options: Options

    /// A generator over `axes` (at least one).
    public init(axes: [String], options: Options = Options()) {
        precondition(!axes.isEmpty, "a corpus needs at least one axis")
        self.axes = axes
        self.options = options
    }

    /// A generator over every axis of a gazetteer.
    public init(gazetteer: Gazetteer, options: Options = Options()) {
        self.init(axes: gazetteer.axes.map(\.name), options: options)
    }

    /// The article at `index`.
    public func article(_ index: Int) -> GeneratedArticle {
        var rng = SplitMix64(seed: options.seed &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
        let axis = axes[index % axes.count]
        let date = options.firstDay.adding(days: (index / axes.count) * options.daysPerRound)
        let content: Content
        if rng.unit() < options.frontLineShare {
            content = rng.unit() < options.easedShare ? .eased(axis: axis)
                : .intensified(axis: axis, actor: rng.unit() < 0.85 ? .russia : .ukraine)
        } else {
            content = .none
        }
        let target = drawLength(&rng)
        var w = Writer(rng: rng, index: index)
        w.line("date \(date)")
        w.line("source bench://frontwatch/corpus/\(index)")
        w.line("title " + w.title(content))
        w.line("")
        switch content {
        case .intensified(let axis, let actor):
            w.paragraph([w.intensifiedLead(axis: axis, actor: actor), w.pick(Self.leadFollowUps)])
        case .eased(let axis):
            w.paragraph([w.easedLead(axis: axis), w.pick(Self.leadFollowUps)])
        case .none:
            w.paragraph([w.pick(Self.quietLeads), w.fill(w.pick(Self.neutral), "")])
        }
        // Background on other axes: history and habit, never a new change.
        let others = axes.filter { $0 != content.axis }
        if !others.isEmpty {
            let a = w.pick(others), b = w.pick(others)
            w.paragraph([w.fill(w.pick(Self.background), a, b)])
        }
        while w.text.utf8.count < target {
            var sentences: [String] = []
            for _ in 0..<(2 + w.int(4)) { sentences.append(w.fill(w.pick(Self.neutral), "")) }
            w.paragraph(sentences)
        }
        let name = Self.pad(index, 6) + "-" + date.description + ".txt"
        return GeneratedArticle(name: name, date: date, content: content, text: w.text)
    }

    private func drawLength(_ rng: inout SplitMix64) -> Int {
        let lo = Double(options.minBytes), hi = Double(options.maxBytes)
        guard hi > lo else { return options.minBytes }
        // lo * (hi/lo)^t with t uniform: a log-uniform length. The power is built from t's
        // binary digits with repeated square roots, which needs no math library.
        let t = rng.unit()
        var value = lo
        var root = hi / lo
        var bits = t
        for _ in 0..<20 {
            root = root.squareRoot()
            bits *= 2
            if bits >= 1 {
                value *= root
                bits -= 1
            }
        }
        return min(options.maxBytes, max(options.minBytes, Int(value)))
    }

    /// The template with `{A}`, `{B}`, `{N}` and `{P}` replaced, in one pass over its bytes.
    static func substitute(_ template: String, a: String = "", b: String = "", n: String = "", p: String = "") -> String {
        var out = ""
        out.reserveCapacity(template.utf8.count + 32)
        let bytes = Array(template.utf8)
        var i = 0, literal = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "{"), i + 2 < bytes.count, bytes[i + 2] == UInt8(ascii: "}") {
                let value: String?
                switch bytes[i + 1] {
                case UInt8(ascii: "A"): value = a
                case UInt8(ascii: "B"): value = b
                case UInt8(ascii: "N"): value = n
                case UInt8(ascii: "P"): value = p
                default: value = nil
                }
                if let value {
                    out += String(decoding: bytes[literal..<i], as: UTF8.self)
                    out += value
                    i += 3
                    literal = i
                    continue
                }
            }
            i += 1
        }
        out += String(decoding: bytes[literal...], as: UTF8.self)
        return out
    }

    static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }

    // MARK: Templates (written for this generator)

    static let russianSubjects = ["Russian forces", "Russian troops", "The enemy", "Russian units", "The occupiers",
                                  "Moscow's troops"]
    static let ukrainianSubjects = ["Ukrainian forces", "Ukrainian troops", "Ukrainian units", "Ukraine's defenders"]
    static let axisPhrases = ["in the {A} direction", "on the {A} axis", "in the {A} sector", "along the {A} direction"]

    static let intensifiedVerbs = [
        "intensified their assaults {P}", "stepped up attacks {P}", "ramped up offensive operations {P}",
        "became noticeably more active {P}", "went on the offensive {P}",
        "escalated their attacks {P}",
    ]
    static let ukrainianVerbs = [
        "intensified counterattacks {P}", "stepped up their attacks {P}", "went on the offensive {P}",
    ]
    static let easedTemplates = [
        "Russian assaults {P} have subsided over the past day.",
        "Fighting {P} eased noticeably as Russian units regrouped.",
        "Russian attacks {P} tapered off after several days of heavy losses.",
    ]
    static let attributions = [
        ", the General Staff said in its morning update.", ", a spokesman for the operational command told reporters.",
        ", according to the regional military administration.", ", officers on the ground said.",
        ", the brigade's press service reported.",
    ]
    static let leadFollowUps = [
        "Commanders said their positions were holding and that reserves had been brought forward.",
        "Soldiers described long nights in the trenches with little sleep between alarms.",
        "The command did not give figures for losses on either side.",
        "Officials asked residents of nearby villages to stay in shelters when sirens sound.",
    ]
    static let quietLeads = [
        "The regional administration published a new schedule for water deliveries to frontline villages.",
        "Parliament met in an extended session to debate the budget for the coming year.",
        "Volunteers opened another collection point for warm clothing and generators.",
        "Railway officials said most long-distance trains were running to timetable.",
    ]
    static let background = [
        "Since the beginning of the year the enemy has tried again and again to break through near {A} and {B}.",
        "Last winter the heaviest fighting took place near {A}, and before that around {B}.",
        "Russian units regularly shell the outskirts of {A}, residents said.",
        "Analysts wrote that Moscow could try to advance toward {A} in the coming weeks, though poor reserves may limit any gains.",
    ]
    static let neutral = [
        "Aid workers unloaded a convoy of {N} trucks carrying food, medicine and building materials.",
        "Engineers restored power to about {N} households after repairs to a damaged substation.",
        "The mayor said {N} families had registered for temporary housing since the start of the month.",
        "A new school year began in basement classrooms equipped with ventilation and backup lighting.",
        "Farmers in the region are trying to bring in the harvest despite mined fields and a shortage of workers.",
        "Doctors at the district hospital said they had treated {N} patients over the weekend.",
        "Foreign ministers met in Brussels to discuss long-term financing for reconstruction.",
        "The central bank left its key rate unchanged and said inflation was slowing.",
        "Evacuation buses left the town twice a day, carrying mostly elderly residents and families with children.",
        "Volunteers in Dnipro sorted donations late into the evening in a converted warehouse.",
        "A charity said it had delivered {N} wood stoves to villages without gas supply.",
        "Local officials urged residents to register for compensation for damaged homes through the state portal.",
        "The grain corridor handled {N} thousand tonnes of cargo last week, the ports authority said.",
        "Teachers said children were learning to tell the sirens apart by their sound.",
        "A court in Kyiv heard testimony in a corruption case involving military procurement.",
        "Mobile operators said coverage had been restored in most districts after storms.",
        "Psychologists have opened free counselling rooms in several community centres.",
        "The government approved a program of cheap loans for small businesses that relocated from the east.",
        "Bakeries in the city kept working through the night on generator power.",
        "International observers visited a water treatment plant that had been damaged in the spring.",
    ]

    /// Builds the text, holding the random state.
    struct Writer {
        var rng: SplitMix64
        let index: Int
        var text = ""

        init(rng: SplitMix64, index: Int) {
            self.rng = rng
            self.index = index
            text.reserveCapacity(4096)
        }

        mutating func int(_ bound: Int) -> Int { Int(rng.next() % UInt64(bound)) }
        mutating func pick<T>(_ items: [T]) -> T { items[int(items.count)] }

        mutating func line(_ s: String) {
            text += s
            text += "\n"
        }

        mutating func paragraph(_ sentences: [String]) {
            text += sentences.joined(separator: " ")
            text += "\n\n"
        }

        mutating func fill(_ template: String, _ a: String, _ b: String = "") -> String {
            CorpusGenerator.substitute(template, a: a, b: b, n: String(3 + int(400) + index % 97), p: "")
        }

        mutating func title(_ content: Content) -> String {
            switch content {
            case .intensified(let axis, _): return "Pressure grows on the \(axis) front (report \(index))"
            case .eased(let axis): return "A calmer day near \(axis) (report \(index))"
            case .none: return "Life behind the front line (report \(index))"
            }
        }

        mutating func intensifiedLead(axis: String, actor: Side) -> String {
            let place = fill(pick(CorpusGenerator.axisPhrases), axis)
            let subject = actor == .ukraine ? pick(CorpusGenerator.ukrainianSubjects) : pick(CorpusGenerator.russianSubjects)
            let verb = pick(actor == .ukraine ? CorpusGenerator.ukrainianVerbs : CorpusGenerator.intensifiedVerbs)
            return subject + " " + CorpusGenerator.substitute(verb, p: place) + pick(CorpusGenerator.attributions)
                + " Defenders repelled \(3 + index % 40) assaults there."
        }

        mutating func easedLead(axis: String) -> String {
            let place = fill(pick(CorpusGenerator.axisPhrases), axis)
            return CorpusGenerator.substitute(pick(CorpusGenerator.easedTemplates), p: place)
        }
    }
}

/// SplitMix64 (Steele, Lea and Flood): tiny, fast, and the same on every platform.
struct SplitMix64: Sendable {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }
}

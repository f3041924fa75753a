import Yams

/// The axes of the front, each with the spellings and settlements that name it.
///
/// Loaded from `config/gazetteer.yaml`; `match(in:range:)` finds every mention of an axis in a
/// token stream and maps it to the axis's canonical name, whatever spelling the article used.
public struct Gazetteer: Sendable {
    /// One axis (a direction, or an operational grouping's zone).
    public struct Axis: Sendable, Codable, Equatable {
        /// The canonical name, in the Ukrainian-based spelling ISW uses.
        public var name: String
        /// `direction` (default) or `grouping`.
        public var kind: String?
        /// Other spellings of the name: transliterations, Russian forms, Cyrillic.
        public var variants: [String]
        /// Settlements whose mention places fighting on this axis.
        public var settlements: [String]
        /// The name counts only when "direction", "axis", "front", "sector" or "area" follows it: alone it
        /// usually means a region or a city in the rear ("Donetsk Oblast").
        public var needsFrontWord: Bool

        /// Creates an axis.
        public init(name: String, kind: String? = nil, variants: [String] = [], settlements: [String] = [],
                    needsFrontWord: Bool = false) {
            self.name = name
            self.kind = kind
            self.variants = variants
            self.settlements = settlements
            self.needsFrontWord = needsFrontWord
        }

        enum CodingKeys: String, CodingKey {
            case name, kind, variants, settlements
            case needsFrontWord = "needs_front_word"
        }

        /// Every spelling that names the axis: the name, its variants and its settlements.
        public var allNames: [String] { [name] + variants + settlements }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decode(String.self, forKey: .name)
            kind = try c.decodeIfPresent(String.self, forKey: .kind)
            variants = try c.decodeIfPresent([String].self, forKey: .variants) ?? []
            settlements = try c.decodeIfPresent([String].self, forKey: .settlements) ?? []
            needsFrontWord = try c.decodeYAMLBool(forKey: .needsFrontWord) ?? false
        }
    }

    /// A mention of an axis in a token stream.
    public struct Mention: Sendable, Equatable {
        /// Index into `axes`.
        public var axis: Int
        /// Index of the first token.
        public var first: Int
        /// Index just past the last token.
        public var end: Int
        /// The mention is a settlement on the axis, not the axis's own name.
        public var viaSettlement: Bool
        /// The name is followed by "region" or "oblast": it names the region.
        public var regional = false
    }

    struct Entry: Sendable {
        var axis: Int
        var viaSettlement: Bool
        /// An adjective made from the name ("Orikhivskyi"): it names the axis only before a front word.
        var derived = false
    }

    /// Every axis, in file order.
    public let axes: [Axis]
    /// Names that contain an axis's spelling but are no place on the front: the Siverskyi Donets
    /// river is not Siversk, the New York Times is not the village of New York.
    public let notAxes: [String]
    let matcher: PhraseMatcher<Entry>

    /// Builds a gazetteer; fails when two axes claim the same spelling.
    public init(axes: [Axis], notAxes: [String] = []) throws(ConfigError) {
        var matcher = PhraseMatcher<Entry>()
        var owner: [[UInt64]: String] = [:]
        var possessives: [(String, Entry)] = []
        // Added first, so that among phrases of one length the name that is no axis wins.
        for spelling in notAxes where !Tokenizer.keys(spelling).isEmpty {
            matcher.add(spelling, Entry(axis: -1, viaSettlement: false))
        }
        for (index, axis) in axes.enumerated() {
            if axis.name.isEmpty {
                throw ConfigError(code: "gazetteer-empty-name", message: "gazetteer axis #\(index + 1) has an empty name")
            }
            let names = [(axis.name, false)] + axis.variants.map { ($0, false) } + axis.settlements.map { ($0, true) }
            for (spelling, viaSettlement) in names {
                let keys = Tokenizer.keys(spelling)
                if keys.isEmpty { continue }
                if let other = owner[keys], other != axis.name {
                    throw ConfigError(code: "gazetteer-duplicate",
                                      message: "gazetteer: \"\(spelling)\" is listed under both \(other) and \(axis.name); keep it under one axis")
                }
                if owner[keys] == axis.name { continue }
                owner[keys] = axis.name
                matcher.add(spelling, Entry(axis: index, viaSettlement: viaSettlement))
                if let last = spelling.unicodeScalars.last, last.isASCII, last.properties.isAlphabetic,
                   last != "s", last != "S" {
                    possessives.append((spelling + "s", Entry(axis: index, viaSettlement: viaSettlement)))
                }
            }
        }
        // Adjectives made from a name, as Ukrainian and Russian sources write directions: "the
        // Orikhivsk sector", "the Novopavlovsky direction", "Pokrovskyi". Added after every real
        // spelling, and they count only before a front word.
        for (index, axis) in axes.enumerated() {
            for spelling in [axis.name] + axis.variants {
                for form in Gazetteer.adjectives(of: spelling) {
                    let keys = Tokenizer.keys(form)
                    guard owner[keys] == nil else { continue }
                    owner[keys] = axis.name
                    matcher.add(form, Entry(axis: index, viaSettlement: false, derived: true))
                }
            }
        }
        // The possessive: "Pokrovsk's outskirts" tokenizes as "Pokrovsks" (apostrophes drop). Added
        // after every real spelling, so a real name always wins over a possessive that looks like it.
        for (possessive, entry) in possessives {
            let keys = Tokenizer.keys(possessive)
            guard owner[keys] == nil else { continue }
            owner[keys] = axes[entry.axis].name
            matcher.add(possessive, entry)
        }
        self.axes = axes
        self.notAxes = notAxes
        self.matcher = matcher
    }

    /// Parses the YAML gazetteer format (see `config/gazetteer.yaml`).
    public init(yaml: String) throws(ConfigError) {
        struct File: Decodable {
            var axes: [Axis]
            var notAxes: [String]?
            enum CodingKeys: String, CodingKey { case axes, notAxes = "not_axes" }
        }
        let file: File?
        do {
            file = try YAMLText.decode(File.self, from: yaml)
        } catch {
            throw ConfigError(code: "gazetteer-syntax", message: "the gazetteer is not valid: \(ConfigError.describe(error))",
                              underlying: String(describing: error))
        }
        guard let file, !file.axes.isEmpty else {
            throw ConfigError(code: "gazetteer-empty", message: "the gazetteer lists no axes: name them under `axes:` (see config/gazetteer.yaml)")
        }
        try self.init(axes: file.axes, notAxes: file.notAxes ?? [])
    }

    /// Every axis mention in `range`, left to right.
    public func match(in tokens: UnsafeBufferPointer<Token>, range: Range<Int>) -> [Mention] {
        var found: [Mention] = []
        match(in: tokens, range: range, into: &found)
        return found
    }

    /// Appends every axis mention in `range` to `found`, left to right, without other allocation.
    public func match(in tokens: UnsafeBufferPointer<Token>, range: Range<Int>, into found: inout [Mention]) {
        var i = range.lowerBound
        while i < range.upperBound {
            guard let m = matcher.match(tokens, at: i, limit: range.upperBound) else { i += 1; continue }
            // "the Siverskyi Donets river": consumed, so "Siverskyi" does not name Siversk.
            if m.payload.axis < 0 { i = m.end; continue }
            // "the Kharkiv region", "Donetsk Oblast": the region, not (only) the axis.
            let regional = m.end < range.upperBound && regionWords.contains(tokens[m.end].key)
            if axes[m.payload.axis].needsFrontWord || m.payload.derived {
                guard m.end < range.upperBound, frontWords.contains(tokens[m.end].key) else { i += 1; continue }
            }
            found.append(Mention(axis: m.payload.axis, first: m.first, end: m.end, viaSettlement: m.payload.viaSettlement,
                                 regional: regional))
            i = m.end
        }
    }

    /// Words that make a name a front direction: "the Donetsk direction", "on the Luhansk axis",
    /// "fighting in the Donetsk area".
    let frontWords = KeyTable(words: ["direction", "directions", "axis", "axes", "front", "sector", "sectors",
                                      "operational", "frontline", "area"])

    /// The adjectives Ukrainian and Russian sources make from a one-word Latin name: -ka and -iv
    /// names take -sk/-ske/-skyi/-sky ("Novopavlivka" -> "Novopavlivskyi", "Orikhiv" -> "Orikhivsk"),
    /// -sk names take -yi/-y/-iy ("Pokrovsk" -> "Pokrovskyi").
    static func adjectives(of name: String) -> [String] {
        guard !name.contains(" "), name.unicodeScalars.allSatisfy({ $0.isASCII && $0.properties.isAlphabetic }) else { return [] }
        let lower = name.lowercased()
        if lower.hasSuffix("ka") {
            let stem = String(name.dropLast(2))
            return ["sk", "ske", "skyi", "sky", "skiy"].map { stem + $0 }
        }
        if lower.hasSuffix("iv") || lower.hasSuffix("ov") {
            return ["sk", "ske", "skyi", "sky", "skiy"].map { name + $0 }
        }
        if lower.hasSuffix("sk") {
            return ["yi", "y", "iy", "e"].map { name + $0 }
        }
        return []
    }

    /// Words that make a name a region: "the Donetsk region", "Luhansk Oblast".
    let regionWords = KeyTable(words: ["region", "regions", "oblast", "oblasts", "province"])

    /// The canonical axis name for a spelling ("Kupyansk" -> "Kupiansk"), or nil.
    public func canonicalName(for spelling: String) -> String? {
        var tokens: [Token] = []
        Tokenizer.tokenize(Array(spelling.utf8), into: &tokens)
        return tokens.withUnsafeBufferPointer { buffer in
            guard !buffer.isEmpty, let m = matcher.match(buffer, at: 0, limit: buffer.count), m.end == buffer.count, m.payload.axis >= 0 else {
                return nil
            }
            return axes[m.payload.axis].name
        }
    }

    /// The axis with this canonical name.
    public func axis(named name: String) -> Axis? {
        axes.first { $0.name == name }
    }
}

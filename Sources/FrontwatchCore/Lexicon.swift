import Yams

/// The words and phrases the extractor's rules look for, read from a lexicon file
/// (`config/lexicon.en.yaml`; one file per language).
///
/// Each list is plain language as reporters write it; `PhraseMatcher` normalises the spelling
/// (case, apostrophes), so "Russia's" and "russias" are one entry. Where two lists hold phrases
/// that start alike, the longest phrase wins at a position ("no sign of" over "no").
public struct Lexicon: Sendable {
    /// How a change cue must be supported before it counts.
    public struct CueSpec: Sendable {
        /// The phrase as written.
        var phrase: String
        /// Which way it moves activity.
        var change: Change
        /// Needs a noun of military activity nearby: "increased" alone is not a change of
        /// fighting ("increased the number of drones" is not).
        var needsActivity = false
        /// The activity noun must come before the cue (its subject): "attacks dropped", never
        /// "dropped bombs".
        var activityBeforeOnly = false
        /// Needs an offensive noun right after it: "launched an offensive", "began assaults".
        var needsOffensiveNoun = false
        /// Needs an axis as its object: "strengthening the Novopavlivka direction".
        var needsAxisObject = false
        /// A noun ("intensification of", "decrease in"): the side named right after it is the actor.
        var nominal = false
        /// A bare infinitive form ("intensify"): after "to" it states a purpose, not a change.
        var baseForm = false
        /// The activity noun must follow within a few words: "more shelling", never "more than".
        var activityRightAfter = false
        /// Carrying on an offensive counts only when it began lately: "conducting an offensive
        /// since Tuesday".
        var needsRecentStart = false
        /// Needs a noun of troops right after it: "bringing in significant forces".
        var needsForces = false
        /// Also a verb of refusing: "declining to give details" is no decline of attacks.
        var refusalSense = false
        /// A comparative that also grades weapons: "heavier shelling" counts, "heavier artillery" or
        /// "more artillery shells" (a request, a delivery) does not.
        var comparative = false
    }

    /// Phrases that state a change of activity, with the support each needs.
    public let cues: [CueSpec]
    /// `activity_nouns` in the lexicon file.
    public let activityNouns: [String]
    /// `offensive_nouns` in the lexicon file.
    public let offensiveNouns: [String]
    /// `force_nouns` in the lexicon file.
    public let forceNouns: [String]
    /// `defensive_purpose` in the lexicon file.
    public let defensivePurpose: [String]
    /// `defence_verbs` in the lexicon file.
    public let defenceVerbs: [String]
    /// `cognition_verbs` in the lexicon file.
    public let cognitionVerbs: [String]
    /// `rebuttals` in the lexicon file.
    public let rebuttals: [String]
    /// `sequence` in the lexicon file.
    public let sequence: [String]
    /// `superlatives` in the lexicon file.
    public let superlatives: [String]
    /// `russia` in the lexicon file.
    public let russia: [String]
    /// `ukraine` in the lexicon file.
    public let ukraine: [String]
    /// `source_nouns` in the lexicon file.
    public let sourceNouns: [String]
    /// `agent_source_nouns` in the lexicon file.
    public let agentSourceNouns: [String]
    /// `reporting_verbs` in the lexicon file.
    public let reportingVerbs: [String]
    /// `attributions` in the lexicon file.
    public let attributions: [String]
    /// `negations` in the lexicon file.
    public let negations: [String]
    /// `denials` in the lexicon file.
    public let denials: [String]
    /// `speculation` in the lexicon file.
    public let speculation: [String]
    /// `hedges` in the lexicon file.
    public let hedges: [String]
    /// `speculation_either_side` in the lexicon file.
    public let speculationEitherSide: [String]
    /// `neutral` in the lexicon file.
    public let neutral: [String]
    /// `history` in the lexicon file.
    public let history: [String]
    /// `habit` in the lexicon file.
    public let habit: [String]
    /// `clause_breaks` in the lexicon file.
    public let clauseBreaks: [String]
    /// `same_topic_breaks` in the lexicon file.
    public let sameTopicBreaks: [String]
    /// `subordinators` in the lexicon file.
    public let subordinators: [String]
    /// `anaphors` in the lexicon file.
    public let anaphors: [String]
    /// `non_military_objects` in the lexicon file.
    public let nonMilitaryObjects: [String]
    /// `rear_targets` in the lexicon file.
    public let rearTargets: [String]
    /// `broad_regions` in the lexicon file.
    public let broadRegions: [String]
    /// `other_places` in the lexicon file.
    public let otherPlaces: [String]
    /// `background` in the lexicon file.
    public let background: [String]
    /// `group_connectors` in the lexicon file.
    public let groupConnectors: [String]
    /// Single words the rules compare tokens with, by role (`grammar:` in the file).
    public let grammar: [String: [String]]

    /// The grammar lists the rules read; a lexicon must give them all.
    static let grammarNames = ["abbreviations", "pronouns", "past_perfect_fillers", "change_starters", "month_prepositions", "capitalised_function_words", "copulas", "of_for", "office_words", "unit_words", "there_here", "count_words", "existential_followers", "place_prepositions", "object_prepositions", "agent_prepositions", "month_abbreviations", "fewer_words", "relative_pronouns", "relative_offensive_nouns", "recent_fillers", "recent_starts", "articles", "weapon_nouns", "auxiliaries", "extra_force_words", "continuers"]

    /// The word lists a lexicon gives, by their names in the file.
    static let listNames = ["activity_nouns", "offensive_nouns", "force_nouns", "defensive_purpose", "defence_verbs", "cognition_verbs", "rebuttals", "sequence", "superlatives", "russia", "ukraine", "source_nouns", "agent_source_nouns", "reporting_verbs", "attributions", "negations", "denials", "speculation", "hedges", "speculation_either_side", "neutral", "history", "habit", "clause_breaks", "same_topic_breaks", "subordinators", "anaphors", "non_military_objects", "rear_targets", "broad_regions", "other_places", "background", "group_connectors"]

    struct CueGroup: Decodable {
        var change: Change
        var phrases: [String]
        var needs_activity: Bool?
        var activity_before_only: Bool?
        var activity_right_after: Bool?
        var needs_offensive_noun: Bool?
        var needs_axis_object: Bool?
        var nominal: Bool?
        var base_form: Bool?
        var needs_recent_start: Bool?
        var needs_forces: Bool?
        var refusal_sense: Bool?
        var comparative: Bool?
    }

    struct File: Decodable {
        var cues: [CueGroup]?
        var grammar: [String: [String]]?
        var lists: [String: [String]]

        struct AnyKey: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init?(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        init(from decoder: any Decoder) throws {
            let all = try decoder.container(keyedBy: AnyKey.self)
            var lists: [String: [String]] = [:]
            for key in all.allKeys {
                switch key.stringValue {
                case "cues": cues = try all.decode([CueGroup].self, forKey: key)
                case "grammar": grammar = try all.decode([String: [String]].self, forKey: key)
                default: lists[key.stringValue] = try all.decode([String].self, forKey: key)
                }
            }
            self.lists = lists
        }
    }

    /// Parses the YAML lexicon format (see `config/lexicon.en.yaml`); every list is required.
    public init(yaml: String) throws(ConfigError) {
        let decoded: File?
        do {
            decoded = try YAMLText.decode(File.self, from: yaml)
        } catch {
            throw ConfigError(code: "lexicon-syntax", message: "the lexicon is not valid: \(ConfigError.describe(error))",
                              underlying: String(describing: error))
        }
        guard let file = decoded, let groups = file.cues, !groups.isEmpty else {
            throw ConfigError(code: "lexicon-empty", message: "the lexicon lists no cues: name them under `cues:` (see config/lexicon.en.yaml)")
        }
        let known = Set(Lexicon.listNames)
        if let unknown = file.lists.keys.sorted().first(where: { !known.contains($0) }) {
            throw ConfigError(code: "lexicon-unknown",
                              message: "the lexicon has an unknown list `\(unknown):`; known lists: cues, grammar, \(Lexicon.listNames.joined(separator: ", "))")
        }
        var cues: [CueSpec] = []
        for g in groups {
            for p in g.phrases where !p.isEmpty {
                cues.append(CueSpec(phrase: p, change: g.change, needsActivity: g.needs_activity ?? false,
                                    activityBeforeOnly: g.activity_before_only ?? false,
                                    needsOffensiveNoun: g.needs_offensive_noun ?? false,
                                    needsAxisObject: g.needs_axis_object ?? false, nominal: g.nominal ?? false,
                                    baseForm: g.base_form ?? false, activityRightAfter: g.activity_right_after ?? false,
                                    needsRecentStart: g.needs_recent_start ?? false, needsForces: g.needs_forces ?? false,
                                    refusalSense: g.refusal_sense ?? false, comparative: g.comparative ?? false))
            }
        }
        self.cues = cues
        func list(_ name: String) throws(ConfigError) -> [String] {
            guard let l = file.lists[name] else {
                throw ConfigError(code: "lexicon-missing", message: "the lexicon has no `\(name):` list (see config/lexicon.en.yaml)")
            }
            return l
        }
        activityNouns = try list("activity_nouns")
        offensiveNouns = try list("offensive_nouns")
        forceNouns = try list("force_nouns")
        defensivePurpose = try list("defensive_purpose")
        defenceVerbs = try list("defence_verbs")
        cognitionVerbs = try list("cognition_verbs")
        rebuttals = try list("rebuttals")
        sequence = try list("sequence")
        superlatives = try list("superlatives")
        russia = try list("russia")
        ukraine = try list("ukraine")
        sourceNouns = try list("source_nouns")
        agentSourceNouns = try list("agent_source_nouns")
        reportingVerbs = try list("reporting_verbs")
        attributions = try list("attributions")
        negations = try list("negations")
        denials = try list("denials")
        speculation = try list("speculation")
        hedges = try list("hedges")
        speculationEitherSide = try list("speculation_either_side")
        neutral = try list("neutral")
        history = try list("history")
        habit = try list("habit")
        clauseBreaks = try list("clause_breaks")
        sameTopicBreaks = try list("same_topic_breaks")
        subordinators = try list("subordinators")
        anaphors = try list("anaphors")
        nonMilitaryObjects = try list("non_military_objects")
        rearTargets = try list("rear_targets")
        broadRegions = try list("broad_regions")
        otherPlaces = try list("other_places")
        background = try list("background")
        groupConnectors = try list("group_connectors")
        let grammar = file.grammar ?? [:]
        for name in Lexicon.grammarNames where grammar[name] == nil {
            throw ConfigError(code: "lexicon-missing", message: "the lexicon has no `grammar: \(name):` list (see config/lexicon.en.yaml)")
        }
        self.grammar = grammar
    }
}

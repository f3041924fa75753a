/// The lexicon's words as token keys, for the rules' comparisons.
struct ExtractorKeys: Sendable {
    static func keys(_ words: [String]) -> KeyTable { KeyTable(words: words) }

    let abbreviations: KeyTable
    let pronouns: KeyTable
    let had = Tokenizer.key("had")
    let than = Tokenizer.key("than")
    let to = Tokenizer.key("to")
    let the = Tokenizer.key("the")
    let and = Tokenizer.key("and")
    let pastPerfectFillers: KeyTable
    let changeStarters: KeyTable
    let continuers: KeyTable
    let monthPrepositions: KeyTable
    let capitalisedFunctionWords: KeyTable
    let copulas: KeyTable
    let ofFor: KeyTable
    let officeWords: KeyTable
    let unitWords: KeyTable
    let reportingVerbs: KeyTable
    let thereHere: KeyTable
    let countWords: KeyTable
    let existentialFollowers: KeyTable
    let placePrepositions: KeyTable
    let objectPrepositions: KeyTable
    let agentPrepositions: KeyTable
    let monthAbbreviations: KeyTable
    let fewerWords: KeyTable
    let by = Tokenizer.key("by")
    let since = Tokenizer.key("since")
    let under = Tokenizer.key("under")
    let relativePronouns: KeyTable
    /// The offensives a relative clause can launch: one operation, not a count of attacks.
    let relativeOffensiveNouns: KeyTable
    let recentFillers: KeyTable
    let recentStarts: KeyTable
    let articles: KeyTable
    /// Activity nouns that also name weapons: "heavier artillery" is a calibre, not more shelling.
    let weaponNouns: KeyTable
    let auxiliaries: KeyTable
    let timeWords: KeyTable
    let forceNouns: KeyTable
    let defensivePurpose: KeyTable
    let cognitionVerbs: KeyTable
    let superlatives: KeyTable

    init(_ lexicon: Lexicon) {
        func g(_ name: String) -> KeyTable { ExtractorKeys.keys(lexicon.grammar[name] ?? []) }
        abbreviations = g("abbreviations")
        pronouns = g("pronouns")
        pastPerfectFillers = g("past_perfect_fillers")
        changeStarters = g("change_starters")
        continuers = g("continuers")
        monthPrepositions = g("month_prepositions")
        capitalisedFunctionWords = g("capitalised_function_words")
        copulas = g("copulas")
        ofFor = g("of_for")
        officeWords = g("office_words")
        unitWords = g("unit_words")
        thereHere = g("there_here")
        countWords = g("count_words")
        existentialFollowers = g("existential_followers")
        placePrepositions = g("place_prepositions")
        objectPrepositions = g("object_prepositions")
        agentPrepositions = g("agent_prepositions")
        monthAbbreviations = g("month_abbreviations")
        fewerWords = g("fewer_words")
        relativePronouns = g("relative_pronouns")
        relativeOffensiveNouns = g("relative_offensive_nouns")
        recentFillers = g("recent_fillers")
        recentStarts = g("recent_starts")
        articles = g("articles")
        weaponNouns = g("weapon_nouns")
        auxiliaries = g("auxiliaries")
        timeWords = g("time_words")
        reportingVerbs = ExtractorKeys.keys(lexicon.reportingVerbs)
        forceNouns = ExtractorKeys.keys(lexicon.forceNouns.filter { !$0.contains(" ") } + (lexicon.grammar["extra_force_words"] ?? []))
        defensivePurpose = ExtractorKeys.keys(lexicon.defensivePurpose.filter { !$0.contains(" ") })
        cognitionVerbs = ExtractorKeys.keys(lexicon.cognitionVerbs)
        superlatives = ExtractorKeys.keys(lexicon.superlatives)
    }
}

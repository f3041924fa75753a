/// The words and phrases the extractor's rules look for.
///
/// Each list is plain English as reporters write it; `PhraseMatcher` normalises the spelling
/// (case, apostrophes), so "Russia's" and "russias" are one entry.
enum ExtractorLexicon {
    /// Phrases that state a change of activity, with the rule name that explains them.
    static let changeCues: [(String, Change, String)] = {
        var cues: [(String, Change, String)] = []
        let up = [
            "intensified", "intensify", "intensifies", "intensifying", "intensification",
            "stepped up", "step up", "steps up", "stepping up",
            "ramped up", "ramp up", "ramps up", "ramping up",
            "escalated", "escalate", "escalates", "escalating", "escalation",
            "more active", "became active", "become active", "becomes active", "activated", "activating",
            "more frequent", "more intense", "heightened",
            "resumed", "resume", "resumes", "resuming",
            "went on the offensive", "gone on the offensive", "go on the offensive", "going on the offensive",
            "launched an offensive", "launched a new offensive", "launched offensive", "launched assaults",
            "launched an assault", "launched attacks", "launched a series of attacks",
            "renewed offensive", "renewed their offensive", "renewed its offensive", "renewed assaults",
            "renewed attacks", "renewed their attacks", "renewed its attacks",
            "sharp rise", "sharp increase", "surge in", "increase in", "increased", "increasing", "rise in",
            "redoubled",
        ]
        let down = [
            "decreased", "decrease in", "decreasing", "declined", "decline in", "reduced", "reduction in",
            "eased", "easing", "subsided", "subsiding", "slowed", "slowed down", "slowing", "slowdown",
            "lull", "paused", "pause in", "fewer attacks", "fewer assaults", "lower intensity",
            "less active", "less intense", "dropped", "fell", "weakened", "de-escalation",
        ]
        for cue in up { cues.append((cue, .intensified, "change:" + cue)) }
        for cue in down { cues.append((cue, .eased, "change:" + cue)) }
        return cues
    }()

    /// Cues that only count with an activity noun nearby ("increased" alone is not a change of
    /// fighting: "increased the number of drones" is not).
    static let needsActivityNoun: Set<String> = [
        "increased", "increasing", "increase in", "rise in", "surge in", "decreased", "decreasing",
        "declined", "decline in", "reduced", "reduction in", "dropped", "fell", "weakened", "sharp rise",
        "sharp increase", "intensification", "escalation", "escalating", "resumed", "resume", "resumes", "resuming",
    ]

    /// Nouns that name military activity.
    static let activityNouns = [
        "attack", "attacks", "assault", "assaults", "offensive", "offensives", "shelling", "shellings",
        "fighting", "fights", "battles", "hostilities", "combat", "clashes", "activity", "activities",
        "actions", "pressure", "operations", "strikes", "airstrikes", "bombardment", "bombardments",
        "intensity", "storming", "engagements", "advance", "advances", "attempts", "raids", "firing",
    ]

    /// Words naming Russia's side as the actor.
    static let russia = [
        "russia", "russias", "russian", "russians", "enemy", "enemys", "occupiers", "occupying", "occupier",
        "invaders", "invading", "kremlin", "moscow", "wagner", "rashists", "russian federation",
    ]

    /// Words naming Ukraine's side as the actor.
    static let ukraine = [
        "ukraine", "ukraines", "ukrainian", "ukrainians", "our", "we", "defence forces", "defense forces",
        "zsu", "afu", "armed forces of ukraine",
    ]

    /// Words after an actor that make it the source of the report, not the actor ("Ukraine's
    /// General Staff said", "Russian media reported").
    static let sourceNouns = [
        "general staff", "ministry", "military said", "military says", "military reported", "spokesperson",
        "spokesman", "spokeswoman", "officials", "official", "intelligence", "command", "commander",
        "minister", "president", "media", "press", "sources", "bloggers", "milbloggers", "deputy",
        "government", "army said", "forces said", "forces reported",
    ]

    /// Reporting verbs: an actor word followed closely by one of these is a source.
    static let reportingVerbs = [
        "said", "says", "say", "reported", "reports", "report", "stated", "states", "claimed", "claims",
        "told", "noted", "wrote", "added", "according", "announced", "confirmed",
    ]

    /// Words that negate a nearby cue.
    static let negations = [
        "not", "no", "never", "nor", "neither", "without", "didnt", "doesnt", "dont", "hasnt", "havent",
        "hadnt", "wasnt", "werent", "isnt", "arent", "wont", "cannot", "cant", "denied", "denies", "deny",
        "refuted", "rejected", "dismissed",
    ]

    /// Words that make a nearby cue speculation or a forecast.
    static let speculation = [
        "may", "might", "could", "would", "will", "likely", "unlikely", "expected", "expect", "expects",
        "plans", "plan", "planning", "planned", "intends", "intend", "intending", "possible", "possibly",
        "probably", "forecast", "forecasts", "predict", "predicts", "predicted", "threatens", "threaten",
        "preparing", "prepares", "prepare", "aims", "aim", "want", "wants", "seeks", "seek", "if", "whether",
        "can", "should", "set to", "going to", "about to", "risk", "warned", "warns", "anticipate", "anticipated",
        "potential", "potentially", "attempt to", "try to", "trying to",
    ]

    /// Phrases that put a whole sentence in the past.
    static let history = [
        "since the beginning of", "since the start of", "last year", "last summer", "last winter", "last spring",
        "last autumn", "last fall", "a year ago", "years ago", "months ago", "earlier this year", "in the past",
        "previously", "used this tactic", "this tactic before", "have done this before", "back in",
        "at the time", "at that time", "in previous", "historically", "once again as in",
    ]

    /// Words that make a statement habitual, not a change now.
    static let habit = [
        "regularly", "usually", "often", "typically", "routinely", "periodically", "constantly",
        "from time to time", "repeatedly", "tend to", "tends to", "traditionally", "always",
    ]

    /// Words that end a clause for the purpose of tying a cue to an axis or actor.
    static let clauseBreaks = [
        "while", "whereas", "but", "although", "though", "however", "meanwhile", "in response to",
        "because", "after", "despite",
    ]

    /// Words allowed between two axis names that form one group ("Lyman and Kupiansk sector").
    static let groupConnectors = [
        "and", "the", "in", "on", "near", "around", "direction", "directions", "axis", "axes", "sector",
        "sectors", "front", "fronts", "area", "areas", "as", "well", "also", "or", "of", "district", "districts",
        "oblast", "region", "regions",
    ]
}

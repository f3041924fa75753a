/// The words and phrases the extractor's rules look for.
///
/// Each list is plain English as reporters write it; `PhraseMatcher` normalises the spelling
/// (case, apostrophes), so "Russia's" and "russias" are one entry. Where two lists hold phrases
/// that start alike, the longest phrase wins at a position ("no sign of" over "no").
enum ExtractorLexicon {
    /// How a change cue must be supported before it counts.
    struct CueSpec: Sendable {
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

    /// Phrases that state a change of activity.
    static let cues: [CueSpec] = {
        var cues: [CueSpec] = []
        func up(_ phrases: [String], needsActivity: Bool = false, before: Bool = false, offensive: Bool = false,
                object: Bool = false, nominal: Bool = false, base: Bool = false, rightAfter: Bool = false,
                recent: Bool = false, forces: Bool = false, comparative: Bool = false) {
            for p in phrases {
                cues.append(CueSpec(phrase: p, change: .intensified, needsActivity: needsActivity, activityBeforeOnly: before,
                                    needsOffensiveNoun: offensive, needsAxisObject: object, nominal: nominal, baseForm: base,
                                    activityRightAfter: rightAfter, needsRecentStart: recent, needsForces: forces,
                                    comparative: comparative))
            }
        }
        func down(_ phrases: [String], needsActivity: Bool = false, before: Bool = false, nominal: Bool = false,
                  base: Bool = false, rightAfter: Bool = false, refusal: Bool = false) {
            for p in phrases {
                cues.append(CueSpec(phrase: p, change: .eased, needsActivity: needsActivity, activityBeforeOnly: before,
                                    nominal: nominal, baseForm: base, activityRightAfter: rightAfter,
                                    refusalSense: refusal))
            }
        }
        // Up: verbs that say it outright.
        up(["intensified", "intensifies", "intensifying", "stepped up", "steps up", "stepping up", "stepped-up",
            "ramped up", "ramps up", "ramping up", "escalated", "escalates",
            "more active", "more actively", "became active", "become active", "becomes active", "becoming active",
            "active again", "more frequent", "more frequently", "more intense", "more intensive", "more intensively",
            "more aggressive", "more aggressively",
            "went on the offensive", "gone on the offensive", "going on the offensive", "goes on the offensive",
            "went on the attack", "gone on the attack", "went over to the offensive", "gone over to the offensive",
            "heated up", "heating up", "heats up", "flared up", "flaring up", "redoubled",
            "increasingly frequent", "increasingly intense", "increasingly active", "increasingly fierce",
            "increasingly heavy", "increasingly aggressive", "ever more frequent", "ever more intense",
            "ever more active", "ever heavier", "ever fiercer"])
        up(["intensify", "step up", "ramp up", "escalate", "go on the offensive", "go on the attack"], base: true)
        // Up: a switch of mode ("switched to active combat actions"), a storm, an onslaught.
        up(["switched to active", "switched to offensive", "moved to active", "went over to active", "transitioned to active",
            "switched to assault", "stormed", "onslaught", "new wave of", "fresh wave of"])
        up(["revived", "reviving", "revives"], offensive: true)
        up(["strengthen", "strengthened", "strengthening", "strengthens", "reinforcing its", "reinforced its"],
           needsActivity: true)
        up(["intensification", "flare-up"], nominal: true)
        // Up: verbs that need the activity they apply to.
        up(["increased", "increases", "increasing", "surged", "spiked", "rose", "rising", "grew", "grown", "growing",
            "heightened", "resumed", "resumes", "resuming", "renewed", "renewing", "activated", "activating",
            "doubled", "tripled", "upped", "upping", "picked up", "worsened", "worsening", "deteriorated",
            "deteriorating", "more often", "more intensely", "hotter", "tense again", "more difficult",
            "more complicated", "more tense", "tenser", "fiercer", "more violent", "more sustained"], needsActivity: true)
        up(["heavier", "more massive", "more massed", "denser"], needsActivity: true, comparative: true)
        // Up: "more shelling of Kherson", "more guided bombs on Kurakhove" (never "more than 50 attacks").
        up(["more"], needsActivity: true, rightAfter: true, comparative: true)
        up(["increase", "resume", "renew", "deteriorate", "activate", "worsen"], needsActivity: true, base: true)
        up(["escalation", "escalating", "increase in", "increase of", "rise in", "surge in", "surge of", "surge",
            "spike in", "uptick in", "sharp rise", "sharp increase", "resumption of", "resumption", "deterioration",
            "growth in", "more attacks", "more assaults", "wave of attacks", "wave of assaults"],
           needsActivity: true, nominal: true)
        // Up: launching an offensive.
        up(["launched", "launches", "launching", "initiated", "began", "begun", "started", "mounted", "unleashed",
            "opened", "opening", "opens", "kicked off", "kicking off", "embarked on", "embarking on"], offensive: true)
        up(["launch", "initiate", "begin", "start", "mount", "unleash", "open", "kick off"], offensive: true, base: true)
        // Up: an offensive carried on since lately: "have been conducting an offensive since Tuesday".
        up(["conducting", "waging", "carrying out", "pressing", "pursuing"], offensive: true, recent: true)
        // Up: bringing in forces to attack: "bringing in significant forces and equipment".
        up(["bringing in", "brought in", "brings in", "throwing in", "threw in", "thrown in", "pulling in",
            "pulled in", "bringing up", "brought up", "committing", "committed"], forces: true)
        up(["bring in", "throw in", "pull in", "commit"], base: true, forces: true)
        // Up: reinforcing a direction to attack on it.
        up(["strengthening the", "strengthened the", "reinforcing the", "reinforced the", "building up the"],
           object: true)
        // Down.
        down(["subsided", "subsides", "subsiding", "waned", "wanes", "waning", "abated", "abates", "abating", "eased",
              "eased off", "let up", "calmed down", "quieter", "became calmer", "less active", "less intense",
              "less intensive", "less frequent", "less frequently", "less often", "lower intensity", "fewer attacks",
              "fewer assaults", "came to a halt", "ground to a halt", "scaled back", "scaled down", "tapered off"])
        // Down: "cut back on attempts to land", "cutting back its assaults".
        down(["cut back", "cut back on", "cuts back", "cuts back on", "cutting back", "cutting back on", "scaled back on",
              "scaling back", "scaling down", "cut down on", "less shelling", "less fire"], needsActivity: true)
        down(["subside", "wane", "abate", "ease"], base: true)
        // Down: quiet, a switch to defence, momentum lost.
        down(["got quiet", "went quiet", "grew quiet", "quieted down", "calmer", "switched to defense", "switched to defence",
              "switched to active defense", "switched to active defence", "went on the defensive", "went over to the defensive",
              "lost momentum", "losing momentum", "petered out", "fizzled out", "half as much", "half as many", "dwindled",
              "dwindling"])
        down(["limited", "limiting"], needsActivity: true)
        down(["lull", "halt in", "pause in", "operational pause", "de-escalation", "decrease in", "decline in",
              "reduction in", "drop in", "fall in", "downturn in"], nominal: true)
        down(["declined", "declining", "declines"], needsActivity: true, refusal: true)
        down(["decline"], needsActivity: true, base: true, refusal: true)
        down(["decreased", "decreasing", "reduced", "reducing", "weakened", "weakening",
              "diminished", "diminishing", "lessened", "slowed", "slowed down", "slowing", "slowing down", "slowdown",
              "halted", "stalled", "paused", "pausing", "easing", "lower", "fewer", "halved"], needsActivity: true)
        down(["decrease", "reduce", "slow", "slow down", "halt", "pause", "weaken"], needsActivity: true,
             base: true)
        down(["dropped", "fell", "fallen"], needsActivity: true, before: true)
        return cues
    }()

    /// Nouns that name military activity.
    static let activityNouns = [
        "attack", "attacks", "assault", "assaults", "shelling", "shellings", "fighting", "fights", "battles",
        "hostilities", "combat", "clashes", "activity", "activities", "actions", "pressure", "operations", "strikes",
        "airstrikes", "bombardment", "bombardments", "intensity", "engagements",
        "attempts", "raids", "firing", "fire", "artillery", "aviation", "efforts", "situation",
        "skirmishes", "firefights", "bombing", "bombings", "counterattacks", "shelled", "attacking", "storming",
        "stormings", "storm", "offensive operations", "offensive actions", "assault operations",
        // Air strikes on a front sector count: "increased its use of glide bombs on Kurakhove".
        "bombs", "glide bombs", "guided bombs", "guided aerial bombs", "aerial bombs", "kabs", "air strikes",
        "air attacks", "drone attacks", "drone strikes", "shells", "probing", "landing attempts",
    ]

    /// Nouns that an offensive-launching verb needs: "launched an offensive", "began assaults".
    static let offensiveNouns = [
        "offensive", "offensives", "counteroffensive", "counteroffensives", "counter-offensive", "assaults",
        "attacks", "storming", "incursion", "ground operation", "counterattacks", "counter-attacks",
        "assault", "push", "ground push", "offensive push", "ground offensive", "thrust", "cross-border assault",
        "offensive operation", "offensive operations", "assault operation", "breakthrough attempt",
    ]

    /// Nouns of troops that a reinforcing verb needs: "bringing in significant forces".
    static let forceNouns = [
        "forces", "reserves", "reinforcements", "troops", "units", "manpower", "assault groups", "assault units",
        "brigades", "battalions", "regiments", "divisions", "men", "personnel", "armour", "armor",
        "armoured vehicles", "armored vehicles", "tanks",
    ]

    /// Words after a reinforcing verb that make it a defensive move: "brought in reserves to hold the line".
    static let defensivePurpose = [
        "defend", "defence", "defense", "hold", "holding", "stabilise", "stabilize", "repel", "repulse", "plug",
        "shore up", "bolster the defence", "rotate", "replace",
    ]

    /// Verbs of the defending side: the side named before them is being attacked, so an activity
    /// that changes after them is the other side's ("Ukrainian defenders repelled ever more
    /// frequent assaults", "the town, held by Ukrainian troops, is coming under heavier fire").
    static let defenceVerbs = [
        "repelled", "repulsed", "repelling", "repulsing", "repel", "repulse", "held off", "holding off", "fought off",
        "fighting off", "beat back", "beaten back", "beating back", "came under", "coming under", "come under",
        "comes under", "under", "faced", "facing", "faces", "withstood", "withstanding", "holding out", "held out",
        "defending", "defended", "hit back", "returned fire",
    ]

    /// Verbs of saying and seeing: a negation right before them takes the clause they introduce
    /// ("I cannot say that the intensity has grown", "we have not seen an increase").
    static let cognitionVerbs = [
        "say", "said", "see", "seen", "saw", "observe", "observed", "observing", "notice", "noticed", "noticing",
        "confirm", "confirmed", "think", "believe", "speak", "talk", "record", "recorded", "registered",
        "register", "detect", "detected", "report", "reported", "claim", "call", "describe", "feel", "felt",
    ]

    /// Phrases that open a claim the speaker rebuts: the cues inside it are not asserted
    /// ("responding to claims that Russian assaults had slowed").
    static let rebuttals = [
        "responding to claims", "responding to reports", "in response to claims", "in response to reports",
        "contrary to claims", "contrary to reports", "rejecting claims", "rejected claims", "rejects claims",
        "dismissing claims", "dismissed claims", "dismisses claims", "refuting claims", "refuted claims",
        "denying claims", "denying reports", "responding to rumours", "responding to rumors", "rumours that",
        "rumors that", "reacting to claims", "commenting on claims",
    ]

    /// Words that put the places after them into an earlier event: "the lull follows weeks of
    /// battles for Sievierodonetsk", "it came after months of fighting around Bakhmut".
    static let sequence = [
        "follows", "follow", "followed", "comes after", "came after", "come after", "after weeks of",
        "after months of", "after days of", "following weeks of", "following months of", "following days of",
        "in the wake of", "on the heels of",
    ]

    /// Superlatives that make "since the start of the invasion" the baseline of a comparison, not
    /// history: "the largest attack on Russian territory since the start of the full-scale invasion".
    static let superlatives = [
        "largest", "biggest", "heaviest", "fiercest", "most", "highest", "worst", "strongest", "deadliest",
        "first", "record", "greatest", "hardest", "hottest", "toughest", "busiest",
    ]

    /// Words naming Russia's side as the actor.
    static let russia = [
        "russia", "russias", "russian", "russians", "enemy", "enemys", "occupiers", "occupying", "occupier",
        "occupants", "occupant", "invaders", "invading", "invader", "invasion forces", "kremlin", "moscow", "wagner",
        "rashists", "russian federation", "aggressor", "aggressors", "putins",
    ]

    /// Words naming Ukraine's side as the actor.
    static let ukraine = [
        "ukraine", "ukraines", "ukrainian", "ukrainians", "our", "we", "defence forces", "defense forces",
        "zsu", "afu", "armed forces of ukraine", "kyiv", "kyivs", "defenders",
    ]

    /// Words after an actor that make it the source of the report, not the actor ("Ukraine's
    /// General Staff said", "Russian media reported").
    static let sourceNouns = [
        "general staff", "ministry", "spokesperson", "spokesman", "spokeswoman", "officials", "official",
        "intelligence", "minister", "president", "media", "press", "sources", "bloggers", "milbloggers", "deputy",
        "government", "analysts", "telegram channels", "war correspondents", "authorities", "defence ministry",
        "defense ministry", "telethon", "state media", "news agency", "propagandists", "mod",
    ]

    /// Words after an actor that make it a source only when a reporting verb follows: "Ukraine's
    /// Eastern Command said" reports, "the Russian command has increased pressure" acts.
    static let agentSourceNouns = ["command", "commander", "military", "army", "forces", "troops", "side"]

    /// Reporting verbs: an actor word followed closely by one of these is a source.
    static let reportingVerbs = [
        "said", "says", "say", "reported", "reports", "report", "stated", "states", "claimed", "claims",
        "told", "noted", "wrote", "added", "announced", "confirmed", "explained", "emphasized", "emphasised",
    ]

    /// Phrases before an actor that make it a source: "according to Ukraine's military".
    static let attributions = ["according to", "citing", "cited", "reported by", "quoted by"]

    /// Words that negate a nearby cue.
    static let negations = [
        "not", "no", "never", "nor", "neither", "without", "didnt", "doesnt", "dont", "hasnt", "havent",
        "hadnt", "wasnt", "werent", "isnt", "arent", "wont", "cannot", "cant", "far from", "no sign of",
        "no signs of", "nothing", "none", "failed to", "fail to", "unable to", "no longer",
        // Refusing to confirm is no assertion: "officials declined to confirm the start of an offensive".
        "declined to confirm", "declining to confirm", "declines to confirm", "refused to confirm",
        "refusing to confirm", "refuses to confirm", "declined to comment on", "refused to comment on",
        "would not confirm", "did not confirm", "could not confirm", "could not be verified", "unconfirmed",
    ]

    /// Words that deny a report: anywhere in the sentence, they take every cue with them.
    static let denials = [
        "denied", "denies", "deny", "denying", "refuted", "refutes", "dismissed", "debunked", "false", "untrue",
        "not true", "fake", "disinformation", "misinformation", "baseless", "groundless",
    ]

    /// Words that make a nearby cue speculation or a forecast when they come before it.
    static let speculation = [
        "may", "might", "could", "would", "will", "unlikely", "expect", "expects", "expecting",
        "plans", "plan", "planning", "intends", "intend", "intending", "intention",
        "forecasts", "predict", "predicts", "threatens", "threaten",
        "preparing", "prepares", "prepare", "aims", "aim", "aiming", "want", "wants", "seeks", "seek", "if",
        "whether", "can", "should", "set to", "going to", "about to", "risk", "warned", "warns", "warning",
        "anticipate", "potential", "potentially", "in order to", "so as to", "unless", "in case", "ready to",
        "hope", "hopes", "hoping", "goal", "must", "able to", "capable of", "in an effort to",
    ]

    /// Hedges that make a statement about the past an assessment, not a forecast: "Russian forces
    /// have likely intensified" asserts; "likely to intensify" forecasts.
    static let hedges = ["likely", "highly likely", "probably", "possibly", "almost certainly", "very likely"]

    /// Words that make a cue speculation both before it and just after it ("an intensification
    /// is expected").
    static let speculationEitherSide = ["expected", "possible", "predicted", "forecast", "anticipated"]

    /// Phrases that shadow a speculation word without hedging the claim ("we can say that").
    static let neutral = ["can say", "could say", "can see", "could see", "can be said", "can confirm", "will tell",
                          "once again", "once more", "more than", "more or less", "no more than", "not more than"]

    /// Phrases that put a clause in the past.
    static let history = [
        "since the beginning of the year", "since the beginning of this year", "since the start of the year",
        "since the start of this year", "since the beginning of the war", "since the start of the war",
        "since the beginning of the full-scale", "since the start of the full-scale", "since the beginning of the invasion",
        "since the start of the invasion", "since the full-scale invasion", "since the war began", "since the invasion",
        "since the beginning of russias", "since the start of russias",
        "last year", "last summer", "last winter", "last spring", "last autumn", "last fall", "a year ago",
        "years ago", "months ago", "earlier this year", "in the past", "used this tactic",
        "this tactic before", "have done this before", "did this before", "back in", "at the time", "at that time",
        "in previous", "historically", "over the past year", "over the past two years", "throughout the war",
        "at the beginning of the war", "at the start of the war", "in the early months", "the preceding year",
        "the previous year", "during the previous", "in the first months", "once again as in", "used to",
        "in the first year", "in the second year",
    ]

    /// Words that make a statement habitual, not a change now.
    static let habit = [
        "regularly", "usually", "often", "typically", "routinely", "periodically", "from time to time",
        "repeatedly", "tend to", "tends to", "tended to", "traditionally", "always", "every time", "each time",
        "whenever", "as a rule", "habitually", "again and again", "time and again", "every year", "each year",
        "every spring", "every summer", "every winter", "every autumn",
    ]

    /// Words that end a clause for the purpose of tying a cue to an axis or actor.
    static let clauseBreaks = [
        "while", "whereas", "but", "although", "though", "however", "meanwhile", "in response to",
        "because", "despite", "in contrast", "at the same time", "on the other hand", "unlike",
        "as opposed to", "instead", "whilst", "adding that", "noting that", "saying that", "he added", "she added",
        "and added",
    ]

    /// Clause breaks that keep the topic: a clause after them that names no place is still about
    /// the place named before ("attacks near Pokrovsk went on for months, but their intensity has dropped").
    static let sameTopicBreaks = ["but", "however", "although", "though", "because", "despite"]

    /// Words that make the cue right after them a subordinate, background event: "when they
    /// intensified", "after a lull", "since Russia launched its offensive".
    static let subordinators = ["when", "after", "following", "since", "before", "until", "ever since", "once"]

    /// Phrases that point back to an axis named earlier: "in this direction", "there".
    static let anaphors = [
        "this direction", "this sector", "this axis", "this area", "this front", "this section",
        "this part of the front", "this section of the front", "that direction", "that area", "that sector",
        "these directions", "these areas", "these sectors", "the same direction", "the same area",
        "the said axis", "the said direction", "this line", "there", "here",
    ]

    /// Objects that make a change cue something other than fighting: "intensified the evacuation",
    /// "stepped up fortification work", "eased restrictions".
    static let nonMilitaryObjects = [
        "evacuation", "evacuations", "fortification", "fortifications", "defence", "defense", "defences", "defenses",
        "defensive", "mobilization", "mobilisation", "recruitment", "production", "training", "cooperation",
        "sanctions", "propaganda", "rhetoric", "diplomacy", "negotiations", "talks", "searches", "filtration",
        "repression", "repressions", "restrictions", "curfew", "rules", "presence", "construction", "exports",
        "imports", "prices", "aid", "supplies", "deliveries", "humanitarian", "demining", "rotation", "rotations",
        "losses", "casualties", "reconnaissance", "surveillance", "patrols",
    ]

    /// Words that put a strike behind the front, off any axis: energy grid, rear cities.
    static let rearTargets = [
        "energy", "infrastructure", "power grid", "power plant", "power plants", "substation", "substations",
        "refinery", "refineries", "oil depot", "airfield", "airfields", "ballistic missiles", "cruise missiles",
        "missile strikes", "missile attacks", "missile and drone", "shahed", "shaheds", "long-range", "missile",
        "missiles", "cities", "ukrainian cities",
    ]

    /// Broad regions: a cue placed there does not continue the axis of the sentence before.
    static let broadRegions = [
        "in the east", "in the south", "in the north", "in the west", "eastern ukraine", "southern ukraine",
        "northern ukraine", "donbas", "donbass", "all along the front line",
        "the whole of ukraine", "across ukraine",
    ]

    /// Phrases that place a cue away from the axes named around it.
    static let otherPlaces = [
        "elsewhere", "other areas", "other directions", "other sectors", "other parts of the front", "other fronts",
        "other axes", "other regions", "the entire front", "the entire front line", "the entire frontline",
        "the entire combat line", "the whole front", "the whole front line", "all directions", "all fronts",
        "across the front", "along the entire", "along the whole", "all along the front", "the entire contact line",
    ]

    /// Words that open a background passage, at the start of a sentence or as a heading.
    static let background = [
        "background", "previously", "recall", "reminder", "as a reminder", "for reference", "for context",
        "prehistory", "history", "context",
    ]

    /// Words allowed between two axis names that form one group ("Lyman and Kupiansk sector").
    static let groupConnectors = [
        "and", "the", "in", "on", "near", "around", "direction", "directions", "axis", "axes", "sector",
        "sectors", "front", "fronts", "area", "areas", "as", "well", "also", "or", "of", "district", "districts",
        "oblast", "region", "regions", "operational", "and in", "and on", "particularly", "especially",
        "including", "notably", "in particular",
    ]
}

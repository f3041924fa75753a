/// Hand labels for a set of articles: for each file name, the axis activity changes it asserts.
///
/// The JSON form is the one `corpus/*/labels.json` uses: an object from file name to a list of
/// `{ "axis": [accepted names], "change": ..., "actor": ..., "strength": "required" | "optional" }`.
/// An empty list means the file asserts no current change.
public struct Labels: Sendable, Codable, Equatable {
    /// Whether a label counts for recall.
    public enum Strength: String, Sendable, Codable {
        /// Plainly stated: a system that misses it is wrong.
        case required
        /// Borderline: neither rewarded nor penalised.
        case optional
    }

    /// One labelled change.
    public struct Label: Sendable, Codable, Equatable {
        /// Accepted names for the axis (the axis itself, a village on it, a grouping...).
        public var axis: [String]
        /// Which way activity moved.
        public var change: Change
        /// Whose activity changed.
        public var actor: Side
        /// Whether it counts for recall.
        public var strength: Strength
        /// The first words of the sentence that states it, when the labeller gave them.
        public var evidence: String?

        /// Creates a label.
        public init(axis: [String], change: Change, actor: Side, strength: Strength = .required, evidence: String? = nil) {
            self.axis = axis
            self.change = change
            self.actor = actor
            self.strength = strength
            self.evidence = evidence
        }
    }

    /// Labels per file name.
    public var files: [String: [Label]]

    /// Creates a label set.
    public init(files: [String: [Label]]) {
        self.files = files
    }

    public init(from decoder: any Decoder) throws {
        files = try decoder.singleValueContainer().decode([String: [Label]].self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(files)
    }
}

/// Scores extracted events against hand labels, over (file, axis, change) pairs.
public enum Evaluation {
    /// A required label no event matched.
    public struct Miss: Sendable, Equatable {
        /// The file.
        public var file: String
        /// The label that was missed.
        public var label: Labels.Label
    }

    /// An (axis, change) pair the extractor reported that no label accepts.
    public struct FalseAlarm: Sendable, Equatable {
        /// The file.
        public var file: String
        /// The first event that reported the pair (its sentence is the evidence).
        public var event: AxisEvent
    }

    /// A matched required label whose actor the extractor got wrong.
    public struct ActorError: Sendable, Equatable {
        /// The file.
        public var file: String
        /// The label.
        public var label: Labels.Label
        /// The actor the matching events named.
        public var predicted: [Side]
        /// The sentence of the first matching event.
        public var evidence: String
    }

    /// The figures and the list of errors.
    public struct Report: Sendable, Equatable {
        /// Predicted pairs matching a required label.
        public var truePositives: Int
        /// Predicted pairs matching no label.
        public var falsePositives: Int
        /// Predicted pairs matching only optional labels (not counted).
        public var ignored: Int
        /// Required labels matched by at least one predicted pair.
        public var requiredFound: Int
        /// Required labels in all.
        public var requiredTotal: Int
        /// Matched required labels whose actor was right.
        public var actorCorrect: Int
        /// Every missed required label.
        public var misses: [Miss]
        /// Every false alarm.
        public var falseAlarms: [FalseAlarm]
        /// Every wrong actor on a matched label.
        public var actorErrors: [ActorError]
        /// Files that had events but no labels (not scored).
        public var unlabeledFiles: [String]

        /// Share of counted predicted pairs that are right (1 when nothing was predicted).
        public var precision: Double {
            truePositives + falsePositives == 0 ? 1 : Double(truePositives) / Double(truePositives + falsePositives)
        }

        /// Share of required labels found (1 when there are none).
        public var recall: Double {
            requiredTotal == 0 ? 1 : Double(requiredFound) / Double(requiredTotal)
        }

        /// Harmonic mean of precision and recall.
        public var f1: Double {
            precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
        }

        /// Share of matched required labels with the right actor (1 when none matched).
        public var actorAccuracy: Double {
            requiredFound == 0 ? 1 : Double(actorCorrect) / Double(requiredFound)
        }

        /// A plain-text summary with every miss, false alarm and actor error.
        public var summary: String {
            func pct(_ v: Double) -> String {
                let scaled = Int((v * 1000).rounded())
                return "\(scaled / 10).\(scaled % 10)%"
            }
            var lines = [
                "precision \(pct(precision)) (\(truePositives) right, \(falsePositives) false alarms, \(ignored) optional)",
                "recall    \(pct(recall)) (\(requiredFound) of \(requiredTotal) required labels)",
                "F1        \(pct(f1))",
                "actor     \(pct(actorAccuracy)) (\(actorCorrect) of \(requiredFound))",
            ]
            for m in misses {
                lines.append("MISS  \(m.file): \(m.label.axis.joined(separator: "/")) \(m.label.change.rawValue) \(m.label.actor.rawValue)")
            }
            for f in falseAlarms {
                let flat = f.event.evidence.split(whereSeparator: \.isNewline).joined(separator: " ")
                lines.append("FALSE \(f.file): \(f.event.axis) \(f.event.change.rawValue) \(f.event.actor.rawValue) [\(f.event.rule)] \"\(flat)\"")
            }
            for a in actorErrors {
                let flat = a.evidence.split(whereSeparator: \.isNewline).joined(separator: " ")
                lines.append("ACTOR \(a.file): \(a.label.axis.joined(separator: "/")) \(a.label.change.rawValue) wanted \(a.label.actor.rawValue), got \(a.predicted.map(\.rawValue).joined(separator: ",")) \"\(flat)\"")
            }
            for file in unlabeledFiles {
                lines.append("UNLABELED \(file)")
            }
            return lines.joined(separator: "\n")
        }
    }

    /// Scores `events` (per file name) against `labels`.
    ///
    /// An event matches a label when their changes are equal and the event's canonical axis, or
    /// any of its variants or settlements in `gazetteer`, equals one of the label's accepted names
    /// (ignoring case and apostrophes). Events are first reduced to one per (axis, change).
    public static func score(labels: Labels, events: [String: [AxisEvent]], gazetteer: Gazetteer) -> Report {
        var report = Report(truePositives: 0, falsePositives: 0, ignored: 0, requiredFound: 0, requiredTotal: 0,
                            actorCorrect: 0, misses: [], falseAlarms: [], actorErrors: [], unlabeledFiles: [])
        let axisNames = AxisNames(gazetteer)
        func names(of axis: String) -> Set<[UInt64]> { axisNames.names(of: axis) }

        for file in events.keys.sorted() where labels.files[file] == nil && !(events[file]?.isEmpty ?? true) {
            report.unlabeledFiles.append(file)
        }
        for file in labels.files.keys.sorted() {
            let fileLabels = labels.files[file] ?? []
            let labelNames = fileLabels.map { Set($0.axis.map { Tokenizer.keys($0) }) }
            // One prediction per (axis, change): the event the tracker would keep (most confident).
            let pairs = AxisTracker.collapse(events[file] ?? []).map { (event: $0, actors: [$0.actor]) }
            func matches(_ pair: AxisEvent, _ label: Int) -> Bool {
                fileLabels[label].change == pair.change && !names(of: pair.axis).isDisjoint(with: labelNames[label])
            }
            var matchedBy: [[Int]] = Array(repeating: [], count: fileLabels.count)
            for (p, pair) in pairs.enumerated() {
                let hits = fileLabels.indices.filter { matches(pair.event, $0) }
                for h in hits { matchedBy[h].append(p) }
                if hits.contains(where: { fileLabels[$0].strength == .required }) {
                    report.truePositives += 1
                } else if hits.isEmpty {
                    report.falsePositives += 1
                    report.falseAlarms.append(FalseAlarm(file: file, event: pair.event))
                } else {
                    report.ignored += 1
                }
            }
            for (l, label) in fileLabels.enumerated() where label.strength == .required {
                report.requiredTotal += 1
                guard !matchedBy[l].isEmpty else {
                    report.misses.append(Miss(file: file, label: label))
                    continue
                }
                report.requiredFound += 1
                // The actor is right when a matching prediction names an actor that some label
                // accepting the same prediction gives (annotators may list both sides).
                let right = matchedBy[l].contains { p in
                    let accepted = fileLabels.indices.filter { matches(pairs[p].event, $0) }.map { fileLabels[$0].actor }
                    return pairs[p].actors.contains { accepted.contains($0) }
                }
                if right {
                    report.actorCorrect += 1
                } else {
                    let predicted = matchedBy[l].flatMap { pairs[$0].actors }
                    report.actorErrors.append(ActorError(file: file, label: label, predicted: predicted,
                                                         evidence: pairs[matchedBy[l][0]].event.evidence))
                }
            }
        }
        return report
    }
}

/// Every spelling of each axis, as token keys: what a label's accepted names are compared with.
public struct AxisNames: Sendable {
    let byName: [String: Set<[UInt64]>]

    /// The names of every axis of `gazetteer`.
    public init(_ gazetteer: Gazetteer) {
        var byName: [String: Set<[UInt64]>] = [:]
        for axis in gazetteer.axes { byName[axis.name] = Set(axis.allNames.map { Tokenizer.keys($0) }) }
        self.byName = byName
    }

    /// The spellings of the axis with this canonical name (just the name, for one not in the gazetteer).
    public func names(of axis: String) -> Set<[UInt64]> { byName[axis] ?? [Tokenizer.keys(axis)] }

    /// True when the label accepts the axis and the change.
    public func accepts(_ label: Labels.Label, axis: String, change: Change) -> Bool {
        label.change == change && label.axis.contains { names(of: axis).contains(Tokenizer.keys($0)) }
    }
}

/// Scores a backtest's alerts against hand labels: how many alerts stand on a labelled change,
/// and how many of the episodes the labels themselves would raise got an alert.
public enum ReplayScoring {
    /// The figures.
    public struct Result: Sendable, Equatable {
        /// Alerts raised.
        public var alerts: Int
        /// Alerts whose article has a label (required or optional) accepting their axis and change.
        public var rightAlerts: Int
        /// Episodes the required labels raise, through the same tracker.
        public var episodes: Int
        /// Episodes with an alert for the same axis and change within the tracker's window.
        public var caught: Int

        /// Share of alerts that stand on a labelled change (1 when there are none).
        public var alertPrecision: Double { alerts == 0 ? 1 : Double(rightAlerts) / Double(alerts) }
        /// Share of labelled episodes that got an alert (1 when there are none).
        public var episodesCaught: Double { episodes == 0 ? 1 : Double(caught) / Double(episodes) }
    }

    /// `labels` are keyed by file name (the last part of each article's path).
    public static func score(alerts: [Alert], articles: [DatedArticle], labels: Labels, gazetteer: Gazetteer,
                             tracker: AxisTracker) -> Result {
        let axisNames = AxisNames(gazetteer)
        func name(_ path: String) -> String { String(path.split(separator: "/").last ?? Substring(path)) }
        var right = 0
        for alert in alerts {
            let fileLabels = labels.files[name(alert.article)] ?? []
            if fileLabels.contains(where: { axisNames.accepts($0, axis: alert.axis, change: alert.change) }) { right += 1 }
        }
        // The episodes the labels raise: each required label an event on the article's date.
        let ordered = articles.filter { $0.article.date != nil }.sorted {
            ($0.article.date!, $0.path) < ($1.article.date!, $1.path)
        }
        var states: [String: AxisState] = [:]
        var truth: [Alert] = []
        for item in ordered {
            for label in labels.files[name(item.path)] ?? [] where label.strength == .required {
                guard let axis = label.axis.lazy.compactMap({ gazetteer.canonicalName(for: $0) }).first else { continue }
                let event = AxisEvent(axis: axis, actor: label.actor, change: label.change, confidence: 1, evidence: "",
                                      start: 0, end: 0, rule: "label", day: item.article.date)
                let key = axis + "\u{1F}" + label.change.rawValue
                let outcome = tracker.observe(event, article: item.path, articleDate: item.article.date!, previous: states[key])
                states[key] = outcome.state
                if let alert = outcome.alert { truth.append(alert) }
            }
        }
        let window = tracker.policy.windowDays
        let caught = truth.filter { t in
            alerts.contains { $0.axis == t.axis && $0.change == t.change && abs($0.day.days(to: t.day)) <= window }
        }.count
        return Result(alerts: alerts.count, rightAlerts: right, episodes: truth.count, caught: caught)
    }
}

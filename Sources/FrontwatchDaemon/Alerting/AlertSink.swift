import FrontwatchCore
import FrontwatchSystem

/// Where alerts go. The daemon's is the journal; tests use their own.
public protocol AlertSink: Sendable {
    /// Delivers one alert; throws when it could not be delivered (the alert stays pending).
    func deliver(_ alert: Alert) throws
}

/// Writes each alert as one structured journal entry (`sd_journal_sendv`).
public struct JournalAlertSink: AlertSink {
    let writer = JournalWriter()

    /// A sink for the system journal.
    public init() {}

    /// The fields of an alert's journal entry.
    public static func fields(for alert: Alert) -> [JournalField] {
        let intensified = alert.change == .intensified
        var fields = [
            JournalField("MESSAGE", alert.message),
            JournalField("MESSAGE_ID", intensified ? MessageID.axisIntensified : MessageID.axisEased),
            JournalField("PRIORITY", intensified ? "4" : "5"),
            JournalField("SYSLOG_IDENTIFIER", "frontwatch"),
            JournalField("FRONTWATCH_AXIS", alert.axis),
            JournalField("FRONTWATCH_ACTOR", alert.actor.rawValue),
            JournalField("FRONTWATCH_CHANGE", alert.change.rawValue),
            JournalField("FRONTWATCH_ARTICLE", alert.article),
            JournalField("FRONTWATCH_ARTICLE_DATE", alert.articleDate.description),
            JournalField("FRONTWATCH_EVENT_DATE", alert.day.description),
            JournalField("FRONTWATCH_EVIDENCE", alert.evidence),
            JournalField("FRONTWATCH_CONFIDENCE", String(format2(alert.confidence))),
            JournalField("FRONTWATCH_ALERT_ID", alert.id),
        ]
        // Where it stands, when that is more than the axis: the settlement named, a broad area.
        if let place = alert.place { fields.append(JournalField("FRONTWATCH_PLACE", place)) }
        if let kind = alert.kind { fields.append(JournalField("FRONTWATCH_AXIS_KIND", kind)) }
        return fields
    }

    public func deliver(_ alert: Alert) throws {
        try writer.send(Self.fields(for: alert))
    }
}

/// "0.90": two decimals without Foundation's locale-dependent formatting.
func format2(_ value: Double) -> String {
    let hundredths = Int((value * 100).rounded())
    let whole = hundredths / 100
    let frac = abs(hundredths % 100)
    return "\(whole).\(frac < 10 ? "0" : "")\(frac)"
}

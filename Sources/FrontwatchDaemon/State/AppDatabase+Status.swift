import FrontwatchCore
import GRDB

/// What `frontwatch status` shows: counts and each axis's current state.
public struct StatusReport: Sendable, Encodable, Equatable {
    /// One axis and direction of change, as the tracker last left it.
    public struct AxisRow: Sendable, Encodable, Equatable {
        public var axis: String
        public var change: String
        public var actor: String
        public var episode_start: String
        public var last_seen: String
        public var corroboration: Int
        public var last_alert_day: String?
        public var last_alert_id: String?
    }

    /// Articles read and recorded.
    public var processed: Int
    /// Files whose content had been processed before under another name.
    public var duplicates: Int
    /// Files that could not be read as articles.
    public var rejected: Int
    /// Alerts not yet accepted by the journal.
    public var alerts_pending: Int
    /// Alerts the journal accepted.
    public var alerts_sent: Int
    /// Every axis state, most recently active first.
    public var axes: [AxisRow]
}

extension AppDatabase {
    /// Reads the counts and axis states in one read transaction (a consistent snapshot, safe
    /// while the daemon writes: WAL readers never block the writer).
    public static func status(_ reader: any DatabaseReader) throws -> StatusReport {
        try reader.read { db in
            func count(_ sql: String) throws -> Int { try Int.fetchOne(db, sql: sql) ?? 0 }
            let axes = try Row.fetchAll(db, sql: "SELECT * FROM axis_state ORDER BY last_seen DESC, axis, change").map { row in
                StatusReport.AxisRow(axis: row["axis"], change: row["change"], actor: row["actor"],
                                     episode_start: row["episode_start"], last_seen: row["last_seen"],
                                     corroboration: row["corroboration"], last_alert_day: row["last_alert_day"],
                                     last_alert_id: row["last_alert_id"])
            }
            return StatusReport(
                processed: try count("SELECT COUNT(*) FROM file WHERE status = 'processed'"),
                duplicates: try count("SELECT COUNT(*) FROM file WHERE status = 'duplicate'"),
                rejected: try count("SELECT COUNT(*) FROM file WHERE status = 'rejected'"),
                alerts_pending: try count("SELECT COUNT(*) FROM alert WHERE status = 'pending'"),
                alerts_sent: try count("SELECT COUNT(*) FROM alert WHERE status = 'sent'"),
                axes: axes)
        }
    }
}

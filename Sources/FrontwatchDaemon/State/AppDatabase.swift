import FrontwatchCore
import FrontwatchSystem
import Foundation
import GRDB

/// The state database: processed files, their events, each axis's state, and every alert with
/// its delivery status. One type owns the schema and its migrations.
public final class AppDatabase: Sendable {
    /// The GRDB writer (a `DatabasePool` in WAL mode on disk, a `DatabaseQueue` in tests). Only
    /// this module writes: callers go through the methods, which keep the schema's rules.
    let writer: any DatabaseWriter
    /// Checkpoints the WAL off the write path (on disk only): a service, run by `Daemon.services`.
    let checkpointer: WALCheckpointer?
    /// The database file and what it was when opened (on disk only): a file deleted, replaced or
    /// emptied while the daemon runs is noticed before the next write goes into it.
    let file: (path: String, device: UInt64, inode: UInt64)?

    /// Wraps a writer and brings its schema up to date.
    public init(_ writer: any DatabaseWriter) throws {
        self.writer = writer
        self.checkpointer = nil
        self.file = nil
        try Self.migrator.migrate(writer)
    }

    private init(_ writer: any DatabaseWriter, checkpointer: WALCheckpointer, path: String) throws {
        self.writer = writer
        self.checkpointer = checkpointer
        try Self.migrator.migrate(writer)
        let identity = try FileSystem.identity(following: path)
        self.file = (path, identity.device, identity.inode)
    }

    /// The database file in a state directory.
    public static func path(in stateDirectory: String) -> String {
        stateDirectory + "/frontwatch.sqlite"
    }

    /// The file beside the database that holds its identity (`state_identity`): a state folder
    /// whose database vanished is told from a new one.
    public static func identityPath(in stateDirectory: String) -> String {
        stateDirectory + "/frontwatch.id"
    }

    /// Opens (creating if needed) the database in `stateDirectory`, in WAL mode, and checks that
    /// it is the folder's own (`frontwatch.id`). Errors say what is wrong and what to do.
    public static func open(stateDirectory: String) throws(StateDatabaseError) -> AppDatabase {
        let file = path(in: stateDirectory)
        let idFile = identityPath(in: stateDirectory)
        let expected = (try? FileSystem.readText(at: idFile, maxBytes: 4096))?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let expected, !expected.isEmpty, !FileSystem.exists(file) {
            throw StateDatabaseError(code: "state-lost", message: """
                the state database \(file) is missing, but this state folder had one (id \(expected) in \(idFile)): \
                it was deleted or moved while frontwatch was not looking. Put it back (from a backup, or where it was moved to); \
                or, to start afresh with empty state, remove \(idFile): every file in the inbox is then read again and alerts again
                """)
        }
        let database: AppDatabase
        do {
            database = try openUnchecked(stateDirectory: stateDirectory)
        } catch {
            throw StateDatabaseError(code: "state-unusable", message: """
                cannot open the state database \(file): \(error). If it is damaged, check it with \
                `sqlite3 \(file) 'PRAGMA integrity_check'` (with frontwatch stopped); to start afresh, move it aside with its \
                -wal and -shm files (`mv \(file) \(file).damaged`) and remove \(idFile): every file in the inbox is then \
                read again and alerts again
                """, underlying: "\(error)")
        }
        let actual: String
        do {
            actual = try database.writer.read { db in try String.fetchOne(db, sql: "SELECT id FROM state_identity") } ?? ""
        } catch {
            throw StateDatabaseError(code: "state-unusable", message: "cannot read the identity of the state database \(file): \(error); check it with `sqlite3 \(file) 'PRAGMA integrity_check'`",
                                     underlying: "\(error)")
        }
        if let expected, !expected.isEmpty {
            guard expected == actual else {
                throw StateDatabaseError(code: "state-replaced", message: """
                    the state database \(file) is not this state folder's (its id is \(actual), \(idFile) says \(expected)): \
                    it was replaced or emptied. Put the right one back; or, to keep this one, remove \(idFile) \
                    (files it does not know are read again and alert again)
                    """)
            }
        } else {
            do {
                try FileSystem.writeAtomically(actual + "\n", to: idFile)
            } catch {
                throw StateDatabaseError(code: "state-unusable", message: "cannot write \(idFile): \(error); the state folder must be writable")
            }
        }
        return database
    }

    /// Nil while the database file is the one opened; otherwise what happened to it.
    public func fileProblem() -> String? {
        guard let file else { return nil }
        guard let now = try? FileSystem.identity(following: file.path) else { return "was deleted or moved away" }
        if now.device != file.device || now.inode != file.inode { return "was replaced by another file" }
        if now.size == 0 { return "was emptied" }
        return nil
    }

    private static func openUnchecked(stateDirectory: String) throws -> AppDatabase {
        try FileSystem.createDirectory(stateDirectory)
        var config = Configuration()
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // Checkpoints are the WALCheckpointer's, on its own connection; the commit's own is
            // only a safety net.
            try db.execute(sql: "PRAGMA wal_autocheckpoint = \(WALCheckpointer.safetyNetPages)")
        }
        config.busyMode = .timeout(10)
        let pool = try DatabasePool(path: path(in: stateDirectory), configuration: config)
        return try AppDatabase(pool, checkpointer: WALCheckpointer(path: path(in: stateDirectory)), path: path(in: stateDirectory))
    }

    /// Opens an existing database for reading only, safe while the daemon writes to it.
    public static func openReadOnly(stateDirectory: String) throws -> any DatabaseReader {
        let file = path(in: stateDirectory)
        guard FileSystem.exists(file) else {
            throw ConfigError(code: "state-missing", message: "no state database at \(file): is --state the daemon's state directory?")
        }
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(10)
        return try DatabasePool(path: file, configuration: config)
    }

    /// An empty in-memory database, for tests and for `replay`.
    public static func inMemory() throws -> AppDatabase {
        try AppDatabase(DatabaseQueue())
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE file (
                    id INTEGER PRIMARY KEY,
                    path TEXT NOT NULL,
                    device INTEGER NOT NULL,
                    inode INTEGER NOT NULL,
                    size INTEGER NOT NULL,
                    mtime_ns INTEGER NOT NULL,
                    content_hash TEXT,
                    status TEXT NOT NULL CHECK (status IN ('processed', 'duplicate', 'rejected')),
                    reason TEXT,
                    duplicate_of INTEGER REFERENCES file(id),
                    article_date TEXT,
                    date_source TEXT,
                    encoding TEXT,
                    event_count INTEGER NOT NULL DEFAULT 0,
                    processed_at TEXT NOT NULL
                );
                CREATE INDEX file_identity ON file(path, inode, size, mtime_ns);
                CREATE INDEX file_content ON file(content_hash) WHERE status = 'processed';
                CREATE TABLE event (
                    id INTEGER PRIMARY KEY,
                    file_id INTEGER NOT NULL REFERENCES file(id) ON DELETE CASCADE,
                    axis TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    change TEXT NOT NULL,
                    confidence REAL NOT NULL,
                    evidence TEXT NOT NULL,
                    start INTEGER NOT NULL,
                    "end" INTEGER NOT NULL,
                    rule TEXT NOT NULL,
                    day TEXT
                );
                CREATE INDEX event_file ON event(file_id);
                CREATE TABLE axis_state (
                    axis TEXT NOT NULL,
                    change TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    episode_start TEXT NOT NULL,
                    last_seen TEXT NOT NULL,
                    corroboration INTEGER NOT NULL,
                    last_alert_day TEXT,
                    last_alert_id TEXT,
                    updated_at TEXT NOT NULL,
                    PRIMARY KEY (axis, change)
                );
                CREATE TABLE alert (
                    id TEXT PRIMARY KEY,
                    axis TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    change TEXT NOT NULL,
                    day TEXT NOT NULL,
                    article TEXT NOT NULL,
                    article_date TEXT NOT NULL,
                    evidence TEXT NOT NULL,
                    confidence REAL NOT NULL,
                    corroboration INTEGER NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('pending', 'sent')),
                    attempts INTEGER NOT NULL DEFAULT 0,
                    last_error TEXT,
                    created_at TEXT NOT NULL,
                    sent_at TEXT
                );
                CREATE INDEX alert_pending ON alert(created_at) WHERE status = 'pending';
                """)
        }
        migrator.registerMigration("v2-identity") { db in
            // Which database this is: `frontwatch.id` in the state folder holds the same, so a
            // database deleted, replaced or emptied is told from a first start.
            try db.execute(sql: """
                CREATE TABLE state_identity (id TEXT NOT NULL);
                INSERT INTO state_identity (id) VALUES (lower(hex(randomblob(16))));
                """)
        }
        migrator.registerMigration("v3-alert-place") { db in
            // Where an alert stands: the settlement its sentence named, and whether the axis is
            // a broad area. Alerts of earlier versions have neither.
            try db.execute(sql: """
                ALTER TABLE alert ADD COLUMN place TEXT;
                ALTER TABLE alert ADD COLUMN kind TEXT;
                """)
        }
        return migrator
    }
}

/// The state database cannot be used: what is wrong, with the path, and what to do.
public struct StateDatabaseError: Error, Sendable, CustomStringConvertible {
    /// `state-lost`, `state-replaced` or `state-unusable`.
    public var code: String
    /// What is wrong and how to fix it.
    public var message: String
    /// SQLite's own error, when there is one.
    public var underlying: String?

    /// Creates an error.
    public init(code: String, message: String, underlying: String? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    public var description: String { message }
}

/// An article read and analysed, ready to be recorded: what the store keeps of it (not its text).
public struct AnalysedArticle: Sendable, Equatable {
    /// The file it was read from.
    public var file: FileRecord
    /// The day the report speaks for.
    public var date: CalendarDay?
    /// Where `date` came from.
    public var dateSource: Article.DateSource
    /// The encoding its bytes were decoded from.
    public var encoding: TextEncoding
    /// What the extractor found in it (what is stored: see `ArticleAnalyser.bounded`).
    public var events: [AxisEvent]
    /// Events found beyond the caps, not stored.
    public var droppedEvents = 0

    /// The parts of an analysed article.
    public init(file: FileRecord, date: CalendarDay?, dateSource: Article.DateSource, encoding: TextEncoding,
                events: [AxisEvent]) {
        self.file = file
        self.date = date
        self.dateSource = dateSource
        self.encoding = encoding
        self.events = events
    }
}

/// What recording an analysed article came to.
public enum RecordResult: Sendable, Equatable {
    /// Recorded, raising these alerts (pending delivery).
    case processed(alerts: [Alert])
    /// Its content was processed before, under this path.
    case duplicate(of: String)
    /// This exact file was recorded before.
    case alreadySeen
}

/// A file as the store remembers it.
public struct FileRecord: Sendable, Equatable {
    /// Path as seen in the watch folder.
    public var path: String
    /// What `fstat` said when it was read.
    public var identity: FileIdentity
    /// Stable hash of its bytes.
    public var contentHash: String?
    /// It was rejected as unreadable before and is readable now: its rejection is dropped when
    /// it is recorded.
    public var replacesRejection = false
}

extension AppDatabase {
    /// The current UTC time as `YYYY-MM-DDTHH:MM:SSZ` (what `ISO8601DateFormatter` writes).
    /// Built by hand: a new `ISO8601DateFormatter` per call cost about 15% of the time to
    /// process an article (`frontwatch-bench --only history`).
    static func now() -> String {
        let seconds = Int(Date().timeIntervalSince1970.rounded(.down))
        let day = CalendarDay(unixSeconds: seconds)
        let t = seconds - day.dayNumber * 86_400
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : String(v) }
        return "\(day)T\(two(t / 3600)):\(two(t / 60 % 60)):\(two(t % 60))Z"
    }

    /// True when this exact file (path, inode, size, mtime) was handled before, in any way.
    public func hasSeen(path: String, identity: FileIdentity) throws -> Bool {
        try writer.read { db in try Self.hasSeen(db, path: path, identity: identity) }
    }

    /// For each file, whether it was handled before: one read transaction for them all.
    public func seen(_ files: [(path: String, identity: FileIdentity)]) throws -> [Bool] {
        try writer.read { db in try files.map { try Self.hasSeen(db, path: $0.path, identity: $0.identity) } }
    }

    /// What the store knows of a file.
    public enum Seen: Sendable, Equatable {
        /// Never handled in this form.
        case new
        /// Handled before: skip it.
        case seen
        /// Rejected before because it could not be opened for lack of permission (EACCES,
        /// EPERM), which a chmod or chown changes without changing the file: try it again.
        case unreadable
    }

    /// `reason` of a file rejected for lack of permission (see `Seen.unreadable`).
    static let unreadablePatterns = ["open:%(EACCES)", "open:%(EPERM)"]

    /// For each file, what the store knows of it: one read transaction for them all.
    public func seenStates(_ files: [(path: String, identity: FileIdentity)]) throws -> [Seen] {
        try writer.read { db in
            // MIN: any row of the file that is not an unreadable rejection means it was handled.
            let statement = try db.cachedStatement(sql: """
                SELECT MIN(CASE WHEN status = 'rejected' AND (reason LIKE ? OR reason LIKE ?) THEN 2 ELSE 1 END)
                FROM file WHERE path = ? AND inode = ? AND size = ? AND mtime_ns = ?
                """)
            return try files.map { file in
                let state = try Int.fetchOne(statement, arguments: [
                    Self.unreadablePatterns[0], Self.unreadablePatterns[1], file.path,
                    Int64(bitPattern: file.identity.inode), file.identity.size, file.identity.mtimeNanoseconds])
                switch state {
                case nil: return .new
                case 2: return .unreadable
                default: return .seen
                }
            }
        }
    }

    static func hasSeen(_ db: Database, path: String, identity: FileIdentity) throws -> Bool {
        // Cached statements: parsing the SQL anew for every call cost about a sixth of an
        // article's time (`frontwatch-bench --only history`).
        let statement = try db.cachedStatement(sql: """
            SELECT EXISTS (SELECT 1 FROM file WHERE path = ? AND inode = ? AND size = ? AND mtime_ns = ?)
            """)
        return try Bool.fetchOne(statement, arguments: [path, Int64(bitPattern: identity.inode), identity.size,
                                                        identity.mtimeNanoseconds]) ?? false
    }

    /// The path of an earlier processed file with the same content, if any.
    public func processedPath(withContentHash hash: String) throws -> String? {
        try writer.read { db in try Self.processedPath(db, contentHash: hash) }
    }

    static func processedPath(_ db: Database, contentHash hash: String) throws -> String? {
        let statement = try db.cachedStatement(sql: "SELECT path FROM file WHERE content_hash = ? AND status = 'processed' LIMIT 1")
        return try String.fetchOne(statement, arguments: [hash])
    }

    /// Records a processed article, its events, the axis states they lead to, and the alerts
    /// they raise (as pending), all in one transaction. Returns the new alerts.
    public func recordArticle(_ file: FileRecord, article: Article, events: [AxisEvent],
                              tracker: AxisTracker) throws -> [Alert] {
        let analysed = AnalysedArticle(file: file, date: article.date, dateSource: article.dateSource,
                                       encoding: article.encoding, events: events)
        guard case .processed(let alerts) = try record([analysed], tracker: tracker)[0] else { return [] }
        return alerts
    }

    /// Records analysed articles in order, in one write transaction: a file recorded before (a
    /// crash between commit and the next read can replay it) is skipped, one whose content was
    /// processed before, earlier in this batch included, is recorded as a duplicate, and every
    /// other one with its events, the axis states they lead to and the alerts they raise (as
    /// pending). Returns what became of each, in the same order.
    public func record(_ batch: [AnalysedArticle], tracker: AxisTracker) throws -> [RecordResult] {
        guard !batch.isEmpty else { return [] }
        defer { checkpointer?.wrote(batch.count) }
        return try writer.write { db in
            let now = Self.now()
            return try batch.map { try Self.record($0, db: db, tracker: tracker, now: now) }
        }
    }

    static func record(_ a: AnalysedArticle, db: Database, tracker: AxisTracker, now: String) throws -> RecordResult {
        let file = a.file
        if file.replacesRejection {
            try db.cachedStatement(sql: "DELETE FROM file WHERE path = ? AND status = 'rejected'").execute(arguments: [file.path])
        }
        if try hasSeen(db, path: file.path, identity: file.identity) { return .alreadySeen }
        if let hash = file.contentHash, let original = try processedPath(db, contentHash: hash) {
            try insertDuplicate(db, file, of: original, now: now)
            return .duplicate(of: original)
        }
        try db.cachedStatement(sql: """
            INSERT INTO file (path, device, inode, size, mtime_ns, content_hash, status, article_date, date_source,
                              encoding, event_count, processed_at)
            VALUES (?, ?, ?, ?, ?, ?, 'processed', ?, ?, ?, ?, ?)
            """).execute(arguments: [file.path, Int64(bitPattern: file.identity.device), Int64(bitPattern: file.identity.inode),
                                     file.identity.size, file.identity.mtimeNanoseconds, file.contentHash,
                                     a.date?.description, a.dateSource.rawValue, a.encoding.rawValue,
                                     a.events.count + a.droppedEvents, now])
        let fileID = db.lastInsertedRowID
        if !a.events.isEmpty {
            let insertEvent = try db.cachedStatement(sql: """
                INSERT INTO event (file_id, axis, actor, change, confidence, evidence, start, "end", rule, day)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for e in a.events {
                try insertEvent.execute(arguments: [fileID, e.axis, e.actor.rawValue, e.change.rawValue, e.confidence, e.evidence,
                                                    e.start, e.end, e.rule, e.day?.description])
            }
        }
        guard let articleDate = a.date else { return .processed(alerts: []) }
        var alerts: [Alert] = []
        for event in AxisTracker.collapse(a.events) {
            let previous = try state(db, axis: event.axis, change: event.change)
            let outcome = tracker.observe(event, article: file.path, articleDate: articleDate, previous: previous)
            if outcome.state != previous {
                try save(db, outcome.state, now: now)
            }
            if let alert = outcome.alert {
                try db.cachedStatement(sql: """
                    INSERT OR IGNORE INTO alert (id, axis, actor, change, day, article, article_date, evidence, confidence,
                                                 corroboration, place, kind, status, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)
                    """).execute(arguments: [alert.id, alert.axis, alert.actor.rawValue, alert.change.rawValue,
                                             alert.day.description, alert.article, alert.articleDate.description,
                                             alert.evidence, alert.confidence, alert.corroboration, alert.place, alert.kind, now])
                if db.changesCount > 0 { alerts.append(alert) }
            }
        }
        return .processed(alerts: alerts)
    }

    /// Records a file whose content was already processed under another name.
    public func recordDuplicate(_ file: FileRecord, of original: String) throws {
        defer { checkpointer?.wrote(1) }
        try writer.write { db in try Self.insertDuplicate(db, file, of: original, now: Self.now()) }
    }

    /// One duplicate row per path: it replaces the path's earlier one (a copy put under the same
    /// name again and again keeps one row).
    static func insertDuplicate(_ db: Database, _ file: FileRecord, of original: String, now: String) throws {
        try db.cachedStatement(sql: "DELETE FROM file WHERE path = ? AND status = 'duplicate'").execute(arguments: [file.path])
        let originalID = try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT id FROM file WHERE path = ? AND status = 'processed' ORDER BY id DESC LIMIT 1"),
            arguments: [original])
        try db.cachedStatement(sql: """
            INSERT INTO file (path, device, inode, size, mtime_ns, content_hash, status, duplicate_of, processed_at)
            VALUES (?, ?, ?, ?, ?, ?, 'duplicate', ?, ?)
            """).execute(arguments: [file.path, Int64(bitPattern: file.identity.device), Int64(bitPattern: file.identity.inode),
                                     file.identity.size, file.identity.mtimeNanoseconds, file.contentHash, originalID, now])
    }

    /// Records a rejected file with its reason, so it is not retried until it changes. One
    /// rejected row per path: it replaces the path's earlier rejection, so a name swapped in a
    /// loop (file, link, FIFO...) keeps one row, not one per swap.
    public func recordRejected(path: String, identity: FileIdentity?, reason: String) throws {
        defer { checkpointer?.wrote(1) }
        try writer.write { db in
            try db.cachedStatement(sql: "DELETE FROM file WHERE path = ? AND status = 'rejected'").execute(arguments: [path])
            try db.execute(sql: """
                INSERT INTO file (path, device, inode, size, mtime_ns, status, reason, processed_at)
                VALUES (?, ?, ?, ?, ?, 'rejected', ?, ?)
                """, arguments: [path, Int64(bitPattern: identity?.device ?? 0), Int64(bitPattern: identity?.inode ?? 0),
                                 identity?.size ?? -1, identity?.mtimeNanoseconds ?? -1, reason, Self.now()])
        }
    }

    /// Alerts recorded but not yet accepted by the journal, oldest first.
    public func pendingAlerts(limit: Int = 1000) throws -> [Alert] {
        try writer.read { db in
            try Alert.fetchAll(db, sql: "SELECT * FROM alert WHERE status = 'pending' ORDER BY created_at, rowid LIMIT ?",
                               arguments: [limit])
        }
    }

    /// Marks an alert delivered.
    public func markSent(_ id: String) throws {
        try markSent([id])
    }

    /// Marks alerts delivered, in one transaction.
    public func markSent(_ ids: [String]) throws {
        guard !ids.isEmpty else { return }
        defer { checkpointer?.wrote(ids.count) }
        try writer.write { db in
            let now = Self.now()
            let statement = try db.cachedStatement(
                sql: "UPDATE alert SET status = 'sent', sent_at = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?")
            for id in ids { try statement.execute(arguments: [now, id]) }
        }
    }

    /// Notes a failed delivery attempt; the alert stays pending.
    public func markFailed(_ id: String, error: String) throws {
        defer { checkpointer?.wrote(1) }
        try writer.write { db in
            try db.execute(sql: "UPDATE alert SET attempts = attempts + 1, last_error = ? WHERE id = ?", arguments: [error, id])
        }
    }

    /// The state of one axis and change.
    public func state(axis: String, change: Change) throws -> AxisState? {
        try writer.read { db in try Self.state(db, axis: axis, change: change) }
    }

    static func state(_ db: Database, axis: String, change: Change) throws -> AxisState? {
        try AxisState.fetchOne(db.cachedStatement(sql: "SELECT * FROM axis_state WHERE axis = ? AND change = ?"),
                               arguments: [axis, change.rawValue])
    }

    static func save(_ db: Database, _ s: AxisState, now: String) throws {
        try db.cachedStatement(sql: """
            INSERT INTO axis_state (axis, change, actor, episode_start, last_seen, corroboration, last_alert_day, last_alert_id, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (axis, change) DO UPDATE SET actor = excluded.actor, episode_start = excluded.episode_start,
                last_seen = excluded.last_seen, corroboration = excluded.corroboration,
                last_alert_day = excluded.last_alert_day, last_alert_id = excluded.last_alert_id, updated_at = excluded.updated_at
            """).execute(arguments: [s.axis, s.change.rawValue, s.actor.rawValue, s.episodeStart.description, s.lastSeen.description,
                             s.corroboration, s.lastAlertDay?.description, s.lastAlertID, now])
    }

    /// Closes the database (the bench's in-process store, once it is done with it).
    public func close() throws {
        try writer.close()
    }

    /// What `frontwatch status` reports, read from this database.
    public func status() throws -> StatusReport {
        try Self.status(writer)
    }
}

// The core's values as GRDB records: each reads its row through `RowReader`, so a value this
// version does not understand is a `StateRowError`, never a default.

extension AxisState: FetchableRecord, TableRecord {
    public static let databaseTableName = "axis_state"

    public init(row: Row) throws {
        let read = RowReader(row, table: "axis_state", key: row["axis"] as String? ?? "?")
        self.init(axis: try read.text("axis"), change: try read.parsed("change", Change.init(rawValue:)),
                  actor: try read.parsed("actor", Side.init(rawValue:)),
                  episodeStart: try read.parsed("episode_start", CalendarDay.init(iso:)),
                  lastSeen: try read.parsed("last_seen", CalendarDay.init(iso:)),
                  corroboration: try read.integer("corroboration"),
                  lastAlertDay: try read.optionalParsed("last_alert_day", CalendarDay.init(iso:)),
                  lastAlertID: row["last_alert_id"])
    }
}

extension Alert: FetchableRecord, TableRecord {
    public static let databaseTableName = "alert"

    public init(row: Row) throws {
        let read = RowReader(row, table: "alert", key: row["id"] as String? ?? "?")
        self.init(id: try read.text("id"), axis: try read.text("axis"), actor: try read.parsed("actor", Side.init(rawValue:)),
                  change: try read.parsed("change", Change.init(rawValue:)),
                  day: try read.parsed("day", CalendarDay.init(iso:)), article: try read.text("article"),
                  articleDate: try read.parsed("article_date", CalendarDay.init(iso:)),
                  evidence: try read.text("evidence"), confidence: try read.real("confidence"),
                  corroboration: try read.integer("corroboration"), place: row["place"], kind: row["kind"])
    }
}

/// A row a newer or damaged database holds, which this version cannot read: an error that names
/// the table, the row and the value, never a silent default (an unknown change read as
/// "intensified", a bad day as 1970).
public struct StateRowError: Error, CustomStringConvertible {
    public let table: String
    public let key: String
    public let column: String
    public let value: String

    public var description: String {
        "the state database has a row it cannot read: \(table) \(key), \(column) = \(value)"
    }
}

/// Reads the columns of one row, throwing `StateRowError` for a value that is missing or not understood.
struct RowReader {
    let row: Row
    let table: String
    let key: String

    init(_ row: Row, table: String, key: String) {
        self.row = row
        self.table = table
        self.key = key
    }

    func fail(_ column: String) -> StateRowError {
        let value: String
        if let text = row[column] as String? {
            value = "\"" + text + "\""
        } else {
            value = (row[column] as DatabaseValue?).map { "\($0)" } ?? "NULL"
        }
        return StateRowError(table: table, key: key, column: column, value: value)
    }

    func text(_ column: String) throws(StateRowError) -> String {
        guard let value = row[column] as String? else { throw fail(column) }
        return value
    }

    func integer(_ column: String) throws(StateRowError) -> Int {
        guard let value = row[column] as Int? else { throw fail(column) }
        return value
    }

    func real(_ column: String) throws(StateRowError) -> Double {
        guard let value = row[column] as Double? else { throw fail(column) }
        return value
    }

    func parsed<T>(_ column: String, _ parse: (String) -> T?) throws(StateRowError) -> T {
        guard let value = (row[column] as String?).flatMap(parse) else { throw fail(column) }
        return value
    }

    /// NULL is nil; any other value must parse.
    func optionalParsed<T>(_ column: String, _ parse: (String) -> T?) throws(StateRowError) -> T? {
        guard let text = row[column] as String? else { return nil }
        guard let value = parse(text) else { throw fail(column) }
        return value
    }
}

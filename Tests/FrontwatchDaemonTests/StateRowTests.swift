import FrontwatchCore
@testable import FrontwatchDaemon
import GRDB
import Testing

/// A row this version cannot read is an error that names it, never a silent default.
@Suite("state rows")
struct StateRowTests {
    @Test("an axis state with an unknown change or a day that is not a date is an error naming the table, row and value")
    func unreadableRowsAreErrors() throws {
        let database = try AppDatabase(DatabaseQueue())
        try database.writer.write { db in
            try db.execute(sql: """
                INSERT INTO axis_state (axis, change, actor, episode_start, last_seen, corroboration, updated_at)
                VALUES ('Lyman', 'surged', 'russia', '2024-05-01', '2024-05-02', 1, 'now'),
                       ('Bakhmut', 'intensified', 'russia', 'last spring', '2024-05-02', 1, 'now'),
                       ('Kupiansk', 'intensified', 'russia', '2024-05-01', '2024-05-02', 2, 'now')
                """)
        }
        #expect(try database.state(axis: "Kupiansk", change: .intensified)?.corroboration == 2, "a good row reads")
        do {
            _ = try database.state(axis: "Bakhmut", change: .intensified)
            Issue.record("a day that is not a date was read")
        } catch let error as StateRowError {
            #expect(error.description == "the state database has a row it cannot read: axis_state Bakhmut, episode_start = \"last spring\"",
                    "\(error)")
        }
        #expect(throws: StateRowError.self) {
            try database.writer.read { db in try AxisState.fetchOne(db, sql: "SELECT * FROM axis_state WHERE axis = 'Lyman'") }
        }
    }
}

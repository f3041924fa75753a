import FrontwatchCore
import Logging

/// Sends pending alerts to the sink and marks them sent; what fails stays pending for a retry.
///
/// The order is the at-least-once half of the guarantee: an alert is recorded pending in the
/// same transaction as the state change that raised it, sent, then marked sent. A crash between
/// send and mark resends it with the same `FRONTWATCH_ALERT_ID`.
package struct AlertDispatcher: Sendable {
    let database: AppDatabase
    let sink: any AlertSink
    let logger: Logger

    /// A dispatcher from `database` to `sink` (the bench's history test uses one, with a counting sink).
    package init(database: AppDatabase, sink: any AlertSink, logger: Logger) {
        self.database = database
        self.sink = sink
        self.logger = logger
    }

    /// Delivers every pending alert; returns how many are still pending afterwards (not taken
    /// by the journal, or taken but not yet marked sent). `unmarked` holds the alerts the journal
    /// took whose marking failed (a full state disk): they are marked again at each flush, and
    /// never sent again by this process.
    package func flush(unmarked: inout Set<String>) -> Int {
        if !unmarked.isEmpty {
            do {
                try database.markSent(Array(unmarked))
                logger.notice("\(unmarked.count) alerts sent earlier are now marked sent", metadata: ["alerts": "\(unmarked.count)"])
                unmarked = []
            } catch {
                logger.debug("alerts sent but still not marked sent", metadata: ["error": "\(StorageFailure(error))"])
            }
        }
        let pending: [Alert]
        do {
            pending = try database.pendingAlerts()
        } catch {
            logger.error("cannot read pending alerts from the state database", metadata: ["error": "\(error)"])
            return max(1, unmarked.count)  // keeps the retry going
        }
        var failed = 0
        var sent: [String] = []
        for alert in pending where !unmarked.contains(alert.id) {
            do {
                try sink.deliver(alert)
                sent.append(alert.id)
            } catch {
                failed += 1
                try? database.markFailed(alert.id, error: "\(error)")
                logger.warning("the journal did not take an alert; it stays pending and will be retried",
                               metadata: ["alert_id": "\(alert.id)", "axis": "\(alert.axis)", "error": "\(error)"])
            }
        }
        // Marked together, in one transaction: a crash before it resends them all, with their ids.
        do {
            try database.markSent(sent)
        } catch {
            if unmarked.isEmpty {
                logger.error("alerts sent but not marked sent in the state database (\(StorageFailure(error))); marking them is retried, they are not sent again unless frontwatch restarts first",
                             metadata: ["alert_ids": "\(sent.joined(separator: ","))", "error": "\(error)"])
            }
            unmarked.formUnion(sent)
        }
        return failed + unmarked.count
    }
}

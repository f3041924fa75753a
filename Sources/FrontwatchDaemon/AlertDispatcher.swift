import FrontwatchCore
import Logging

/// Sends pending alerts to the sink and marks them sent; what fails stays pending for a retry.
///
/// The order is the at-least-once half of the guarantee: an alert is recorded pending in the
/// same transaction as the state change that raised it, sent, then marked sent. A crash between
/// send and mark resends it with the same `FRONTWATCH_ALERT_ID`.
struct AlertDispatcher: Sendable {
    let database: AppDatabase
    let sink: any AlertSink
    let logger: Logger

    /// Delivers every pending alert; returns how many are still pending afterwards.
    func flush() -> Int {
        let pending: [Alert]
        do {
            pending = try database.pendingAlerts()
        } catch {
            logger.error("cannot read pending alerts from the state database", metadata: ["error": "\(error)"])
            return 0
        }
        var failed = 0
        var sent: [String] = []
        for alert in pending {
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
            logger.error("alerts sent but not marked sent; they may be sent again with the same ids",
                         metadata: ["alert_ids": "\(sent.joined(separator: ","))", "error": "\(error)"])
        }
        return failed
    }
}

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
        for alert in pending {
            do {
                try sink.deliver(alert)
            } catch {
                failed += 1
                try? database.markFailed(alert.id, error: "\(error)")
                logger.warning("the journal did not take an alert; it stays pending and will be retried",
                               metadata: ["alert_id": "\(alert.id)", "axis": "\(alert.axis)", "error": "\(error)"])
                continue
            }
            do {
                try database.markSent(alert.id)
            } catch {
                logger.error("alert sent but not marked sent; it may be sent again with the same id",
                             metadata: ["alert_id": "\(alert.id)", "error": "\(error)"])
            }
        }
        return failed
    }
}

import GRDB

/// Why the state database could not be written: out of space, or another storage error.
///
/// Never a reason to give up on an article or to count a crash: the write is retried with
/// backoff while the daemon runs (`AnalysisService`), and the article waits.
public struct StorageFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure.
    public enum Kind: String, Sendable {
        /// `SQLITE_FULL`: the file system of the state folder (or its quota) is full.
        case outOfSpace = "out-of-space"
        /// Anything else: an I/O error, a read-only or vanished file, a lock held too long.
        case other
    }

    /// Out of space or not.
    public var kind: Kind
    /// SQLite's (or the system's) own words, for the log.
    public var message: String

    /// Classifies an error thrown by a database write.
    public init(_ error: any Error) {
        if let db = error as? DatabaseError {
            kind = db.resultCode == .SQLITE_FULL ? .outOfSpace : .other
            message = "\(db.message ?? "\(db.resultCode)") (\(db.extendedResultCode))"
        } else {
            kind = .other
            message = "\(error)"
        }
    }

    public var description: String { message }
}

import Glibc
import Logging

/// A swift-log handler that writes each message to the journal as a structured entry, or as a
/// readable line on stderr when there is no journal.
///
/// Fields: `MESSAGE`, `PRIORITY` (syslog levels: critical 2, error 3, warning 4, notice 5,
/// info 6, debug and trace 7), `SYSLOG_IDENTIFIER`, `CODE_FILE`, `CODE_LINE`, `CODE_FUNC`, and one
/// field per metadata key, uppercased and prefixed `FRONTWATCH_` (except `errno` and
/// `message_id`, which fill journald's own `ERRNO` and `MESSAGE_ID`).
public struct JournalLogHandler: LogHandler {
    /// Where messages go.
    public enum Destination: Sendable {
        /// The journal while a journald answers, else stderr (the default). Tried per message,
        /// so a journald that starts or restarts later is used from then on, and a socket left
        /// behind by a dead journald sends messages to stderr, not into nothing.
        case automatic
        /// Always stderr.
        case stderr
    }

    /// Metadata attached to every message of this handler.
    public var metadata: Logger.Metadata = [:]
    /// Messages below this level are dropped by `Logger` before they reach the handler.
    public var logLevel: Logger.Level
    /// Adds task-local metadata.
    public var metadataProvider: Logger.MetadataProvider?

    let identifier: String
    let label: String
    let destination: Destination
    let writer = JournalWriter()

    /// A handler for `label`, sending as `identifier` (the journal's `SYSLOG_IDENTIFIER`).
    public init(label: String, identifier: String = "frontwatch", level: Logger.Level = .info,
                destination: Destination = .automatic) {
        self.label = label
        self.identifier = identifier
        self.logLevel = level
        self.destination = destination
    }

    private var useJournal: Bool { destination == .automatic }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// The syslog priority for a swift-log level.
    public static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: return 7
        case .info: return 6
        case .notice: return 5
        case .warning: return 4
        case .error: return 3
        case .critical: return 2
        }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let own = event.metadata { merged.merge(own) { _, new in new } }
        let message = event.message.description
        if useJournal {
            var fields = [
                JournalField("MESSAGE", message),
                JournalField("PRIORITY", String(Self.priority(event.level))),
                JournalField("SYSLOG_IDENTIFIER", identifier),
                JournalField("CODE_FILE", event.file),
                JournalField("CODE_LINE", String(event.line)),
                JournalField("CODE_FUNC", event.function),
                JournalField("FRONTWATCH_LOGGER", label),
            ]
            for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
                switch key {
                case "errno": fields.append(JournalField("ERRNO", value.description))
                case "message_id": fields.append(JournalField("MESSAGE_ID", value.description))
                default: fields.append(JournalField("FRONTWATCH_" + key, value.description))
                }
            }
            do {
                try writer.send(fields)
                return
            } catch {
                // Fall through to stderr: a message must not vanish because journald is away.
            }
        }
        var line = "\(event.level.rawValue.uppercased()) \(label): \(message)"
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
            line += " \(key)=\(Self.quoteIfNeeded(value.description))"
        }
        line += "\n"
        _ = line.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress!, $0.count - 1) }
    }

    static func quoteIfNeeded(_ s: String) -> String {
        if !s.isEmpty, !s.contains(where: { $0 == " " || $0 == "\"" || $0.isNewline }) { return s }
        var out = "\""
        for c in s {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.append(c)
            }
        }
        return out + "\""
    }
}

import FrontwatchSystem

extension JournalWriter {
    /// True when a journald listens on its socket. The socket file alone proves nothing: a
    /// journald that was killed leaves it behind, and sending to it is `ECONNREFUSED`.
    public static var isAvailable: Bool {
        JournalWriter().isListening
    }
}

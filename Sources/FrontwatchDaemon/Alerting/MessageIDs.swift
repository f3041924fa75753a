/// The fixed journal `MESSAGE_ID`s frontwatch emits, made once with `systemd-id128 new`.
/// `systemd/frontwatch.catalog` explains each one to `journalctl -x`.
public enum MessageID {
    /// An axis newly intensified (PRIORITY=4).
    public static let axisIntensified = "9cda11e551a04de1a85751b084e59831"
    /// Activity on an axis eased (PRIORITY=5), when `tracker.alert_on_eased` is on.
    public static let axisEased = "be697221fd724c14b5bf4027fc99aed5"
    /// A file in the watch folder could not be read as an article (PRIORITY=3).
    public static let fileRejected = "1a160e4c889f41cd8f30fae9e3f1f992"
    /// The state database cannot be written (its file system is full, an I/O error): articles
    /// wait and are retried (PRIORITY=2).
    public static let stateUnwritable = "58188b9eedf342829975a008418cb060"
    /// The daemon started watching (PRIORITY=6).
    public static let started = "5b842cde5c744fffa6d76b0131c3e2af"
}

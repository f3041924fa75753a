import Glibc

extension DaemonProcess {
    /// Starts `binary run` on these folders, as systemd would (`NOTIFY_SOCKET` is `notify`'s),
    /// and waits for its `READY=1` in `messages`; when it does not come within `readySeconds`,
    /// kills the daemon and throws, with what it wrote to stderr.
    public static func run(binary: String = DaemonProcess.binary, inbox: String, state: String, configPath: String,
                           log: String = "journal", notify: NotifySocket, messages: NotifyMessages,
                           environment: [String: String] = [:], launcher: [String] = [], anyJournal: Bool = false,
                           readySeconds: Double = 30) async throws -> DaemonProcess {
        let from = await messages.count
        let process = try DaemonProcess(
            binary: binary, arguments: ["run", "--watch", inbox, "--state", state, "--config", configPath, "--log", log],
            environment: ["NOTIFY_SOCKET": notify.path].merging(environment) { _, new in new }, launcher: launcher,
            anyJournal: anyJournal)
        do {
            try await messages.waitFor("READY=1", from: from, seconds: readySeconds) { $0.split(separator: "\n").contains("READY=1") }
        } catch {
            process.signal(SIGKILL)
            _ = await process.waitForExit()
            throw TestFailure("the daemon did not get ready: \(error); stderr: \(process.stderrText())")
        }
        return process
    }
}

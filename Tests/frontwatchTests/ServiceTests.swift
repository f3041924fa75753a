import Foundation
import FrontwatchTestSupport
import Glibc
import Testing

/// The systemd unit and its installation: static checks with systemd's own tools, an install
/// into a DESTDIR checked file by file, and the unit's ExecStart run as systemd would run it.
@Suite("systemd service", .serialized)
struct ServiceTests {
    static let unitPath = repositoryRoot + "/systemd/frontwatch.service"
    static let installedBinary = "/usr/local/bin/frontwatch"

    // MARK: The unit

    @Test("the unit asks for notify, watchdog, reload by SIGHUP, restart, state/config folders and no network")
    func unitSettings() throws {
        let unit = try UnitFile(path: Self.unitPath)
        #expect(unit.value("Type") == "notify")
        #expect(unit.value("NotifyAccess") == "main")
        #expect(unit.value("WatchdogSec").map { !$0.isEmpty && $0 != "0" } == true)
        #expect(unit.value("ExecReload") == "/bin/kill -HUP $MAINPID")
        #expect(unit.value("Restart") == "on-failure")
        #expect(unit.value("StateDirectory") == "frontwatch")
        #expect(unit.value("ConfigurationDirectory") == "frontwatch")
        #expect(unit.value("LogRateLimitIntervalSec") != nil && unit.value("LogRateLimitBurst") != nil)
        #expect(unit.value("PrivateNetwork") == "yes")
        #expect(unit.value("RestrictAddressFamilies") == "AF_UNIX")
        #expect(unit.value("IPAddressDeny") == "any")
        #expect(unit.value("ProtectSystem") == "strict")
        #expect(unit.values("ReadWritePaths").isEmpty, "the only writable place is StateDirectory=")
        #expect(unit.value("CapabilityBoundingSet") == "")
        #expect(unit.value("AmbientCapabilities") == "")
        #expect(unit.values("SystemCallFilter").first == "@system-service")
        #expect(unit.value("User") == "frontwatch")
        let exec = try #require(unit.value("ExecStart").flatMap(UnitFile.simpleCommand))
        #expect(exec.first == Self.installedBinary, "make install rewrites this path; keep them in step")
        #expect(unit.value("WantedBy", in: "Install") == "multi-user.target")
    }

    @Test("systemd-analyze verify passes (ExecStart pointed at the built binary)")
    func verify() async throws {
        let folder = try TempFolder("verify")
        defer { folder.remove() }
        let copy = folder.path + "/frontwatch.service"
        let text = try String(contentsOfFile: Self.unitPath, encoding: .utf8)
            .replacingOccurrences(of: "=\(Self.installedBinary) ", with: "=\(DaemonProcess.binary) ")  // ExecStart=, ExecReload=
        try text.write(toFile: copy, atomically: true, encoding: .utf8)
        // The man page is checked by the DESTDIR test, where it is installed.
        let result = try await runCommand("/usr/bin/systemd-analyze", ["verify", "--man=no", copy])
        #expect(result.succeeded, "\(result.all)")
        #expect(result.stderr.isEmpty && result.stdout.isEmpty, "verify has complaints: \(result.all)")
    }

    @Test("systemd-analyze security --offline=true rates the unit 1.5 or better")
    func securityRating() async throws {
        let result = try await runCommand("/usr/bin/systemd-analyze",
                                          ["security", "--offline=true", "--threshold=15", "--no-pager", Self.unitPath])
        let line = try #require(result.stdout.split(separator: "\n").first { $0.contains("Overall exposure level") },
                                "no rating in \(result.all)")
        let figure = line.split(separator: ":").last?.split(separator: " ").first.flatMap { Double($0) }
        let rating = try #require(figure, "cannot read the rating in: \(line)")
        #expect(rating <= 1.5, "exposure \(rating): \(result.stdout)")
        #expect(result.succeeded, "systemd-analyze's own threshold check: \(result.all)")
    }

    // MARK: The catalog

    @Test("the journal catalog explains every MESSAGE_ID frontwatch emits, and journalctl accepts it")
    func catalogCoversEveryMessageID() async throws {
        let ids = try messageIDs()
        #expect(ids.count >= 4)
        let folder = try TempFolder("catalog")
        defer { folder.remove() }
        let catalogs = try folder.sub("usr/lib/systemd/catalog")
        try FileManager.default.copyItem(atPath: repositoryRoot + "/systemd/frontwatch.catalog", toPath: catalogs + "/frontwatch.catalog")
        let update = try await runCommand("/usr/bin/journalctl", ["--root=\(folder.path)", "--update-catalog"])
        #expect(update.succeeded && update.stderr.isEmpty, "\(update.all)")
        let list = try await runCommand("/usr/bin/journalctl", ["--root=\(folder.path)", "--list-catalog", "--no-pager"])
        let listed = Set(list.stdout.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) })
        #expect(listed == Set(ids), "catalog ids \(listed) vs MessageIDs.swift \(ids)")

        // Each entry's @FIELD@ substitutions name fields that entry really carries.
        let carried: [String: Set<String>] = [
            "9cda11e551a04de1a85751b084e59831": alertFields, "be697221fd724c14b5bf4027fc99aed5": alertFields,
            "1a160e4c889f41cd8f30fae9e3f1f992": ["FRONTWATCH_FILE", "FRONTWATCH_REASON", "ERRNO"],
            "5b842cde5c744fffa6d76b0131c3e2af": ["FRONTWATCH_FOLDER"],
            "58188b9eedf342829975a008418cb060": ["FRONTWATCH_FOLDER", "FRONTWATCH_ERROR", "FRONTWATCH_REASON"],
        ]
        for id in ids {
            let dump = try await runCommand("/usr/bin/journalctl", ["--root=\(folder.path)", "--dump-catalog", "--no-pager", id])
            let text = dump.stdout
            #expect(text.contains("Subject: "), "entry \(id) has a subject")
            #expect(text.contains("What to do") || id == "5b842cde5c744fffa6d76b0131c3e2af" || id == "be697221fd724c14b5bf4027fc99aed5",
                    "entry \(id) says what to do")
            let used = substitutions(in: text)
            #expect(!used.isEmpty, "entry \(id) uses the entry's fields")
            #expect(used.isSubset(of: carried[id] ?? []), "entry \(id) names fields it does not carry: \(used.subtracting(carried[id] ?? []))")
        }
        #expect(carried.keys.sorted() == ids.sorted(), "this test knows every MESSAGE_ID")
    }

    // MARK: Installation

    @Test("make deb builds its own static binary, apart from the demo's and the tests' .build, and refuses one that loads the Swift runtime")
    func debNeedsAStaticBinary() async throws {
        let make = try #require(which("make"), "make is not installed (apt-get install make)")
        // What `make deb` packages when no BINARY= is given: a build of its own.
        let probe = try await runCommand(make, ["-s", "-C", repositoryRoot, "--eval",
                                                "probe: ; @echo $(BINARY); echo $(SWIFT_BUILD_FLAGS)", "probe"])
        let lines = probe.stdout.split(separator: "\n").map(String.init)
        try #require(lines.count == 2, "\(probe.all)")
        #expect(lines[0] != ".build/release/frontwatch" && !lines[0].hasPrefix(".build/debug") && lines[0].hasPrefix(".build/"),
                "not the binary scripts/demo builds: \(lines[0])")
        #expect(lines[1].contains("--static-swift-stdlib"), "\(lines[1])")
        // The tests' binary loads libswiftCore.so from the toolchain, as the demo's does.
        let folder = try TempFolder("deb")
        defer { folder.remove() }
        let refused = try await runCommand(make, ["-C", repositoryRoot, "deb", "BINARY=\(DaemonProcess.binary)", "SCRATCH=\(folder.path)"])
        #expect(!refused.succeeded && refused.stderr.contains("loads the Swift runtime from the toolchain (") && refused.stderr.contains("libswiftCore.so"), "\(refused.all)")
        let debs = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".deb") }
        #expect(debs.isEmpty, "no package of a binary that cannot start elsewhere: \(debs)")
    }

    @Test("make install DESTDIR=... puts every file in place, keeps changed configuration, and uninstalls")
    func installIntoDestdir() async throws {
        guard let make = which("make") else {
            Issue.record("make is not installed (apt-get install make)")
            return
        }
        let folder = try TempFolder("destdir")
        defer { folder.remove() }
        let root = folder.path + "/root", gen = folder.path + "/gen"
        let variables = ["DESTDIR=\(root)", "BINARY=\(DaemonProcess.binary)", "MAN_FROM=help", "GENDIR=\(gen)", "STRIP="]
        let install = try await runCommand(make, ["-C", repositoryRoot, "install"] + variables)
        try #require(install.succeeded, "\(install.all)")
        #expect(install.stdout.contains("nothing applied"), "a DESTDIR install applies nothing to the running system")

        let expected: [String: Int] = [  // path under DESTDIR: mode
            "usr/local/bin/frontwatch": 0o755,
            "usr/local/lib/systemd/system/frontwatch.service": 0o644,
            "usr/local/lib/systemd/catalog/frontwatch.catalog": 0o644,
            "usr/local/lib/sysusers.d/frontwatch.conf": 0o644,
            "usr/local/lib/tmpfiles.d/frontwatch.conf": 0o644,
            "usr/local/share/man/man1/frontwatch.1": 0o644,
            "usr/local/share/bash-completion/completions/frontwatch": 0o644,
            "usr/local/share/zsh/site-functions/_frontwatch": 0o644,
            "usr/local/share/fish/vendor_completions.d/frontwatch.fish": 0o644,
            "usr/local/share/frontwatch/frontwatch.yaml": 0o644,
            "usr/local/share/frontwatch/gazetteer.yaml": 0o644,
            "usr/local/share/frontwatch/lexicon.en.yaml": 0o644,
            "usr/local/share/frontwatch/scorer.en.tsv": 0o644,
            "etc/frontwatch/frontwatch.yaml": 0o644,
            "etc/frontwatch/gazetteer.yaml": 0o644,
            "etc/frontwatch/lexicon.en.yaml": 0o644,
        ]
        #expect(try regularFiles(under: root) == Set(expected.keys), "exactly these files, nothing else")
        for (path, mode) in expected {
            let attributes = try FileManager.default.attributesOfItem(atPath: root + "/" + path)
            #expect((attributes[.posixPermissions] as? Int) == mode, "mode of \(path)")
        }
        func contents(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }
        func text(_ path: String) throws -> String { try String(contentsOfFile: root + "/" + path, encoding: .utf8) }
        #expect(try contents(root + "/usr/local/bin/frontwatch") == contents(DaemonProcess.binary))
        for (installed, source) in [
            ("usr/local/lib/systemd/catalog/frontwatch.catalog", "systemd/frontwatch.catalog"),
            ("usr/local/lib/sysusers.d/frontwatch.conf", "systemd/frontwatch.sysusers"),
            ("usr/local/lib/tmpfiles.d/frontwatch.conf", "systemd/frontwatch.tmpfiles"),
            ("etc/frontwatch/frontwatch.yaml", "config/frontwatch.yaml"),
            ("etc/frontwatch/gazetteer.yaml", "config/gazetteer.yaml"),
            ("usr/local/share/frontwatch/gazetteer.yaml", "config/gazetteer.yaml"),
            ("etc/frontwatch/lexicon.en.yaml", "config/lexicon.en.yaml"),
            ("usr/local/share/frontwatch/scorer.en.tsv", "config/scorer.en.tsv"),
        ] {
            #expect(try contents(root + "/" + installed) == contents(repositoryRoot + "/" + source), "\(installed) is \(source)")
        }
        #expect(try text("usr/local/lib/systemd/system/frontwatch.service")
            == String(contentsOfFile: Self.unitPath, encoding: .utf8), "with PREFIX=/usr/local the unit is installed as is")
        let man = try text("usr/local/share/man/man1/frontwatch.1")
        #expect(man.contains(".TH FRONTWATCH 1") || man.contains(".Dt FRONTWATCH 1"), "a section 1 man page")
        #expect(man.contains("--watch") && man.contains("--state") && man.contains("analyze"), "from the command-line help")
        #expect(try text("usr/local/share/bash-completion/completions/frontwatch").contains("_frontwatch"))
        #expect(try text("usr/local/share/zsh/site-functions/_frontwatch").hasPrefix("#compdef frontwatch"))
        #expect(try text("usr/local/share/fish/vendor_completions.d/frontwatch.fish").contains("complete -c 'frontwatch'"))

        // The installed unit verifies, its man page included (found through MANPATH in the
        // staged tree), with ExecStart= pointed at the staged binary.
        let staged = folder.path + "/frontwatch.service"
        try text("usr/local/lib/systemd/system/frontwatch.service")
            .replacingOccurrences(of: "=\(Self.installedBinary) ", with: "=\(root)\(Self.installedBinary) ")
            .write(toFile: staged, atomically: true, encoding: .utf8)
        let checkMan = which("man") != nil
        let verify = try await runCommand("/usr/bin/systemd-analyze", ["verify", "--man=\(checkMan ? "yes" : "no")", staged],
                                          environment: ["MANPATH": root + "/usr/local/share/man"])
        #expect(verify.succeeded && verify.stderr.isEmpty, "\(verify.all)")

        // The snippets applied inside the DESTDIR: the group exists, the inbox is the group's only.
        let sysusers = try await runCommand("/usr/bin/systemd-sysusers", ["--root=\(root)"])
        #expect(sysusers.succeeded, "\(sysusers.all)")
        let groupLine = try text("etc/group").split(separator: "\n").first { $0.hasPrefix("frontwatch:") }
        let gid = try #require(groupLine.flatMap { $0.split(separator: ":", omittingEmptySubsequences: false).dropFirst(2).first }
            .flatMap { UInt32($0) }, "group frontwatch in \(root)/etc/group")
        let user = try text("etc/passwd").split(separator: "\n").first { $0.hasPrefix("frontwatch:") }
            .map { $0.split(separator: ":", omittingEmptySubsequences: false).map(String.init) }
        #expect(user?[3] == "\(gid)", "user frontwatch, primary group frontwatch: \(user ?? [])")
        #expect(user?[5] == "/var/lib/frontwatch" && user?[6] == "/usr/sbin/nologin")
        let tmpfiles = try await runCommand("/usr/bin/systemd-tmpfiles", ["--root=\(root)", "--create"])
        #expect(tmpfiles.succeeded, "\(tmpfiles.all)")
        var inbox = stat()
        #expect(stat(root + "/var/spool/frontwatch/inbox", &inbox) == 0)
        #expect(inbox.st_mode & 0o7777 == 0o2770, "inbox mode \(String(inbox.st_mode & 0o7777, radix: 8))")
        #expect(inbox.st_uid == 0 && inbox.st_gid == gid, "inbox owned by root:frontwatch")

        // A changed /etc file survives a reinstall; the new default lands beside it as .new.
        let edited = root + "/etc/frontwatch/frontwatch.yaml"
        try Data("log:\n  level: debug\n".utf8).write(to: URL(fileURLWithPath: edited))
        let again = try await runCommand(make, ["-C", repositoryRoot, "install"] + variables)
        try #require(again.succeeded, "\(again.all)")
        #expect(try text("etc/frontwatch/frontwatch.yaml") == "log:\n  level: debug\n")
        #expect(try contents(edited + ".new") == contents(repositoryRoot + "/config/frontwatch.yaml"))
        #expect(again.stdout.contains("/etc/frontwatch/frontwatch.yaml has local changes"), "says so: \(again.stdout)")
        #expect(!FileManager.default.fileExists(atPath: root + "/etc/frontwatch/gazetteer.yaml.new"), "unchanged files are simply updated")

        // Uninstall removes what install put under PREFIX and leaves /etc and state alone.
        let uninstall = try await runCommand(make, ["-C", repositoryRoot, "uninstall"] + variables)
        try #require(uninstall.succeeded, "\(uninstall.all)")
        let left = try regularFiles(under: root)
        #expect(left.filter { $0.hasPrefix("usr/") }.isEmpty, "left under usr/: \(left)")
        #expect(left.isSuperset(of: ["etc/frontwatch/frontwatch.yaml", "etc/frontwatch/frontwatch.yaml.new",
                                     "etc/frontwatch/gazetteer.yaml"]))
        #expect(FileManager.default.fileExists(atPath: root + "/var/spool/frontwatch/inbox"))
    }

    // MARK: Running as systemd would

    @Test("ExecStart as written, with systemd's environment: READY, watchdog pings, reload, alerts, STOPPING, clean exit")
    func execStartAsSystemdWould() async throws {
        #expect(!exampleArticle.isEmpty)
        try await TestJournal.ensureRunning()
        let unit = try UnitFile(path: Self.unitPath)
        var command = try #require(unit.value("ExecStart").flatMap(UnitFile.simpleCommand))
        #expect(command.first == Self.installedBinary)
        command[0] = DaemonProcess.binary

        // What systemd prepares: ConfigurationDirectory= (the shipped configuration, its inbox
        // moved to a temporary folder), StateDirectory=, the notify socket and the watchdog.
        let folder = try TempFolder("service")
        defer { folder.remove() }
        let configDir = try folder.sub("etc/frontwatch"), stateDir = try folder.sub("var/lib/frontwatch")
        let inbox = try folder.sub("inbox"), staging = try folder.sub("staging")
        let shipped = try String(contentsOfFile: repositoryRoot + "/config/frontwatch.yaml", encoding: .utf8)
        let config = shipped.replacingOccurrences(of: "directory: /var/spool/frontwatch/inbox", with: "directory: \(inbox)")
        #expect(config != shipped, "the shipped configuration names the inbox")
        try config.write(toFile: configDir + "/frontwatch.yaml", atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(atPath: repositoryRoot + "/config/gazetteer.yaml", toPath: configDir + "/gazetteer.yaml")
        let notify = try NotifySocket(in: folder.path)
        defer { notify.close() }
        let recorder = NotifyMessages.recording(notify)
        let watchdogUsec = 400_000

        let daemon = try DaemonProcess(arguments: Array(command.dropFirst()), environment: [
            "NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": "\(watchdogUsec)",
            "STATE_DIRECTORY": stateDir, "CONFIGURATION_DIRECTORY": configDir,
        ])
        var exited = false
        defer { if !exited { daemon.signal(SIGKILL) } }

        let ready = try await recorder.waitFor("READY=1")
        var messages = await recorder.messages
        #expect(!messages[...ready].contains { $0.contains("STOPPING=1") || $0.contains("RELOADING=1") })
        #expect(messages[ready].contains("STATUS=watching \(inbox)"), "watches the configured inbox: \(messages[ready])")
        #expect(FileManager.default.fileExists(atPath: stateDir + "/frontwatch.sqlite"), "state in $STATE_DIRECTORY")

        // Watchdog pings come from the work loop, every WATCHDOG_USEC/2.
        let firstPing = try await recorder.waitFor("WATCHDOG=1")
        _ = try await recorder.waitFor("WATCHDOG=1", from: firstPing + 1)

        // An article in the configured inbox is read and alerts (EndToEndTests checks which).
        try dropAtomically(exampleArticle, named: "kupiansk.txt", into: inbox, staging: staging)
        let status = try await recorder.waitFor("STATUS=processed 1,", prefix: true, seconds: 60)
        let statusLine = await recorder.messages[status]
        #expect(!statusLine.contains("alerts 0,"), "the example article alerts: \(statusLine)")

        // systemctl reload: the ExecReload= lines as written, in order, each only if the one
        // before succeeded (as systemd runs them), with systemd's environment and $MAINPID.
        let reloadCommands = try unit.values("ExecReload").map { line in
            var command = try #require(UnitFile.simpleCommand(line.replacingOccurrences(of: "$MAINPID", with: "\(daemon.pid)")))
            if command[0] == Self.installedBinary { command[0] = DaemonProcess.binary }
            return command
        }
        #expect(reloadCommands.count == 2 && reloadCommands.first?.dropFirst().first == "check",
                "the configuration is checked before the daemon is signalled: \(reloadCommands)")
        let reloadEnvironment: [String: String?] = ["CONFIGURATION_DIRECTORY": configDir, "STATE_DIRECTORY": stateDir]
        let systemctlReload = { () async throws -> CommandResult? in
            for command in reloadCommands {
                let result = try await runCommand(command[0], Array(command.dropFirst()), environment: reloadEnvironment)
                if !result.succeeded { return result }
            }
            return nil
        }
        // A broken configuration: the reload fails, says why, and the daemon is never signalled.
        let good = try String(contentsOfFile: configDir + "/frontwatch.yaml", encoding: .utf8)
        let broken = good.replacingOccurrences(of: "gazetteer: gazetteer.yaml", with: "gazetteer: no-such-gazetteer.yaml")
        #expect(broken != good)
        try broken.write(toFile: configDir + "/frontwatch.yaml", atomically: true, encoding: .utf8)
        let refused = try #require(try await systemctlReload(), "a reload with a broken configuration fails")
        #expect(refused.status == 78 && refused.stderr.contains("no-such-gazetteer.yaml"), "\(refused.all)")
        try good.write(toFile: configDir + "/frontwatch.yaml", atomically: true, encoding: .utf8)
        let before = monotonicMicroseconds()
        let failed = try await systemctlReload()
        #expect(failed == nil, "\(failed?.all ?? "")")
        let reloading = try await recorder.waitFor("RELOADING=1", from: status + 1)
        let reloaded = try await recorder.waitFor("READY=1", from: reloading + 1)
        let after = monotonicMicroseconds()
        messages = await recorder.messages
        let stamp = try #require(notifyFields(messages[reloading])["MONOTONIC_USEC"].flatMap { UInt64($0) },
                                 "RELOADING=1 comes with MONOTONIC_USEC=: \(messages[reloading])")
        #expect(stamp >= before && stamp <= after, "MONOTONIC_USEC=\(stamp) is CLOCK_MONOTONIC at the reload (\(before)...\(after))")
        #expect(!messages[reloading...reloaded].contains { $0.contains("STOPPING=1") })
        #expect(messages[(status + 1)...].filter { $0.contains("RELOADING=1") }.count == 1,
                "the refused reload never reached the daemon: \(messages[(status + 1)...])")
        // Still alive and pinging after the reload.
        _ = try await recorder.waitFor("WATCHDOG=1", from: reloaded + 1)

        // systemctl stop: SIGTERM, STOPPING=1, exit 0.
        daemon.signal(SIGTERM)
        _ = try await recorder.waitFor("STOPPING=1", from: reloaded + 1)
        let status0 = try await within(30, "the daemon's exit") { await daemon.waitForExit() }
        exited = true
        #expect(status0 == 0, "stderr: \(daemon.stderrText())")

        // It spoke only the notify protocol's known words.
        messages = await recorder.messages
        let known: Set<String> = ["READY", "STATUS", "WATCHDOG", "RELOADING", "MONOTONIC_USEC", "STOPPING"]
        let spoken = Set(messages.flatMap { notifyFields($0).keys })
        #expect(spoken.isSubset(of: known), "unexpected notify fields: \(spoken.subtracting(known))")
    }
}

// MARK: Helpers

private let alertFields: Set<String> = [
    "FRONTWATCH_AXIS", "FRONTWATCH_ACTOR", "FRONTWATCH_CHANGE", "FRONTWATCH_ARTICLE", "FRONTWATCH_ARTICLE_DATE",
    "FRONTWATCH_EVENT_DATE", "FRONTWATCH_EVIDENCE", "FRONTWATCH_CONFIDENCE", "FRONTWATCH_ALERT_ID",
]

/// Every `MESSAGE_ID` declared in MessageIDs.swift: a new one without a catalog entry fails.
private func messageIDs() throws -> [String] {
    let source = try String(contentsOfFile: repositoryRoot + "/Sources/FrontwatchDaemon/Alerting/MessageIDs.swift", encoding: .utf8)
    return source.split(separator: "\n").compactMap { line -> String? in
        guard line.contains("static let"), let open = line.firstIndex(of: "\"") else { return nil }
        let rest = line[line.index(after: open)...]
        guard let close = rest.firstIndex(of: "\"") else { return nil }
        let id = String(rest[..<close])
        return id.count == 32 && id.allSatisfy(\.isHexDigit) ? id : nil
    }
}

/// The `@FIELD@` names in a catalog text.
private func substitutions(in text: String) -> Set<String> {
    let parts = text.split(separator: "@", omittingEmptySubsequences: false)
    var names: Set<String> = []
    // Between an odd and the next even `@`: a candidate name.
    for (i, part) in parts.enumerated() where i % 2 == 1 {
        if !part.isEmpty, part.allSatisfy({ $0.isUppercase || $0.isNumber || $0 == "_" }) { names.insert(String(part)) }
    }
    return names
}

/// Paths of regular files under `root`, relative to it.
private func regularFiles(under root: String) throws -> Set<String> {
    var files: Set<String> = []
    guard let walker = FileManager.default.enumerator(atPath: root) else { return files }
    while let path = walker.nextObject() as? String {
        var info = stat()
        if lstat(root + "/" + path, &info) == 0, info.st_mode & S_IFMT == S_IFREG { files.insert(path) }
    }
    return files
}

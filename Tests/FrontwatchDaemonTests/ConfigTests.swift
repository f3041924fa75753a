import Foundation
import FrontwatchCore
import FrontwatchDaemon
import Testing

@Suite("configuration")
struct ConfigTests {
    @Test func emptyOrCommentOnlyFileGivesDefaults() throws {
        #expect(try FrontwatchConfig.parse(yaml: "", baseDirectory: nil) == FrontwatchConfig())
        #expect(try FrontwatchConfig.parse(yaml: "# nothing\n\n", baseDirectory: nil) == FrontwatchConfig())
    }

    @Test func shippedConfigurationParsesToTheDefaults() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("config/frontwatch.yaml"), encoding: .utf8)
        var parsed = try FrontwatchConfig.parse(yaml: text, baseDirectory: "/etc/frontwatch")
        #expect(parsed.gazetteerPath == "/etc/frontwatch/gazetteer.yaml")
        parsed.gazetteerPath = nil
        // The documented file states the defaults: they must not drift apart.
        #expect(parsed == FrontwatchConfig())
    }

    @Test func readsEveryKey() throws {
        let c = try FrontwatchConfig.parse(yaml: """
            watch: {directory: /in, mode: poll, poll_interval_seconds: 2, settle_seconds: 0.5, max_settle_seconds: 9,
                    ignore: ["*.x"], max_file_bytes: 1000, rejected: move}
            state: {directory: /st}
            tracker: {window_days: 3, cooldown_days: 10, alert_on_eased: false, min_confidence: 0.7}
            alerts: {retry_seconds: 1}
            gazetteer: g.yaml
            log: {level: debug}
            """, baseDirectory: "/cfg")
        #expect(c.watchDirectory == "/in")
        #expect(c.watchMode == .poll)
        #expect(c.pollIntervalSeconds == 2)
        #expect(c.settleSeconds == 0.5)
        #expect(c.maxSettleSeconds == 9)
        #expect(c.ignorePatterns == ["*.x"])
        #expect(c.maxFileBytes == 1000)
        #expect(c.rejected == .move)
        #expect(c.stateDirectory == "/st")
        #expect(c.tracker == TrackerPolicy(windowDays: 3, cooldownDays: 10, alertOnEased: false, minConfidence: 0.7))
        #expect(c.alertRetrySeconds == 1)
        #expect(c.gazetteerPath == "/cfg/g.yaml")
        #expect(c.logLevel == .debug)
    }

    @Test("bad values are refused with a message naming the key", arguments: [
        ("watch: {mode: carrier-pigeon}", "watch.mode"),
        ("watch: {settle_seconds: 5, max_settle_seconds: 1}", "watch.max_settle_seconds"),
        ("tracker: {min_confidence: 2}", "tracker.min_confidence"),
        ("log: {level: loud}", "log.level"),
        ("watch: [1, 2]", "watch"),
        ("tracker: {alert_on_eased: maybe}", "alert_on_eased"),
        ("watch: {max_file_bytes: lots}", "max_file_bytes"),
    ])
    func refusesBadValues(yaml: String, key: String) {
        let error = #expect(throws: ConfigError.self) { try FrontwatchConfig.parse(yaml: yaml, baseDirectory: nil) }
        #expect(error?.message.contains(key) == true, "\(error?.message ?? "")")
    }

    @Test("YAML 1.1 booleans in any case, numbers with underscores, quoted strings stay strings")
    func scalarForms() throws {
        for (text, value) in [("no", false), ("Off", false), ("FALSE", false), ("yes", true), ("on", true), ("True", true)] {
            let c = try FrontwatchConfig.parse(yaml: "tracker: {alert_on_eased: \(text)}", baseDirectory: nil)
            #expect(c.tracker.alertOnEased == value, "\(text)")
        }
        let c = try FrontwatchConfig.parse(yaml: "watch: {max_file_bytes: 1_048_576, directory: '123'}\nlog: {level: 'info'}", baseDirectory: nil)
        #expect(c.maxFileBytes == 1_048_576)
        #expect(c.watchDirectory == "123")
    }

    @Test func environmentDirectoriesAreHonoured() throws {
        let dir = NSTemporaryDirectory() + "fw-cfg-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "watch: {directory: /from-config}\n".write(toFile: dir + "/frontwatch.yaml", atomically: true, encoding: .utf8)
        try "axes:\n  - name: Kupiansk\n    variants: [Kupyansk]\n".write(toFile: dir + "/gazetteer.yaml", atomically: true, encoding: .utf8)
        let loaded = try ConfigLoader.load(configPath: nil, environment: ["CONFIGURATION_DIRECTORY": dir, "STATE_DIRECTORY": "/var/lib/x"])
        #expect(loaded.configPath == dir + "/frontwatch.yaml")
        #expect(loaded.config.watchDirectory == "/from-config")
        #expect(loaded.config.stateDirectory == "/var/lib/x")
        #expect(loaded.gazetteerPath == dir + "/gazetteer.yaml")
        #expect(loaded.gazetteer.canonicalName(for: "Kupyansk") == "Kupiansk")
    }

    @Test func ignoreRulesMatchTempFiles() {
        let rules = IgnoreRules(patterns: FrontwatchConfig().ignorePatterns)
        for name in [".hidden", "a.tmp", "b.part", ".c.swp", "d~", ".#e", "f.crdownload", "README.md", "README", "labels.json", "a.expected.json"] {
            #expect(rules.matches(name), "\(name)")
        }
        for name in ["article.txt", "tmp.txt", "2024-01-01 report", "readme-notes.txt", "json.txt", "report.md"] {
            #expect(!rules.matches(name), "\(name)")
        }
    }
}

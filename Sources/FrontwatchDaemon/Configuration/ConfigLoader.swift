import FrontwatchCore
import FrontwatchSystem

/// A configuration with its gazetteer, and where both came from.
public struct LoadedConfig: Sendable {
    /// The settings.
    public var config: FrontwatchConfig
    /// The axes.
    public var gazetteer: Gazetteer
    /// The configuration file read, or nil for built-in defaults.
    public var configPath: String?
    /// The gazetteer file read.
    public var gazetteerPath: String
    /// The words and phrases the rules look for.
    public var lexicon: Lexicon
    /// The lexicon file read.
    public var lexiconPath: String
    /// The trained scorer that decides on the rules' candidates (nil: the rules decide alone).
    public var scorer: Scorer?
    /// The scorer file read.
    public var scorerPath: String?

    /// Bundles a configuration with its gazetteer and scorer (tests and `replay` build one directly).
    public init(config: FrontwatchConfig, gazetteer: Gazetteer, configPath: String?, gazetteerPath: String,
                lexicon: Lexicon, lexiconPath: String, scorer: Scorer? = nil, scorerPath: String? = nil) {
        self.config = config
        self.gazetteer = gazetteer
        self.lexicon = lexicon
        self.lexiconPath = lexiconPath
        self.configPath = configPath
        self.gazetteerPath = gazetteerPath
        self.scorer = scorer
        self.scorerPath = scorerPath
    }

    /// The extractor this configuration describes.
    public var extractor: Extractor { Extractor(gazetteer: gazetteer, lexicon: lexicon, scorer: scorer) }

    /// The rules alone, without the scorer (training, cross-validation).
    public var rules: Extractor { Extractor(gazetteer: gazetteer, lexicon: lexicon) }
}

/// Finds and reads the configuration and gazetteer files.
///
/// The configuration file is `--config FILE` when given, else `frontwatch.yaml` in
/// `$CONFIGURATION_DIRECTORY` (set by systemd's `ConfigurationDirectory=`) or `/etc/frontwatch`,
/// else the built-in defaults. The gazetteer is the config's `gazetteer:` path, else
/// `gazetteer.yaml` beside the configuration, in `$CONFIGURATION_DIRECTORY`, in `/etc/frontwatch`,
/// in `share/frontwatch` beside the installed binary, or in the source tree's `config/`. The lexicon
/// (`lexicon.en.yaml`) and the trained scorer (`scorer.en.tsv`) are the `lexicon:`/`scorer:` paths,
/// else found beside the gazetteer, then in the same places.
public enum ConfigLoader {
    /// Loads everything; `environment` stands for the process environment (tests pass their own).
    /// `requireScorer: false` (training) loads no scorer when none is installed.
    public static func load(configPath explicit: String?, environment: [String: String],
                            requireScorer: Bool = true) throws(ConfigError) -> LoadedConfig {
        let configDirectory = environment["CONFIGURATION_DIRECTORY"].flatMap { $0.split(separator: ":").first.map(String.init) }
        var candidates: [String] = []
        if let dir = configDirectory { candidates.append(dir + "/frontwatch.yaml") }
        candidates.append("/etc/frontwatch/frontwatch.yaml")
        let configPath = explicit ?? candidates.first(where: FileSystem.exists)
        var config = FrontwatchConfig()
        if let path = configPath {
            config = try parseFile(at: path, named: "configuration", readCode: "config-read") { text throws(ConfigError) in
                try FrontwatchConfig.parse(yaml: text, baseDirectory: directory(of: path))
            }
        }
        if let state = environment["STATE_DIRECTORY"].flatMap({ $0.split(separator: ":").first.map(String.init) }) {
            config.stateDirectory = state
        }
        let gazetteerPath = try locateGazetteer(config: config, configPath: configPath, configDirectory: configDirectory)
        let gazetteer = try loadGazetteer(at: gazetteerPath)
        // The lexicon and the scorer: the configured paths, else found beside the gazetteer.
        let lexiconPath = try locateData(defaultLexiconName, configured: config.lexiconPath, gazetteerPath: gazetteerPath,
                                         configPath: configPath, configDirectory: configDirectory, key: "lexicon")
        let lexicon = try parseFile(at: lexiconPath, named: "lexicon", readCode: "lexicon-read") { text throws(ConfigError) in
            try Lexicon(yaml: text)
        }
        let scorerPath: String
        do {
            scorerPath = try locateData(defaultScorerName, configured: config.scorerPath, gazetteerPath: gazetteerPath,
                                        configPath: configPath, configDirectory: configDirectory, key: "scorer")
        } catch {
            if !requireScorer {
                return LoadedConfig(config: config, gazetteer: gazetteer, configPath: configPath, gazetteerPath: gazetteerPath,
                                    lexicon: lexicon, lexiconPath: lexiconPath)
            }
            throw ConfigError(code: error.code, message: error.message + " (train one with scripts/train)")
        }
        let scorer = try loadScorer(at: scorerPath)
        return LoadedConfig(config: config, gazetteer: gazetteer, configPath: configPath, gazetteerPath: gazetteerPath,
                            lexicon: lexicon, lexiconPath: lexiconPath, scorer: scorer, scorerPath: scorerPath)
    }

    /// The lexicon's file name beside the gazetteer.
    public static let defaultLexiconName = "lexicon.en.yaml"

    /// The scorer's file name beside the gazetteer.
    public static let defaultScorerName = "scorer.en.tsv"

    /// Reads and parses one scorer file.
    public static func loadScorer(at path: String) throws(ConfigError) -> Scorer {
        try parseFile(at: path, named: "scorer", readCode: "scorer-read") { text throws(ConfigError) in
            try Scorer(tsv: text)
        }
    }

    /// Reads and parses one gazetteer file.
    public static func loadGazetteer(at path: String) throws(ConfigError) -> Gazetteer {
        try parseFile(at: path, named: "gazetteer", readCode: "gazetteer-read") { text throws(ConfigError) in
            try Gazetteer(yaml: text)
        }
    }

    /// Reads a text file and parses it; every error names the file.
    static func parseFile<T>(at path: String, named what: String, readCode: String,
                             _ parse: (String) throws(ConfigError) -> T) throws(ConfigError) -> T {
        let text: String
        do {
            text = try FileSystem.readText(at: path)
        } catch {
            throw ConfigError(code: readCode, message: "cannot read the \(what) \(path): \(error.explained)")
        }
        do {
            return try parse(text)
        } catch {
            throw ConfigError(code: error.code, message: "\(path): \(error.message)", underlying: error.underlying)
        }
    }

    static func locateGazetteer(config: FrontwatchConfig, configPath: String?, configDirectory: String?) throws(ConfigError) -> String {
        if let path = config.gazetteerPath { return path }
        let candidates = searchPath(for: "gazetteer.yaml", configPath: configPath, configDirectory: configDirectory)
        if let found = candidates.first(where: FileSystem.exists) { return found }
        throw ConfigError(code: "gazetteer-missing",
                          message: "no gazetteer found; looked in \(candidates.joined(separator: ", ")). Set `gazetteer:` in the configuration or install config/gazetteer.yaml to /etc/frontwatch/")
    }

    /// Where a data file that is not configured is looked for: beside the gazetteer, beside the
    /// configuration, in `$CONFIGURATION_DIRECTORY`, in `/etc/frontwatch`, in `share/frontwatch`
    /// beside the installed binary, or in the source tree's `config/`.
    static func locateData(_ name: String, configured: String?, gazetteerPath: String, configPath: String?,
                           configDirectory: String?, key: String) throws(ConfigError) -> String {
        if let configured { return configured }
        let candidates = [directory(of: gazetteerPath) + "/" + name]
            + searchPath(for: name, configPath: configPath, configDirectory: configDirectory)
        if let found = candidates.first(where: FileSystem.exists) { return found }
        throw ConfigError(code: "\(key)-missing",
                          message: "no \(name) found; looked in \(candidates.joined(separator: ", ")). Set `\(key):` in the configuration or install config/\(name) to /etc/frontwatch/")
    }

    static func searchPath(for name: String, configPath: String?, configDirectory: String?) -> [String] {
        var candidates: [String] = []
        if let p = configPath { candidates.append(directory(of: p) + "/" + name) }
        if let d = configDirectory { candidates.append(d + "/" + name) }
        candidates.append("/etc/frontwatch/" + name)
        if let exe = FileSystem.executablePath() {
            var dir = directory(of: exe)
            candidates.append(dir + "/../share/frontwatch/" + name)
            // Running from a build folder of the source tree: .build/<triple>/debug/frontwatch.
            for _ in 0..<4 {
                dir = directory(of: dir)
                candidates.append(dir + "/config/" + name)
            }
        }
        candidates.append("config/" + name)
        return candidates
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}

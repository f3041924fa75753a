import Yams

/// Decodes the YAML of the configuration and the gazetteer.
///
/// With Yams' plain resolver: every scalar stays a string until the decoder asks for a number,
/// and booleans are read by `decodeYAMLBool`. Yams' default resolution matches every scalar
/// against regular expressions (`NSRegularExpression`), which brings ICU's regex engine and data
/// into the daemon's memory for good, for files that hold nothing but strings, numbers and a few
/// yes/no flags. YAML's merge keys (`<<`) are not supported; the files do not use them.
public enum YAMLText {
    /// The document in `yaml` as a `T`; nil for an empty document (or one of only comments).
    public static func decode<T: Decodable>(_ type: T.Type, from yaml: String) throws -> T? {
        let parser = try Parser(yaml: yaml, resolver: .basic)
        return try withExtendedLifetime(parser) {
            guard let root = try parser.singleRoot() else { return nil }
            return try YAMLDecoder().decode(type, from: root)
        }
    }
}

extension KeyedDecodingContainer {
    /// A YAML 1.1 boolean (`true`/`false`, `yes`/`no`, `on`/`off`, any case) under `key`, if present.
    public func decodeYAMLBool(forKey key: Key) throws -> Bool? {
        guard let text = try decodeIfPresent(String.self, forKey: key) else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            throw DecodingError.dataCorruptedError(forKey: key, in: self,
                                                   debugDescription: "expected true or false, found \"\(text)\"")
        }
    }
}

/// A configuration or gazetteer problem, with a message that says how to fix it.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A stable identifier for the kind of problem.
    public var code: String
    /// What is wrong and how to fix it.
    public var message: String
    /// The underlying parser error, when there is one.
    public var underlying: String?

    /// Creates a configuration error.
    public init(code: String, message: String, underlying: String? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    public var description: String { message }

    /// A one-line description of a decoding error, naming the key path that failed.
    public static func describe(_ error: any Error) -> String {
        guard let decoding = error as? DecodingError else { return String(describing: error) }
        func path(_ context: DecodingError.Context) -> String {
            let p = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return p.isEmpty ? "" : " at \(p)"
        }
        switch decoding {
        case .typeMismatch(_, let c): return "wrong type\(path(c)): \(c.debugDescription)"
        case .valueNotFound(_, let c): return "missing value\(path(c)): \(c.debugDescription)"
        case .keyNotFound(let key, let c): return "missing key \"\(key.stringValue)\"\(path(c))"
        case .dataCorrupted(let c): return "\(c.debugDescription)\(path(c))"
        @unknown default: return String(describing: error)
        }
    }
}

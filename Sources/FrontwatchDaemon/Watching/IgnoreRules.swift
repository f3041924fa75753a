/// Shell-style name patterns (`*`, `?`, literal text) for files the watcher must skip.
public struct IgnoreRules: Sendable, Equatable {
    let patterns: [[UInt8]]

    /// Rules from glob patterns such as `.*`, `*.tmp`, `*~`.
    public init(patterns: [String]) {
        self.patterns = patterns.map { Array($0.utf8) }
    }

    /// True when `name` matches any pattern.
    public func matches(_ name: String) -> Bool {
        let n = Array(name.utf8)
        return patterns.contains { Self.glob($0[...], n[...]) }
    }

    static func glob(_ p: ArraySlice<UInt8>, _ s: ArraySlice<UInt8>) -> Bool {
        var pi = p.startIndex, si = s.startIndex
        var star: Int? = nil, mark = s.startIndex
        while si < s.endIndex {
            if pi < p.endIndex, p[pi] == UInt8(ascii: "?") || p[pi] == s[si] {
                pi += 1; si += 1
            } else if pi < p.endIndex, p[pi] == UInt8(ascii: "*") {
                star = pi; mark = si; pi += 1
            } else if let st = star {
                pi = st + 1; mark += 1; si = mark
            } else {
                return false
            }
        }
        while pi < p.endIndex, p[pi] == UInt8(ascii: "*") { pi += 1 }
        return pi == p.endIndex
    }
}

/// Finds known phrases (sequences of token keys) in a token stream, longest first.
///
/// Built once from text phrases; matching is a dictionary lookup on each token's key followed by
/// a comparison of the few candidate phrases that start with it.
public struct PhraseMatcher<Payload: Sendable>: Sendable {
    /// One phrase found in a token stream.
    public struct Match: Sendable {
        /// Index of the first token.
        public var first: Int
        /// Index just past the last token.
        public var end: Int
        /// What the phrase stands for.
        public var payload: Payload
    }

    /// Phrases grouped by their first key: `byFirstKey` maps a key to an index into `groups`.
    private var byFirstKey = KeyTable()
    private var groups: [[(keys: [UInt64], payload: Payload)]] = []

    /// An empty matcher.
    public init() {}

    /// Adds a phrase, written as text ("stepped up", "Kup'yansk"), with its payload.
    public mutating func add(_ phrase: String, _ payload: Payload) {
        let keys = Tokenizer.keys(phrase)
        guard let first = keys.first else { return }
        let g: Int
        if let known = byFirstKey.value(first) {
            g = known
        } else {
            g = groups.count
            groups.append([])
            byFirstKey.set(first, g)
        }
        groups[g].append((keys, payload))
        // Longest phrases first, so "went on the offensive" wins over "offensive"; among phrases of
        // one length the first added wins.
        let sorted = groups[g].enumerated().sorted {
            $0.element.keys.count != $1.element.keys.count ? $0.element.keys.count > $1.element.keys.count : $0.offset < $1.offset
        }
        groups[g] = sorted.map(\.element)
    }

    /// True when no phrase was added.
    public var isEmpty: Bool { groups.isEmpty }

    /// The longest phrase that starts at token `index`, if any.
    @inline(__always)
    public func match(_ tokens: UnsafeBufferPointer<Token>, at index: Int, limit: Int) -> Match? {
        guard let g = byFirstKey.value(tokens[index].key) else { return nil }
        return groups.withUnsafeBufferPointer { groups in
            groups[g].withUnsafeBufferPointer { candidates in
                outer: for candidate in candidates {
                    let count = candidate.keys.count
                    guard index + count <= limit else { continue }
                    for k in 1..<max(count, 1) where tokens[index + k].key != candidate.keys[k] {
                        continue outer
                    }
                    return Match(first: index, end: index + count, payload: candidate.payload)
                }
                return nil
            }
        }
    }

    /// All non-overlapping matches in `range`, scanning left to right.
    public func matches(_ tokens: UnsafeBufferPointer<Token>, in range: Range<Int>) -> [Match] {
        var found: [Match] = []
        var i = range.lowerBound
        while i < range.upperBound {
            if let m = match(tokens, at: i, limit: range.upperBound) {
                found.append(m)
                i = m.end
            } else {
                i += 1
            }
        }
        return found
    }

    /// True when the token at `index` starts a phrase.
    @inline(__always)
    public func startsPhrase(_ key: UInt64) -> Bool {
        byFirstKey.contains(key)
    }
}

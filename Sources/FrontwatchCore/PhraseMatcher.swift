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

    private var byFirstKey: [UInt64: [(keys: [UInt64], payload: Payload)]] = [:]

    /// An empty matcher.
    public init() {}

    /// Adds a phrase, written as text ("stepped up", "Kup'yansk"), with its payload.
    public mutating func add(_ phrase: String, _ payload: Payload) {
        let keys = Tokenizer.keys(phrase)
        guard let first = keys.first else { return }
        byFirstKey[first, default: []].append((keys, payload))
        // Longest phrases first, so "went on the offensive" wins over "offensive".
        byFirstKey[first]!.sort { $0.keys.count > $1.keys.count }
    }

    /// True when no phrase was added.
    public var isEmpty: Bool { byFirstKey.isEmpty }

    /// The longest phrase that starts at token `index`, if any.
    @inline(__always)
    public func match(_ tokens: UnsafeBufferPointer<Token>, at index: Int, limit: Int) -> Match? {
        guard let candidates = byFirstKey[tokens[index].key] else { return nil }
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
        byFirstKey[key] != nil
    }
}

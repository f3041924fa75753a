/// A hash table from token keys to small integers, for the hot path.
///
/// Token keys are already FNV hashes, so the table mixes them with one multiplication instead of
/// running `Hasher` (SipHash) on every lookup, which is what dominated the extractor's profile.
/// Open addressing with linear probing; built once, then read-only.
struct KeyTable: Sendable {
    private var keys: [UInt64]
    private var values: [Int32]
    private var shift: UInt64
    private var mask: Int

    /// An empty table sized for about `capacity` keys.
    init(capacity: Int = 8) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = Array(repeating: 0, count: size)
        values = Array(repeating: -1, count: size)
        mask = size - 1
        shift = UInt64(64 - size.trailingZeroBitCount)
    }

    /// How many keys the table holds.
    private(set) var count = 0

    @inline(__always)
    private func slot(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// The value for `key`, or nil.
    @inline(__always)
    func value(_ key: UInt64) -> Int? {
        var i = slot(key)
        while true {
            let v = values[i]
            if v < 0 { return nil }
            if keys[i] == key { return Int(v) }
            i = (i + 1) & mask
        }
    }

    /// True when the table holds `key`.
    @inline(__always)
    func contains(_ key: UInt64) -> Bool { value(key) != nil }

    /// Sets the value for `key`.
    mutating func set(_ key: UInt64, _ value: Int) {
        if (count + 1) * 2 > keys.count { grow() }
        var i = slot(key)
        while values[i] >= 0 && keys[i] != key { i = (i + 1) & mask }
        if values[i] < 0 { count += 1 }
        keys[i] = key
        values[i] = Int32(value)
    }

    private mutating func grow() {
        var bigger = KeyTable(capacity: keys.count)
        for i in keys.indices where values[i] >= 0 { bigger.set(keys[i], Int(values[i])) }
        self = bigger
    }
}

extension KeyTable {
    /// A set of the keys of some words, normalised like the tokenizer does.
    init(words: [String]) {
        self.init(capacity: words.count)
        for w in words { set(Tokenizer.key(w), 1) }
    }
}

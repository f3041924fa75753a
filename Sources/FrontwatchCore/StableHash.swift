/// FNV-1a, 64 bits: a small, stable hash for identifiers that must not change between runs or
/// builds (Swift's `Hasher` is seeded per process, so it cannot serve).
public struct StableHash: Sendable {
    private var state: UInt64 = 0xcbf2_9ce4_8422_2325

    /// A fresh hash.
    public init() {}

    /// Mixes in bytes.
    public mutating func combine(bytes: some Sequence<UInt8>) {
        // Called from other modules this generic is not specialised, so `for b in bytes` costs a
        // witness call per byte (12% of an article's processing time in `frontwatch-bench`):
        // hash contiguous storage through a plain buffer instead.
        if bytes.withContiguousStorageIfAvailable({ combine(buffer: $0) }) != nil { return }
        for b in bytes {
            state ^= UInt64(b)
            state &*= 0x0000_0100_0000_01b3
        }
    }

    private mutating func combine(buffer: UnsafeBufferPointer<UInt8>) {
        var s = state
        for b in buffer {
            s ^= UInt64(b)
            s &*= 0x0000_0100_0000_01b3
        }
        state = s
    }

    /// Mixes in a string's UTF-8 bytes followed by a separator, so ("ab","c") and ("a","bc") differ.
    public mutating func combine(_ string: String) {
        combine(bytes: string.utf8)
        combine(bytes: CollectionOfOne(0x1F))
    }

    /// The hash value.
    public var value: UInt64 { state }

    /// The hash as 16 lowercase hex digits.
    public var hex: String {
        let digits = String(state, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// The hex hash of some strings.
    public static func hex(_ parts: String...) -> String {
        var h = StableHash()
        for p in parts { h.combine(p) }
        return h.hex
    }
}

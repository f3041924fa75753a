/// One word or punctuation mark of an article, located by UTF-8 byte offsets.
///
/// Words are compared by a hash of their normalised form (ASCII and Cyrillic lowercased,
/// apostrophes dropped: "Kup'yansk" and "Kupyansk", "Russia's" and "Russias" are equal), so the
/// extractor's hot loop compares integers and never builds a `String`.
public struct Token: Sendable, Equatable {
    /// What sort of token it is.
    public enum Kind: UInt8, Sendable {
        case word, number, comma, semicolon, colon, dash, slash, period, question, exclamation, quote, open, close, other
    }

    /// The normalised form's hash (see `Token.key(_:)`).
    public var key: UInt64
    /// UTF-8 byte offset of the first byte.
    public var start: Int32
    /// UTF-8 byte offset just past the last byte.
    public var end: Int32
    /// What sort of token it is.
    public var kind: Kind
    /// The word starts with an uppercase letter.
    public var capitalized: Bool
    /// A line break (or several) stands between this token and the one before it.
    public var newlinesBefore: UInt8
}

/// The key of a word, built as its normalised UTF-8 bytes come: eight bytes are packed into one
/// word before they are mixed, so a word costs a multiply per eight bytes, not one per byte (a
/// byte-wise FNV-1a chain was a fifth of the extractor's time). Keys live only in memory: every
/// word list, phrase and trained feature is keyed through the tokenizer when it is loaded.
struct WordHash {
    private var state: UInt64 = 0x243F_6A88_85A3_08D3
    private var packed: UInt64 = 0
    private var bytes: UInt64 = 0

    @inline(__always)
    mutating func add(_ byte: UInt8) {
        packed = packed << 8 | UInt64(byte)
        bytes &+= 1
        if bytes & 7 == 0 {
            state = (state ^ packed) &* 0x9E37_79B9_7F4A_7C15
            state ^= state >> 29
            packed = 0
        }
    }

    @inline(__always)
    mutating func add(_ scalar: Unicode.Scalar) {
        let v = scalar.value
        switch v {
        case 0..<0x80:
            add(UInt8(v))
        case 0x80..<0x800:
            add(UInt8(0xC0 | v >> 6))
            add(UInt8(0x80 | v & 0x3F))
        case 0x800..<0x10000:
            add(UInt8(0xE0 | v >> 12))
            add(UInt8(0x80 | (v >> 6) & 0x3F))
            add(UInt8(0x80 | v & 0x3F))
        default:
            add(UInt8(0xF0 | v >> 18))
            add(UInt8(0x80 | (v >> 12) & 0x3F))
            add(UInt8(0x80 | (v >> 6) & 0x3F))
            add(UInt8(0x80 | v & 0x3F))
        }
    }

    /// The key: the last bytes and the length mixed in, then a full avalanche.
    @inline(__always)
    var value: UInt64 {
        var z = (state ^ packed) &+ bytes &* 0xD6E8_FEB8_6659_FD93
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Splits UTF-8 text into tokens.
public enum Tokenizer {
    static let fnvOffset: UInt64 = 0xcbf2_9ce4_8422_2325
    static let fnvPrime: UInt64 = 0x0000_0100_0000_01b3

    /// The key of a word given as text, normalised like the tokenizer does.
    public static func key(_ word: some StringProtocol) -> UInt64 {
        var tokens: [Token] = []
        tokenize(Array(word.utf8), into: &tokens)
        return tokens.first?.key ?? fnvOffset
    }

    /// The keys of a phrase's words and marks, normalised like the tokenizer does.
    public static func keys(_ phrase: some StringProtocol) -> [UInt64] {
        var tokens: [Token] = []
        tokenize(Array(phrase.utf8), into: &tokens)
        return tokens.map(\.key)
    }

    /// Appends the tokens of `bytes` to `tokens` (which is cleared first), keeping its storage.
    public static func tokenize(_ bytes: UnsafeBufferPointer<UInt8>, into tokens: inout [Token]) {
        tokens.removeAll(keepingCapacity: true)
        // Tokens are written to a small buffer on the stack and appended to `tokens` a block at a
        // time: `Array.append` per token (a call, a uniqueness and a capacity check) cost a
        // quarter of the tokenizer's time.
        withUnsafeTemporaryAllocation(of: Token.self, capacity: blockTokens) { block in
            var filled = 0
            @inline(__always)
            func emit(_ token: Token) {
                if filled == blockTokens {
                    tokens.append(contentsOf: UnsafeBufferPointer(rebasing: block[..<filled]))
                    filled = 0
                }
                block.initializeElement(at: filled, to: token)
                filled += 1
            }
            scan(bytes, emit)
            tokens.append(contentsOf: UnsafeBufferPointer(rebasing: block[..<filled]))
        }
    }

    /// Tokens gathered on the stack before they are appended.
    static let blockTokens = 256

    /// The tokenizer proper: calls `emit` with each token, in order.
    @inline(__always)
    private static func scan(_ bytes: UnsafeBufferPointer<UInt8>, _ emit: (Token) -> Void) {
        let n = bytes.count
        var i = 0
        var newlines: UInt8 = 0
        while i < n {
            let b = bytes[i]
            // ASCII fast path.
            if b < 0x80 {
                if b == 0x0A { newlines &+= newlines < 255 ? 1 : 0; i += 1; continue }
                if b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0C { i += 1; continue }
                if isASCIIWordByte(b) {
                    let start = i
                    var h = WordHash()
                    var digitsOnly = true
                    let capitalized = b >= 0x41 && b <= 0x5A
                    while i < n {
                        let c = bytes[i]
                        if c < 0x80 {
                            if isASCIIWordByte(c) {
                                if c > 0x39 { digitsOnly = false }
                                h.add(c | (c >= 0x41 && c <= 0x5A ? 0x20 : 0))
                                i += 1
                                continue
                            }
                            // An apostrophe inside a word is dropped: Kup'yansk, Russia's.
                            if (c == 0x27 || c == 0x60), i + 1 < n, isWordStart(bytes, i + 1) {
                                i += 1
                                continue
                            }
                            break
                        }
                        let (scalar, len) = decodeScalar(bytes, i)
                        if isApostrophe(scalar) {
                            if i + len < n, isWordStart(bytes, i + len) { i += len; continue }
                            break
                        }
                        guard isWordScalar(scalar) else { break }
                        digitsOnly = false
                        h.add(lowercase(scalar))
                        i += len
                    }
                    emit(Token(key: h.value, start: Int32(start), end: Int32(i), kind: digitsOnly ? .number : .word,
                               capitalized: capitalized, newlinesBefore: newlines))
                    newlines = 0
                    continue
                }
                let kind: Token.Kind
                switch b {
                case 0x2C: kind = .comma
                case 0x3B: kind = .semicolon
                case 0x3A: kind = .colon
                case 0x2D: kind = .dash
                case 0x2F: kind = .slash
                case 0x2E: kind = .period
                case 0x3F: kind = .question
                case 0x21: kind = .exclamation
                case 0x22, 0x27, 0x60: kind = .quote
                case 0x28, 0x5B: kind = .open
                case 0x29, 0x5D: kind = .close
                default: kind = .other
                }
                emit(Token(key: fnvOffset ^ UInt64(b), start: Int32(i), end: Int32(i + 1), kind: kind,
                           capitalized: false, newlinesBefore: newlines))
                newlines = 0
                i += 1
                continue
            }
            let (scalar, len) = decodeScalar(bytes, i)
            if isWordScalar(scalar) {
                let start = i
                var h = WordHash()
                let capitalized = lowercase(scalar) != scalar
                while i < n {
                    let c = bytes[i]
                    if c < 0x80 {
                        if isASCIIWordByte(c) {
                            h.add(c | (c >= 0x41 && c <= 0x5A ? 0x20 : 0))
                            i += 1
                            continue
                        }
                        if (c == 0x27 || c == 0x60), i + 1 < n, isWordStart(bytes, i + 1) { i += 1; continue }
                        break
                    }
                    let (s, l) = decodeScalar(bytes, i)
                    if isApostrophe(s) {
                        if i + l < n, isWordStart(bytes, i + l) { i += l; continue }
                        break
                    }
                    guard isWordScalar(s) else { break }
                    h.add(lowercase(s))
                    i += l
                }
                emit(Token(key: h.value, start: Int32(start), end: Int32(i), kind: .word,
                           capitalized: capitalized, newlinesBefore: newlines))
                newlines = 0
                continue
            }
            let kind: Token.Kind
            switch scalar.value {
            case 0x2010...0x2015, 0x2212: kind = .dash
            case 0x2018, 0x2019, 0x201A, 0x201B, 0x201C, 0x201D, 0x201E, 0x00AB, 0x00BB, 0x2039, 0x203A: kind = .quote
            case 0x2026: kind = .period
            case 0x00A0, 0x2000...0x200B, 0x202F, 0x3000, 0xFEFF: i += len; continue
            case 0x2028, 0x2029: newlines &+= 1; i += len; continue
            default: kind = .other
            }
            emit(Token(key: fnvOffset ^ UInt64(scalar.value), start: Int32(i), end: Int32(i + len), kind: kind,
                       capitalized: false, newlinesBefore: newlines))
            newlines = 0
            i += len
        }
    }

    /// Convenience for arrays.
    public static func tokenize(_ bytes: [UInt8], into tokens: inout [Token]) {
        bytes.withUnsafeBufferPointer { tokenize($0, into: &tokens) }
    }

    /// The value of a number token, or nil when its bytes are not all ASCII digits (a number
    /// token can hold a dropped apostrophe: "72'2") or it has more than 18 of them.
    static func numberValue(of token: Token, in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard token.kind == .number, token.end - token.start <= 18 else { return nil }
        var value = 0
        for k in Int(token.start)..<Int(token.end) {
            let b = bytes[k]
            guard b >= 0x30 && b <= 0x39 else { return nil }
            value = value * 10 + Int(b - 0x30)
        }
        return value
    }

    @inline(__always)
    static func isASCIIWordByte(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39)
    }

    @inline(__always)
    static func isWordStart(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        let b = bytes[i]
        if b < 0x80 { return isASCIIWordByte(b) }
        return isWordScalar(decodeScalar(bytes, i).0)
    }

    @inline(__always)
    static func isApostrophe(_ s: Unicode.Scalar) -> Bool {
        s.value == 0x2019 || s.value == 0x02BC || s.value == 0x2018 || s.value == 0x02B9
    }

    /// Letters of the scripts articles use; punctuation and symbols are not word characters.
    @inline(__always)
    static func isWordScalar(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x80 { return isASCIIWordByte(UInt8(v)) }
        if v >= 0x00C0 && v <= 0x024F { return v != 0xD7 && v != 0xF7 }
        if v >= 0x0400 && v <= 0x052F { return true }
        return s.properties.isAlphabetic
    }

    /// Lowercases Latin-1 and Cyrillic letters without leaving the scalar level.
    @inline(__always)
    static func lowercase(_ s: Unicode.Scalar) -> Unicode.Scalar {
        let v = s.value
        switch v {
        case 0x0410...0x042F: return Unicode.Scalar(v + 0x20)!
        case 0x0400...0x040F: return Unicode.Scalar(v + 0x50)!
        case 0x0490, 0x0492, 0x0496, 0x049A, 0x04A2, 0x04AE, 0x04B0, 0x04BA, 0x04E8: return Unicode.Scalar(v + 1)!
        case 0x00C0...0x00DE where v != 0xD7: return Unicode.Scalar(v + 0x20)!
        default: return s
        }
    }

    /// Decodes one scalar at `i`; invalid bytes decode as U+FFFD of length 1.
    @inline(__always)
    static func decodeScalar(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int) -> (Unicode.Scalar, Int) {
        let b0 = UInt32(bytes[i])
        let n = bytes.count
        if b0 < 0x80 { return (Unicode.Scalar(UInt8(b0)), 1) }
        if b0 & 0xE0 == 0xC0, i + 1 < n {
            let v = (b0 & 0x1F) << 6 | (UInt32(bytes[i + 1]) & 0x3F)
            return (Unicode.Scalar(v) ?? "\u{FFFD}", 2)
        }
        if b0 & 0xF0 == 0xE0, i + 2 < n {
            let v = (b0 & 0x0F) << 12 | (UInt32(bytes[i + 1]) & 0x3F) << 6 | (UInt32(bytes[i + 2]) & 0x3F)
            return (Unicode.Scalar(v) ?? "\u{FFFD}", 3)
        }
        if b0 & 0xF8 == 0xF0, i + 3 < n {
            let v = (b0 & 0x07) << 18 | (UInt32(bytes[i + 1]) & 0x3F) << 12
                | (UInt32(bytes[i + 2]) & 0x3F) << 6 | (UInt32(bytes[i + 3]) & 0x3F)
            return (Unicode.Scalar(v) ?? "\u{FFFD}", 4)
        }
        return ("\u{FFFD}", 1)
    }
}

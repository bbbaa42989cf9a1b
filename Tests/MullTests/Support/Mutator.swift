import Foundation

/// Makes broken variants of Mull scripts for fuzz tests: truncations, byte flips, token
/// deletions, swaps and duplications, duplicated lines. Deterministic for a given seed.
struct Mutator {
    /// SplitMix64 (Steele, Lea & Flood 2014): small, fast and good enough to pick mutations.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    enum Kind: String, CaseIterable, Sendable {
        case truncate, flipByte, insertByte, deleteToken, swapTokens, duplicateToken, duplicateLine, deleteLine,
             insertToken, spliceLines
    }

    var rng: Generator

    init(seed: UInt64) { rng = Generator(seed: seed) }

    /// Tokens that tend to reach interesting parser and checker states when inserted.
    static let interestingTokens = ["(", ")", "[", "]", "{", "}", ",", ":", ".", "..", "..<", "=>", "=", "\"", "/*", "*/",
                                    "#", "\n", "fn", "let", "if", "else", "match", "for", "in", "return", "run", "sweep",
                                    "env", "agent", "model", "vary", "import", "none", "_", "9223372036854775807", "0",
                                    "-1", "1e308", "0.0", "**", "//", "%", "not", "and", "or", ".left", "\u{FFFD}", "é"]

    /// Splits text into tokens (names, numbers, strings, single punctuation, whitespace runs)
    /// so that joining them gives the text back.
    static func tokens(_ text: String) -> [String] {
        var out: [String] = []
        var current = ""
        var kind = 0  // 1 word, 2 space, 3 string
        func flush() { if !current.isEmpty { out.append(current); current = "" }; kind = 0 }
        for c in text {
            if kind == 3 {
                current.append(c)
                if c == "\"" || c == "\n" { flush() }
                continue
            }
            let k: Int
            if c.isLetter || c.isNumber || c == "_" { k = 1 } else if c == " " || c == "\t" { k = 2 } else if c == "\"" { k = 3 } else { k = 4 }
            if k != kind || k == 4 { flush() }
            current.append(c)
            kind = k == 4 ? 0 : k
            if k == 4 { flush() }
        }
        flush()
        return out
    }

    mutating func int(_ n: Int) -> Int { n <= 0 ? 0 : Int.random(in: 0..<n, using: &rng) }

    /// Applies `count` random mutations (at least one).
    mutating func mutate(_ text: String, count: Int) -> (text: String, applied: [Kind]) {
        var bytes = Array(text.utf8)
        var applied: [Kind] = []
        for _ in 0..<max(1, count) {
            let kind = Kind.allCases[int(Kind.allCases.count)]
            bytes = apply(kind, to: bytes)
            applied.append(kind)
        }
        return (String(decoding: bytes, as: UTF8.self), applied)
    }

    /// Mutates raw bytes (the result may be invalid UTF-8).
    mutating func apply(_ kind: Kind, to bytes: [UInt8]) -> [UInt8] {
        var b = bytes
        switch kind {
        case .truncate:
            return Array(b.prefix(int(b.count + 1)))
        case .flipByte:
            guard !b.isEmpty else { return b }
            b[int(b.count)] ^= UInt8(1 << int(8))
            return b
        case .insertByte:
            b.insert(UInt8(int(256)), at: int(b.count + 1))
            return b
        case .deleteToken, .swapTokens, .duplicateToken, .insertToken:
            var ts = Mutator.tokens(String(decoding: b, as: UTF8.self))
            guard !ts.isEmpty else { return b }
            let i = int(ts.count)
            switch kind {
            case .deleteToken: ts.remove(at: i)
            case .swapTokens: ts.swapAt(i, int(ts.count))
            case .duplicateToken: ts.insert(ts[i], at: i)
            default: ts.insert(Mutator.interestingTokens[int(Mutator.interestingTokens.count)], at: i)
            }
            return Array(ts.joined().utf8)
        case .duplicateLine, .deleteLine, .spliceLines:
            var lines = b.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(Array.init)
            guard !lines.isEmpty else { return b }
            let i = int(lines.count)
            switch kind {
            case .duplicateLine: lines.insert(lines[i], at: i)
            case .deleteLine: lines.remove(at: i)
            default:
                // Moves a line elsewhere: breaks blocks apart.
                let line = lines.remove(at: i)
                lines.insert(line, at: int(lines.count + 1))
            }
            return Array(lines.joined(separator: [UInt8(ascii: "\n")]))
        }
    }
}

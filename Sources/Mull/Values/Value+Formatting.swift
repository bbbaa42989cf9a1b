import MullLanguage

extension Value: CustomStringConvertible {
    /// How `print` shows a value: strings raw, everything else as `repr`.
    public var description: String {
        if case .string(let s) = self { return s }
        return repr
    }

    /// The literal-like form: strings quoted, floats always with a decimal point or exponent.
    public var repr: String { repr(depth: 0) }

    /// Lists and records nested deeper than this print as `[...]` and `(...)`: showing them
    /// would recurse deeper than any stack (a script can nest a list a million times).
    static let maximumReprDepth = 1_000

    private func repr(depth: Int) -> String {
        switch self {
        case .null: return "none"
        case .int(let i): return String(i)
        case .float(let d): return Value.format(d)
        case .bool(let b): return b ? "true" : "false"
        case .string(let s): return Value.quote(s)
        case .symbol(let s): return "." + s
        case .list(let xs):
            if depth >= Value.maximumReprDepth && !xs.isEmpty { return "[...]" }
            return "[" + xs.map { $0.repr(depth: depth + 1) }.joined(separator: ", ") + "]"
        case .record(let r):
            if depth >= Value.maximumReprDepth && !r.values.isEmpty { return "(...)" }
            if r.values.count == 1 && r.labels[0] == nil { return "(\(r.values[0].repr(depth: depth + 1)),)" }
            let parts = zip(r.labels, r.values).map { label, v in label.map { "\($0): \(v.repr(depth: depth + 1))" } ?? v.repr(depth: depth + 1) }
            return "(" + parts.joined(separator: ", ") + ")"
        case .range(let lo, let hi): return "\(lo)..<\(hi)"
        case .function(let f): return "<fn \(f.name)>"
        case .component(let c): return c.summary
        case .object(let o): return o.render(width: 80)
        case .module(let m): return "<module \(m.name)>"
        }
    }

    /// Shortest round-trip form with at least one decimal: `0.5`, `3.0`, `1e-05`, `inf`, `nan`.
    public static func format(_ d: Double) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        return d.description
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for ch in s.unicodeScalars {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case "\0": out += "\\0"
            default:
                if ch.value < 0x20 { out += "\\u{\(String(ch.value, radix: 16))}" } else { out.unicodeScalars.append(ch) }
            }
        }
        return out + "\""
    }
}

extension Value {
    /// Structural equality; ints and floats compare by numeric value. Nested lists and records
    /// are compared with an explicit work list, so any depth of nesting is safe.
    public func isEqual(to other: Value) -> Bool {
        switch (self, other) {
        case (.list, .list), (.record, .record): break
        default: return isEqualShallow(to: other)
        }
        var pending: [(Value, Value)] = [(self, other)]
        while let (a, b) = pending.popLast() {
            switch (a, b) {
            case let (.list(x), .list(y)):
                guard x.count == y.count else { return false }
                pending.append(contentsOf: zip(x, y))
            case let (.record(x), .record(y)):
                guard x.labels == y.labels else { return false }
                pending.append(contentsOf: zip(x.values, y.values))
            default:
                if !a.isEqualShallow(to: b) { return false }
            }
        }
        return true
    }

    /// Equality of values that are not lists or records.
    private func isEqualShallow(to other: Value) -> Bool {
        switch (self, other) {
        case (.null, .null): return true
        case let (.int(a), .int(b)): return a == b
        case let (.float(a), .float(b)): return a == b
        case let (.int(a), .float(b)): return Double(a) == b
        case let (.float(a), .int(b)): return a == Double(b)
        case let (.bool(a), .bool(b)): return a == b
        case let (.string(a), .string(b)): return a == b
        case let (.symbol(a), .symbol(b)): return a == b
        case let (.list(a), .list(b)): return a.count == b.count && zip(a, b).allSatisfy { $0.isEqual(to: $1) }
        case let (.record(a), .record(b)):
            return a.labels == b.labels && zip(a.values, b.values).allSatisfy { $0.isEqual(to: $1) }
        case let (.range(a, b), .range(c, d)): return a == c && b == d
        case let (.function(a), .function(b)): return a === b
        case let (.component(a), .component(b)): return a === b
        case let (.object(a), .object(b)): return a === b
        case let (.module(a), .module(b)): return a === b
        default: return false
        }
    }
}

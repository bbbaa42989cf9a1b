/// One value of a sweep parameter: what a `sweep` block assigns to a name in one setting.
///
/// The text forms are stable, because they end up in CSV cells, file names and fingerprints:
/// integers print without a decimal point (`3`), floats in the shortest form that reads back to
/// the same `Double` (`0.1`, `1.0`, `1e-05`, `inf`, `nan`), booleans as `true`/`false`, strings
/// and symbols as their text.
public enum ParamValue: Sendable, Hashable, CustomStringConvertible {
    case int(Int)
    case float(Double)
    case bool(Bool)
    case string(String)
    /// A bare name, such as an agent or environment kind (`dyna_q`).
    case symbol(String)

    /// The value as text for CSV cells and tables (see the type's documentation).
    public var text: String {
        switch self {
        case .int(let v): String(v)
        case .float(let v): formatNumber(v)
        case .bool(let v): v ? "true" : "false"
        case .string(let s): s
        case .symbol(let s): s
        }
    }

    public var description: String { text }

    /// The kind of value, as a word (`int`, `float`, `bool`, `string`, `symbol`).
    public var kind: String {
        switch self {
        case .int: "int"
        case .float: "float"
        case .bool: "bool"
        case .string: "string"
        case .symbol: "symbol"
        }
    }

    /// The value as a number when it is one (ints widen to Double); nil otherwise.
    public var numericValue: Double? {
        switch self {
        case .int(let v): Double(v)
        case .float(let v): v
        default: nil
        }
    }

    /// Text safe inside a file name: letters, digits, `.`, `-`, `+` and `_` kept, anything else
    /// replaced by `_`.
    public var fileNameText: String {
        String(text.map { c -> Character in
            if c.isASCII && (c.isLetter || c.isNumber || c == "." || c == "-" || c == "+" || c == "_") {
                return c
            }
            return "_"
        })
    }

    /// Unambiguous text with the kind attached, used for fingerprints and stream ids.
    public var taggedText: String {
        switch self {
        case .int(let v): "i:\(v)"
        case .float(let v): "f:\(formatNumber(v))"
        case .bool(let v): "b:\(v)"
        case .string(let s): "s:\(s.utf8.count):\(s)"
        case .symbol(let s): "y:\(s.utf8.count):\(s)"
        }
    }

    /// Reads back a value written by `taggedText`.
    public init?(taggedText t: String) {
        guard t.count >= 2, t.dropFirst().first == ":" else { return nil }
        let body = String(t.dropFirst(2))
        switch t.first {
        case "i": guard let v = Int(body) else { return nil }; self = .int(v)
        case "f": guard let v = parseNumber(body) else { return nil }; self = .float(v)
        case "b":
            switch body { case "true": self = .bool(true); case "false": self = .bool(false); default: return nil }
        case "s", "y":
            guard let colon = body.firstIndex(of: ":") else { return nil }
            let s = String(body[body.index(after: colon)...])
            self = t.first == "s" ? .string(s) : .symbol(s)
        default: return nil
        }
    }
}

/// Formats a Double in the shortest text that reads back to the same value (Swift's own
/// round-trip printing), with `inf`, `-inf` and `nan` for the special values. pandas and R's
/// `read.csv` both read all of these forms as numbers.
@inlinable
public func formatNumber(_ x: Double) -> String {
    if x.isNaN { return "nan" }
    if x.isInfinite { return x > 0 ? "inf" : "-inf" }
    return x.description
}

/// Parses text written by `formatNumber` (and any ordinary decimal or exponent form).
public func parseNumber(_ s: Substring) -> Double? {
    switch s {
    case "nan", "NaN": return .nan
    case "inf", "Inf": return .infinity
    case "-inf", "-Inf": return -.infinity
    default: return Double(s)
    }
}

/// Parses text written by `formatNumber`.
public func parseNumber(_ s: String) -> Double? { parseNumber(Substring(s)) }

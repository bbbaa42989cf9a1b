/// A value of a trial's resolved configuration as plain data: written into `config.json` and the
/// trial files as ordinary JSON (objects, lists, numbers, strings), and fingerprinted through
/// its canonical text, so the same configuration always gives the same fingerprint.
public indirect enum ConfigValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    case list([ConfigValue])
    /// Fields in their declared order (JSON writers may sort them; the fingerprint does not).
    case object([Field])

    public struct Field: Sendable, Hashable {
        public var key: String
        public var value: ConfigValue
        public init(_ key: String, _ value: ConfigValue) {
            self.key = key
            self.value = value
        }
    }

    /// Compact JSON text in declared field order: the form the fingerprint hashes.
    public var canonicalText: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .float(let d): return d.isFinite ? "\(d)" : "null"
        case .string(let s): return Self.quoted(s)
        case .list(let xs): return "[" + xs.map(\.canonicalText).joined(separator: ", ") + "]"
        case .object(let fields):
            return "{" + fields.map { Self.quoted($0.key) + ": " + $0.value.canonicalText }.joined(separator: ", ") + "}"
        }
    }

    /// A JSON string literal.
    public static func quoted(_ s: String) -> String {
        var out = "\""
        for ch in s.unicodeScalars {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if ch.value < 0x20 {
                    let hex = String(ch.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(ch)
                }
            }
        }
        return out + "\""
    }
}

extension ConfigValue: Codable {
    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .object(let fields):
            var c = encoder.container(keyedBy: Key.self)
            for f in fields { try c.encode(f.value, forKey: Key(stringValue: f.key)) }
        case .list(let xs):
            var c = encoder.unkeyedContainer()
            for x in xs { try c.encode(x) }
        default:
            var c = encoder.singleValueContainer()
            switch self {
            case .null: try c.encodeNil()
            case .bool(let b): try c.encode(b)
            case .int(let i): try c.encode(i)
            case .float(let d): if d.isFinite { try c.encode(d) } else { try c.encodeNil() }
            case .string(let s): try c.encode(s)
            default: break
            }
        }
    }

    public init(from decoder: any Decoder) throws {
        if let c = try? decoder.container(keyedBy: Key.self) {
            self = .object(try c.allKeys.sorted { $0.stringValue < $1.stringValue }.map {
                Field($0.stringValue, try c.decode(ConfigValue.self, forKey: $0))
            })
            return
        }
        if var c = try? decoder.unkeyedContainer() {
            var xs: [ConfigValue] = []
            while !c.isAtEnd { xs.append(try c.decode(ConfigValue.self)) }
            self = .list(xs)
            return
        }
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int.self) { self = .int(i) }
        else if let d = try? c.decode(Double.self) { self = .float(d) }
        else { self = .string(try c.decode(String.self)) }
    }
}

extension ConfigValue: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
}

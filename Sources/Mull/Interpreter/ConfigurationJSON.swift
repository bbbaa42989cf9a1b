import Foundation
import MullLanguage

/// Every field of an agent and of the components it names, defaults and a setting's overrides
/// applied, as JSON: written to config.json and part of each trial's fingerprint.
enum ConfigurationJSON {
    static func agent(_ agent: ComponentValue, _ overrides: [ObjectIdentifier: [String: Value]], registry: ComponentRegistry) -> String {
        func resolved(_ c: ComponentValue, depth: Int) -> String {
            let def = registry.definition(named: c.componentName)
            var fields: [String] = ["\"component\": \(json(.string(c.componentName)))"]
            let names = (def?.schema.fields.map(\.name) ?? []) + c.fields.map(\.name).filter { n in !(def?.schema.fields.contains { $0.name == n } ?? false) }
            for n in names {
                let v = overrides[ObjectIdentifier(c)]?[n] ?? c.field(n) ?? def?.defaults[n] ?? .none
                if case .component(let inner) = v, depth < 4 {
                    fields.append("\(json(.string(n))): \(resolved(inner, depth: depth + 1))")
                } else {
                    fields.append("\(json(.string(n))): \(json(v))")
                }
            }
            return "{" + fields.joined(separator: ", ") + "}"
        }
        return resolved(agent, depth: 0)
    }

    static func json(_ v: Value) -> String {
        switch v {
        case .none: return "null"
        case .int(let i): return String(i)
        case .float(let d): return d.isFinite ? "\(d)" : "null"
        case .bool(let b): return b ? "true" : "false"
        case .string(let s), .symbol(let s):
            var out = "\""
            for ch in s.unicodeScalars {
                switch ch {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\t": out += "\\t"
                default: if ch.value < 0x20 { out += String(format: "\\u%04x", ch.value) } else { out.unicodeScalars.append(ch) }
                }
            }
            return out + "\""
        case .list(let xs): return "[" + xs.map(json).joined(separator: ", ") + "]"
        case .record(let r):
            if r.values.isEmpty { return "{}" }
            if r.isTuple { return "[" + r.values.map(json).joined(separator: ", ") + "]" }
            return "{" + zip(r.labels, r.values).map { "\(json(.string($0 ?? ""))): \(json($1))" }.joined(separator: ", ") + "}"
        case .function(let f):
            // The function's source text and what it reads from outside (helpers, constants), so
            // that editing a step function or anything it uses invalidates old trials.
            var seen = Set<ObjectIdentifier>()
            return json(.string(functionText(f, &seen)))
        default: return json(.string(v.repr))
        }
    }

    /// `<fn name> source`, then `uses:` with each outside variable the function reads: other
    /// functions the same way (once each), other values written out, long ones as a hash.
    static func functionText(_ f: Function, _ seen: inout Set<ObjectIdentifier>) -> String {
        var text = "<fn \(f.name)> " + (f.sourceText ?? "")
        guard seen.insert(ObjectIdentifier(f)).inserted else { return "<fn \(f.name)>" }
        let uses = f.freeVariableValues
        if uses.isEmpty { return text }
        text += " uses: " + uses.map { name, value -> String in
            if case .function(let g) = value { return "\(name)=(" + functionText(g, &seen) + ")" }
            let r = value.repr
            return "\(name)=" + (r.count <= 200 ? r : "#\(fnv1a(r)) (\(r.count) characters)")
        }.joined(separator: "; ")
        return text
    }

    private static func fnv1a(_ s: String) -> String {
        var h: UInt64 = 0xcbf29ce484222325
        for b in s.utf8 {
            h ^= UInt64(b)
            h = h &* 0x100000001b3
        }
        return String(h, radix: 16)
    }
}

import Foundation
import MullLanguage
import MullRuntime

/// Every field of an agent and of the components it names, defaults and a setting's overrides
/// applied, as JSON: written to config.json and part of each trial's fingerprint.
enum ConfigurationJSON {
    static func agent(_ agent: ComponentValue, _ overrides: [ObjectIdentifier: [String: Value]], registry: ComponentRegistry) -> ConfigValue {
        func resolved(_ c: ComponentValue, depth: Int) -> ConfigValue {
            let def = registry.definition(named: c.componentName)
            var fields: [ConfigValue.Field] = [.init("component", .string(c.componentName))]
            let names = (def?.schema.fields.map(\.name) ?? []) + c.fields.map(\.name).filter { n in !(def?.schema.fields.contains { $0.name == n } ?? false) }
            for n in names {
                let v = overrides[ObjectIdentifier(c)]?[n] ?? c.field(n) ?? def?.defaults[n] ?? .null
                if case .component(let inner) = v, depth < 4 {
                    fields.append(.init(n, resolved(inner, depth: depth + 1)))
                } else {
                    fields.append(.init(n, json(v)))
                }
            }
            return .object(fields)
        }
        return resolved(agent, depth: 0)
    }

    static func json(_ v: Value) -> ConfigValue {
        switch v {
        case .null: return .null
        case .int(let i): return .int(i)
        case .float(let d): return d.isFinite ? .float(d) : .null
        case .bool(let b): return .bool(b)
        case .string(let s), .symbol(let s): return .string(s)
        case .list(let xs): return .list(xs.map(json))
        case .record(let r):
            if r.values.isEmpty { return .object([]) }
            if r.isTuple { return .list(r.values.map(json)) }
            return .object(zip(r.labels, r.values).map { ConfigValue.Field($0 ?? "", json($1)) })
        case .function(let f):
            // The function's source text and what it reads from outside (helpers, constants), so
            // that editing a step function or anything it uses invalidates old trials.
            var seen = Set<ObjectIdentifier>()
            return .string(functionText(f, &seen))
        default: return .string(v.repr)
        }
    }

    /// `<fn name> source`, then `uses:` with each outside variable the function reads, written
    /// out by `describe` (functions with their own sources and uses, once each; an imported
    /// module with its members; lists and records element by element), long ones as a hash.
    static func functionText(_ f: Function, _ seen: inout Set<ObjectIdentifier>) -> String {
        var text = "<fn \(f.name)> " + (f.sourceText ?? "")
        guard seen.insert(ObjectIdentifier(f)).inserted else { return "<fn \(f.name)>" }
        let uses = f.freeVariableValues
        if uses.isEmpty { return text }
        text += " uses: " + uses.map { name, value -> String in
            if case .function(let g) = value { return "\(name)=(" + functionText(g, &seen) + ")" }
            let r = describe(value, &seen)
            return "\(name)=" + (r.count <= 200 ? r : "#\(fnv1a(r)) (\(r.count) characters)")
        }.joined(separator: "; ")
        return text
    }

    /// A value as its fingerprint sees it: everything a function could read through it.
    static func describe(_ v: Value, _ seen: inout Set<ObjectIdentifier>) -> String {
        switch v {
        case .function(let g): return "(" + functionText(g, &seen) + ")"
        case .module(let m):
            guard seen.insert(ObjectIdentifier(m)).inserted else { return "<module \(m.name)>" }
            return "<module \(m.name)>{" + m.names.map { n in "\(n)=" + describe(m.values[n] ?? .null, &seen) }.joined(separator: "; ") + "}"
        case .list(let xs):
            guard xs.contains(where: Self.holdsCode) else { return v.repr }
            return "[" + xs.map { describe($0, &seen) }.joined(separator: ", ") + "]"
        case .record(let r):
            guard r.values.contains(where: Self.holdsCode) else { return v.repr }
            return "(" + zip(r.labels, r.values).map { ($0.map { $0 + ": " } ?? "") + describe($1, &seen) }.joined(separator: ", ") + ")"
        default: return v.repr
        }
    }

    /// Whether a value holds functions or modules (whose `repr` would show only their names).
    static func holdsCode(_ v: Value) -> Bool {
        switch v {
        case .function, .module: return true
        case .list(let xs): return xs.contains(where: holdsCode)
        case .record(let r): return r.values.contains(where: holdsCode)
        default: return false
        }
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

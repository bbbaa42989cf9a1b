import MullLanguage

/// Member access `value.name`, resolved at run time (never inside a built-in hot loop).
enum Members {
    static func get(_ base: Value, _ name: String, at range: SourceRange, _ ctx: CallContext) throws -> Value {
        switch base {
        case .record(let r):
            if let v = r[name] { return v }
            if name == "len" { return .int(r.values.count) }
            if name == "fields" { return .list(r.fieldNames.map { .string($0) }) }
            throw MullError("missing-field", "\(r.isTuple ? "tuple" : "record") has no field `\(name)`", at: range,
                            suggestion: Suggest.closest(to: name, among: r.fieldNames).map { "did you mean `\($0)`?" })
        case .module(let m):
            if let v = m.values[name] { return v }
            throw MullError("missing-field", "module `\(m.name)` has no member `\(name)`", at: range,
                            suggestion: Suggest.closest(to: name, among: m.names).map { "did you mean `\($0)`?" })
        case .list(let xs):
            switch name {
            case "len": return .int(xs.count)
            case "first": return xs.first ?? .null
            case "last": return xs.last ?? .null
            default: break
            }
            throw MullError("missing-field", "list has no member `\(name)`", at: range,
                            suggestion: Suggest.closest(to: name, among: ["len", "first", "last"]).map { "did you mean `\($0)`?" })
        case .string(let s):
            if name == "len" { return .int(s.count) }
            if name == "lines" { return .list(s.split(separator: "\n", omittingEmptySubsequences: false).map { .string(String($0)) }) }
            throw MullError("missing-field", "string has no member `\(name)`", at: range)
        case .range(let lo, let hi):
            switch name {
            case "len": return .int(try Operators.rangeCount(lo, hi, at: range))
            case "lower": return .int(lo)
            case "upper": return .int(hi)
            default: throw MullError("missing-field", "range has no member `\(name)`", at: range)
            }
        case .component(let c):
            return try componentMember(c, name, at: range, ctx)
        case .object(let o):
            if let v = try o.member(name, context: ctx) { return v }
            throw MullError("missing-field", "\(o.typeName) has no member `\(name)`", at: range,
                            suggestion: Suggest.closest(to: name, among: o.memberNames).map { "did you mean `\($0)`?" })
        default:
            if ctx.returning { return .null }
            throw MullError("missing-field", "\(base.typeName) has no member `\(name)`", at: range)
        }
    }

    static func componentMember(_ c: ComponentValue, _ name: String, at range: SourceRange, _ ctx: CallContext) throws -> Value {
        if name == "with" {
            return .function(Function(native: "with", doc: "a copy of the component with some fields changed") { args, _ in
                guard args.positional.isEmpty else {
                    throw MullError("arity", "`with` takes labelled arguments only, e.g. `with(alpha: 0.5)`", at: range)
                }
                let copy = c.with(args.labelled.map { ($0.label, $0.value) })
                copy.declaredName = nil
                return .component(copy)
            })
        }
        if let v = c.field(name) { return v }
        guard let services = ctx.services else {
            throw MullError("missing-field", "`\(c.componentName)` has no field `\(name)`", at: range)
        }
        if let schema = services.schema(named: c.componentName), let f = schema.field(named: name) {
            // A field left at its default; component-valued fields (an agent's default model)
            // are answered by the live instance, which made one.
            if case .component = f.type, let instance = try? services.instance(of: c, ctx, at: range),
               let v = try instance.member(name, context: ctx) {
                return v
            }
            return try services.defaultValue(of: f, in: c, ctx)
        }
        let instance = try services.instance(of: c, ctx, at: range)
        if let v = try instance.member(name, context: ctx) { return v }
        var names = c.fields.map(\.name) + instance.memberNames
        if let schema = services.schema(named: c.componentName) { names += schema.fields.map(\.name) }
        throw MullError("missing-field", "\(c.kind) `\(c.declaredName ?? c.componentName)` has no member `\(name)`", at: range,
                        suggestion: Suggest.closest(to: name, among: names).map { "did you mean `\($0)`?" })
    }
}

/// What member access on components needs from the interpreter.
protocol InterpreterServices: AnyObject, Sendable {
    func schema(named name: String) -> ComponentSchema?
    func defaultValue(of field: FieldSchema, in component: ComponentValue, _ ctx: CallContext) throws -> Value
    func instance(of component: ComponentValue, _ ctx: CallContext, at range: SourceRange?) throws -> any ComponentInstance
}

/// A live component: an environment, model, agent or sweep built from its configuration.
public protocol ComponentInstance: MullObject {}

import Foundation
import MullLanguage
import MullRuntime

/// A component type known to the interpreter: its schema (what the checker, the REPL and the
/// reference docs know) and the code that builds a live instance from a configuration.
public struct ComponentDefinition: Sendable {
    public var schema: ComponentSchema
    /// Default values of fields, by field name (fields absent here and not required default to none).
    public var defaults: [String: Value]
    public var build: @Sendable (BuildRequest) throws -> any ComponentInstance

    /// A default need be given once: a field's `FieldSchema` default text (a literal such as
    /// `8`, `0.5`, `.euler`, `[1, 2]`) becomes its default value when `defaults` has none, and a
    /// value in `defaults` becomes the schema's default text (for the checker, `:help` and the
    /// reference) when the schema has none.
    public init(schema: ComponentSchema, defaults: [String: Value] = [:],
                build: @escaping @Sendable (BuildRequest) throws -> any ComponentInstance) {
        var schema = schema
        var defaults = defaults
        for i in schema.fields.indices {
            let name = schema.fields[i].name
            if let value = defaults[name] {
                if schema.fields[i].defaultText == nil { schema.fields[i].defaultText = value.repr }
            } else if let text = schema.fields[i].defaultText, let value = ComponentDefinition.literal(text) {
                defaults[name] = value
            }
        }
        self.schema = schema
        self.defaults = defaults
        self.build = build
    }

    /// The value of a literal written as Mull source (numbers, strings, booleans, symbols,
    /// `none`, lists of these); nil for anything else.
    static func literal(_ text: String) -> Value? {
        let (program, diagnostics) = Parser.parse(SourceFile(path: "<default>", text: "let v = " + text))
        guard diagnostics.isEmpty, program.items.count == 1, case .statement(let s) = program.items[0].kind,
              case .letBinding(_, let e) = s.kind else { return nil }
        func value(_ e: Expr) -> Value? {
            if let v = Value.scalarLiteral(e) { return v }
            switch e.kind {
            case .unary(.negate, let x):
                switch value(x) {
                case .int(let i)?: return .int(-i)
                case .float(let d)?: return .float(-d)
                default: return nil
                }
            case .list(let xs):
                var out: [Value] = []
                for x in xs { guard let v = value(x) else { return nil }; out.append(v) }
                return .list(out)
            default: return nil
            }
        }
        return value(e)
    }
}

/// The one registry of components: built-ins and those an embedder registers.
public final class ComponentRegistry: SchemaProvider, @unchecked Sendable {
    private let lock = NSLock()
    private var definitions: [String: ComponentDefinition] = [:]
    private var order: [String] = []

    /// An empty registry: scripts see only the components registered into it.
    public init() {}

    /// A registry holding every built-in component, for a host to extend with its own and pass
    /// to `Interpreter(configuration:registry:)` (the interpreter makes one when given none).
    public static func builtins() -> ComponentRegistry { BuiltinComponents.makeRegistry() }

    public func register(_ definition: ComponentDefinition) {
        lock.lock()
        defer { lock.unlock() }
        let name = definition.schema.name
        if definitions[name] == nil { order.append(name) }
        definitions[name] = definition
    }

    public func definition(named name: String) -> ComponentDefinition? {
        lock.lock()
        defer { lock.unlock() }
        return definitions[name]
    }

    public func schema(named name: String) -> ComponentSchema? { definition(named: name)?.schema }

    public var allSchemas: [ComponentSchema] {
        lock.lock()
        defer { lock.unlock() }
        return order.compactMap { definitions[$0]?.schema }
    }

    public var names: [String] {
        lock.lock()
        defer { lock.unlock() }
        return order
    }
}

/// Everything a component's builder gets: the configuration with defaults filled in, and the
/// means to build the components it names.
public struct BuildRequest: @unchecked Sendable {
    public let component: ComponentValue
    public let definition: ComponentDefinition
    public let context: BuildContext
    /// Field values as given, overridden by a sweep where it varies them.
    let values: [String: Value]

    public var schema: ComponentSchema { definition.schema }
    public var callContext: CallContext { context.callContext }

    /// The value of a field: as given, else its default, else none.
    public func value(_ name: String) -> Value {
        if let v = values[name] { return v }
        if let f = schema.field(named: name), let v = values[f.name] ?? f.aliases.lazy.compactMap({ values[$0] }).first { return v }
        return definition.defaults[name] ?? .null
    }

    public func has(_ name: String) -> Bool { values[name] != nil }

    public func range(of name: String) -> SourceRange? { component.fieldRange(name) ?? component.range }

    public func error(_ field: String, _ message: String) -> MullError {
        MullError("invalid-field", message, at: range(of: field))
    }

    public func double(_ name: String) throws -> Double {
        let v = value(name)
        guard let d = v.asDouble else { throw error(name, "field `\(name)` must be a number, got \(v.typeName)") }
        return d
    }

    public func optionalDouble(_ name: String) throws -> Double? {
        if case .null = value(name) { return nil }
        return try double(name)
    }

    public func int(_ name: String) throws -> Int {
        let v = value(name)
        guard case .int(let i) = v else { throw error(name, "field `\(name)` must be an integer, got \(v.typeName)") }
        return i
    }

    public func optionalInt(_ name: String) throws -> Int? {
        if case .null = value(name) { return nil }
        return try int(name)
    }

    public func bool(_ name: String) throws -> Bool {
        let v = value(name)
        guard case .bool(let b) = v else { throw error(name, "field `\(name)` must be a bool, got \(v.typeName)") }
        return b
    }

    public func string(_ name: String) throws -> String {
        let v = value(name)
        guard case .string(let s) = v else { throw error(name, "field `\(name)` must be a string, got \(v.typeName)") }
        return s
    }

    public func symbol(_ name: String) throws -> String {
        let v = value(name)
        guard case .symbol(let s) = v else { throw error(name, "field `\(name)` must be a symbol such as `.name`, got \(v.typeName)") }
        return s
    }

    public func function(_ name: String) throws -> Function? {
        let v = value(name)
        if case .null = v { return nil }
        guard case .function(let f) = v else { throw error(name, "field `\(name)` must be a function, got \(v.typeName)") }
        return f
    }

    /// Builds (or reuses, within this build context) the component named in a field.
    public func component(_ name: String) throws -> (any ComponentInstance)? {
        let v = value(name)
        switch v {
        case .null: return nil
        case .component(let c): return try context.instance(of: c)
        default: throw error(name, "field `\(name)` must be a component, got \(v.typeName)")
        }
    }
}

/// Builds live components. Within one context each configuration is built once, so an agent
/// and a sweep that name the same environment share it. The REPL keeps one context for the
/// session; each trial of a sweep gets a fresh one with its own random stream and overrides.
public final class BuildContext: @unchecked Sendable {
    let registry: ComponentRegistry
    public let callContext: CallContext
    /// Seed of this context's random stream (a trial's, or the session's).
    public let seed: UInt64
    public let stream: UInt64
    /// Field overrides by component identity (a sweep's varied values).
    var overrides: [ObjectIdentifier: [String: Value]]
    private var built: [ObjectIdentifier: any ComponentInstance] = [:]
    /// Whether instances are cached on the component values (the REPL's shared objects).
    let shareWithSession: Bool
    private var streams: UInt64 = 0

    init(registry: ComponentRegistry, callContext: CallContext, seed: UInt64, stream: UInt64,
         overrides: [ObjectIdentifier: [String: Value]] = [:], shareWithSession: Bool) {
        self.registry = registry
        self.callContext = callContext
        self.seed = seed
        self.stream = stream
        self.overrides = overrides
        self.shareWithSession = shareWithSession
    }

    /// A fresh random generator for one component of this context (deterministic in build order).
    public func makeRandom() -> RandomSource {
        streams += 1
        return RandomSource(seed: seed, stream: stream &* 1_000_003 &+ streams)
    }

    /// A generator for what only the REPL uses (a continuous environment's own episodes), from a
    /// stream set aside for it: taking it does not shift the streams of the components built
    /// after it, so a trial's numbers do not depend on it.
    func makeReplRandom() -> RandomSource {
        RandomSource(seed: seed, stream: stream &* 1_000_003 &+ 1_000_002)
    }

    /// Checks a value against a field's type and bounds (the checker does this before running for
    /// literals; this catches computed and varied values).
    static func validate(_ v: Value, against f: FieldSchema, in component: String, at range: SourceRange?) throws {
        if case .null = v { return }
        func matches(_ t: FieldType, _ v: Value) -> Bool {
            switch (t, v) {
            case (.any, _): return true
            case (.int, .int), (.float, .int), (.float, .float), (.bool, .bool), (.string, .string), (.record, .record): return true
            case (.symbol(let names), .symbol(let s)): return names == nil || names!.contains(s)
            case (.list(let inner), .list(let xs)): return xs.allSatisfy { matches(inner, $0) }
            case (.function, .function): return true
            case (.component(let k), .component(let c)): return c.kind == k
            case (.oneOf(let ts), _): return ts.contains { matches($0, v) }
            default: return false
            }
        }
        guard matches(f.type, v) else {
            throw MullError("type-mismatch", "\(component)'s field `\(f.name)` expects \(f.type), got \(v.typeName) \(v.repr.count <= 40 ? v.repr : "")"
                .trimmingCharacters(in: .whitespaces), at: range)
        }
        if let x = v.asDouble, !f.accepts(x) {
            throw MullError("value-out-of-range", "\(component)'s field `\(f.name)` must be \(f.boundsDescription ?? "in range"), got \(v.repr)", at: range)
        }
    }

    public func instance(of c: ComponentValue) throws -> any ComponentInstance {
        let id = ObjectIdentifier(c)
        if let i = built[id] { return i }
        if shareWithSession, let i = c.existingInstance { built[id] = i; return i }
        guard let def = registry.definition(named: c.componentName) else {
            throw MullError("unknown-component", "unknown component `\(c.componentName)`", at: c.range)
        }
        var values: [String: Value] = [:]
        for f in c.fields {
            guard let schemaField = def.schema.field(named: f.name) else {
                throw MullError("unknown-field", "\(def.schema.name) has no field `\(f.name)`", at: f.range ?? c.range,
                                suggestion: Suggest.closest(to: f.name, among: def.schema.fields.flatMap { [$0.name] + $0.aliases }).map { "did you mean `\($0)`?" })
            }
            values[schemaField.name] = f.value
        }
        for (k, v) in overrides[id] ?? [:] { values[k] = v }
        for f in def.schema.fields {
            guard let v = values[f.name] else {
                if f.required {
                    throw MullError("missing-field", "\(def.schema.name) needs the field `\(f.name)` (\(f.doc))", at: c.range)
                }
                continue
            }
            try BuildContext.validate(v, against: f, in: def.schema.name, at: c.fieldRange(f.name) ?? c.range)
        }
        let make = { try def.build(BuildRequest(component: c, definition: def, context: self, values: values)) }
        let i = shareWithSession ? try c.instance(build: make) : try make()
        built[id] = i
        return i
    }
}

/// What the checker, the REPL and the reference docs know about a component (`GridWorld`,
/// `DynaQ`, ...): its kind, its fields and what it needs from its neighbours. The registry of
/// built-ins (in the `Mull` module) pairs each schema with the code that builds the component.
public struct ComponentSchema: Sendable {
    public var name: String
    public var kind: ComponentKind
    /// One-line summary, then optional detail paragraphs.
    public var doc: String
    public var fields: [FieldSchema]
    /// What this component offers (an environment's spaces, a model's abilities).
    public var provides: Capabilities
    /// What it needs from the components named in its fields.
    public var requirements: [Requirement]
    /// Methods callable on a live instance (for completion and `:help`).
    public var methods: [MethodSchema]
    /// Fields that exclude one another (`episodes` or `steps`), read by the checker and the
    /// interpreter alike.
    public var groups: [FieldGroup]

    public init(name: String, kind: ComponentKind, doc: String, fields: [FieldSchema],
                provides: Capabilities = [], requirements: [Requirement] = [], methods: [MethodSchema] = [],
                groups: [FieldGroup] = []) {
        self.name = name
        self.kind = kind
        self.doc = doc
        self.fields = fields
        self.provides = provides
        self.requirements = requirements
        self.methods = methods
        self.groups = groups
    }

    /// The field called `name`, or one of whose aliases is `name`.
    public func field(named name: String) -> FieldSchema? {
        fields.first { $0.name == name || $0.aliases.contains(name) }
    }

    /// The first group that the fields `given` break, with the diagnostic's id and message
    /// (`owner` names the component, e.g. "sweep `s`").
    public func groupViolation(given: Set<String>, owner: String) -> (group: FieldGroup, id: DiagnosticID, message: String, present: [String])? {
        for g in groups {
            let present = g.fields.filter(given.contains)
            if present.count > 1 {
                let names = present.map { "`\($0)`" }
                let list = names.count == 2 ? "both \(names[0]) and \(names[1])" : names.joined(separator: ", ")
                return (g, .conflictingFields, "\(owner) gives \(list); \(g.reason)", present)
            }
            if present.isEmpty && g.rule == .exactlyOne {
                return (g, .missingField, "\(owner) needs \(g.fields.map { "`\($0)`" }.joined(separator: " or "))", present)
            }
        }
        return nil
    }
}

/// Fields of a component of which at most one (or exactly one) may be given.
public struct FieldGroup: Sendable {
    public enum Rule: Sendable { case exactlyOne, atMostOne }
    public var fields: [String]
    public var rule: Rule
    /// Why they exclude one another, completing "gives both `a` and `b`; ...".
    public var reason: String
    /// What each field means, for the note of a missing field.
    public var help: String

    public init(_ rule: Rule, _ fields: [String], reason: String, help: String = "") {
        self.rule = rule
        self.fields = fields
        self.reason = reason
        self.help = help
    }
}

/// The type a field accepts, as the checker understands it.
public indirect enum FieldType: Sendable, CustomStringConvertible, Equatable {
    case int
    /// Accepts integers too.
    case float
    case bool
    case string
    /// A symbol, optionally restricted to the given names (`.euler`, `.rk4`).
    case symbol([String]?)
    case list(FieldType)
    case record
    /// A function taking `arity` arguments (nil: any).
    case function(arity: Int?)
    /// A component of the given kind (`env: maze`, `model: Tabular {}`).
    case component(ComponentKind)
    case oneOf([FieldType])
    case any

    public var description: String {
        switch self {
        case .int: "int"
        case .float: "float"
        case .bool: "bool"
        case .string: "string"
        case .symbol(let names?): names.map { ".\($0)" }.joined(separator: " | ")
        case .symbol(nil): "symbol"
        case .list(let t): "list of \(t)"
        case .record: "record"
        case .function(let n?): "function of \(n) argument\(n == 1 ? "" : "s")"
        case .function(nil): "function"
        case .component(let k): k.rawValue
        case .oneOf(let ts): ts.map(\.description).joined(separator: " or ")
        case .any: "any"
        }
    }
}

public struct FieldSchema: Sendable {
    public var name: String
    public var type: FieldType
    /// The default as Mull source text (`0.1`, `.euler`); nil when the field is required or
    /// has no default.
    public var defaultText: String?
    public var required: Bool
    /// Inclusive numeric bounds (either may be absent).
    public var minimum: Double?
    public var maximum: Double?
    /// True when the minimum itself is not allowed (alpha in (0, 1]).
    public var exclusiveMinimum: Bool
    public var doc: String
    /// Other accepted names, e.g. the book's `n` for `planning_steps`.
    public var aliases: [String]
    /// Another field of the same component whose value an integer value of this one may not
    /// exceed (an ensemble's `elites` and its `members`, a planner's `elites` and its
    /// `population`); the checker compares literals, the builder checks computed values.
    public var atMost: String?
    /// For a component field: the component (built with its own defaults) that stands for it
    /// when it is left out, e.g. `Tabular` for a tabular agent's `model`. The checker, sweeps'
    /// `vary` and the builder all read it here.
    public var defaultComponent: String?

    public init(_ name: String, _ type: FieldType, default defaultText: String? = nil, required: Bool = false,
                min: Double? = nil, max: Double? = nil, exclusiveMinimum: Bool = false,
                aliases: [String] = [], doc: String) {
        self.name = name
        self.type = type
        self.defaultText = defaultText
        self.required = required
        self.minimum = min
        self.maximum = max
        self.exclusiveMinimum = exclusiveMinimum
        self.doc = doc
        self.aliases = aliases
    }

    /// "in [0, 1]", "at least 1", ... for messages and docs; nil when unbounded.
    public var boundsDescription: String? {
        switch (minimum, maximum) {
        case let (lo?, hi?): "in \(exclusiveMinimum ? "(" : "[")\(fmt(lo)), \(fmt(hi))]"
        case let (lo?, nil): exclusiveMinimum ? "greater than \(fmt(lo))" : "at least \(fmt(lo))"
        case let (nil, hi?): "at most \(fmt(hi))"
        case (nil, nil): nil
        }
    }

    /// Whether a number lies within the bounds.
    public func accepts(_ x: Double) -> Bool {
        if let lo = minimum, exclusiveMinimum ? !(x > lo) : !(x >= lo) { return false }
        if let hi = maximum, !(x <= hi) { return false }
        return true
    }

    private func fmt(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
    }
}

/// Abilities that components offer and require, checked before anything runs.
public struct Capabilities: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let discreteStates = Capabilities(rawValue: 1 << 0)
    public static let continuousStates = Capabilities(rawValue: 1 << 1)
    public static let discreteActions = Capabilities(rawValue: 1 << 2)
    public static let continuousActions = Capabilities(rawValue: 1 << 3)
    /// The environment exposes its exact transition table (`P[s][a]`).
    public static let tabularDynamics = Capabilities(rawValue: 1 << 4)
    /// The environment or model can be queried from an arbitrary state.
    public static let simulatable = Capabilities(rawValue: 1 << 5)
    /// A grid that can be drawn (policies, values) in the REPL.
    public static let grid = Capabilities(rawValue: 1 << 6)

    public static let names: [(Capabilities, String)] = [
        (.discreteStates, "discrete states"), (.continuousStates, "continuous states"),
        (.discreteActions, "discrete actions"), (.continuousActions, "continuous actions"),
        (.tabularDynamics, "an exact transition table"), (.simulatable, "queries from any state"),
        (.grid, "a grid layout"),
    ]

    /// Human words for the capabilities in this set, e.g. "discrete states and discrete actions".
    public var words: String {
        let ws = Capabilities.names.filter { contains($0.0) }.map(\.1)
        if ws.count <= 1 { return ws.first ?? "nothing" }
        return ws.dropLast().joined(separator: ", ") + " and " + ws.last!
    }
}

/// "The component named in field `field` must offer `needs`", with the reason shown to users.
public struct Requirement: Sendable {
    public var field: String
    public var needs: Capabilities
    public var reason: String
    public init(field: String, needs: Capabilities, reason: String) {
        self.field = field
        self.needs = needs
        self.reason = reason
    }
}

public struct MethodSchema: Sendable {
    public var name: String
    /// e.g. `q(state, action?)`.
    public var signature: String
    public var doc: String
    public init(name: String, signature: String, doc: String) {
        self.name = name
        self.signature = signature
        self.doc = doc
    }
}

/// Where the checker looks up component schemas; the interpreter's registry conforms.
public protocol SchemaProvider: Sendable {
    func schema(named name: String) -> ComponentSchema?
    var allSchemas: [ComponentSchema] { get }
}

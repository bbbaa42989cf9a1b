/// What the checker knows, without running anything, about the value of an expression.
indirect enum StaticType {
    case int, float, bool, string
    case symbol(String)
    case none
    case list
    case record
    /// A function accepting between `minArity` and `maxArity` arguments.
    case function(minArity: Int, maxArity: Int)
    case component(ComponentRef)
    /// `uniform(...)`, `log_uniform(...)`, `int_uniform(...)`, `choice(...)`.
    case distribution
    case module
    case unknown

    var isKnown: Bool {
        if case .unknown = self { return false }
        return true
    }

    var isNumeric: Bool {
        switch self {
        case .int, .float: true
        default: false
        }
    }

    /// "an int", "a list", "an agent", ... for messages.
    var phrase: String {
        switch self {
        case .int: "an int"
        case .float: "a float"
        case .bool: "a bool"
        case .string: "a string"
        case .symbol: "a symbol"
        case .none: "`none`"
        case .list: "a list"
        case .record: "a record"
        case .function: "a function"
        case .component(let ref): ref.kind.map { $0.withArticle } ?? "a component"
        case .distribution: "a distribution"
        case .module: "a module"
        case .unknown: "a value"
        }
    }
}

/// A component the checker can follow: its schema when known, the name it was declared under,
/// and its entries when written as a literal.
struct ComponentRef {
    var kind: ComponentKind?
    var schema: ComponentSchema?
    /// The top-level declaration that names it (`dyna` in `agent dyna = DynaQ { ... }`).
    var declName: Identifier?
    /// The literal's entries; nil when the component comes from an expression such as `a.with(...)`.
    var entries: [ComponentEntry]?

    /// "`pendulum` (Pendulum)" or "`Pendulum`".
    var quoted: String {
        switch (declName, schema) {
        case let (d?, s?): "`\(d.name)` (\(s.name))"
        case let (d?, nil): "`\(d.name)`"
        case let (nil, s?): "`\(s.name)`"
        case (nil, nil): "the component"
        }
    }
}

extension ComponentKind {
    /// "an env", "a model", "an agent", "a sweep".
    var withArticle: String {
        switch self {
        case .env, .agent: "an \(rawValue)"
        case .model, .sweep: "a \(rawValue)"
        }
    }

    /// "an environment", "a model", ... in sentences about requirements.
    var noun: String {
        switch self {
        case .env: "an environment"
        case .model: "a model"
        case .agent: "an agent"
        case .sweep: "a sweep"
        }
    }
}

extension FieldType {
    /// "a float", "one of `.euler`, `.rk4`", "a list of symbols", ... for messages.
    var phrase: String {
        switch self {
        case .int: "an int"
        case .float: "a float"
        case .bool: "a bool"
        case .string: "a string"
        case .symbol(let names?): "one of " + names.map { "`.\($0)`" }.joined(separator: ", ")
        case .symbol(nil): "a symbol"
        case .list(let t): "a list of \(t.plural)"
        case .record: "a record"
        case .function(let n?): "a function of \(n) argument\(n == 1 ? "" : "s")"
        case .function(nil): "a function"
        case .component(let k): k.withArticle
        case .oneOf(let ts): ts.map(\.phrase).joined(separator: " or ")
        case .any: "any value"
        }
    }

    /// "ints", "symbols", ... for "a list of ...".
    var plural: String {
        switch self {
        case .int: "ints"
        case .float: "floats"
        case .bool: "bools"
        case .string: "strings"
        case .symbol(let names?): names.map { "`.\($0)`" }.joined(separator: " or ")
        case .symbol(nil): "symbols"
        case .list: "lists"
        case .record: "records"
        case .function: "functions"
        case .component(let k): k == .env ? "envs" : "\(k.rawValue)s"
        case .oneOf(let ts): ts.map(\.plural).joined(separator: " or ")
        case .any: "values"
        }
    }

    /// Whether a value of static type `t` may be given to a field of this type (true when unsure).
    func accepts(_ t: StaticType) -> Bool {
        switch (self, t) {
        case (_, .unknown), (.any, _): true
        case (.int, .int): true
        case (.float, .int), (.float, .float): true
        case (.bool, .bool), (.string, .string), (.symbol, .symbol), (.list, .list), (.record, .record): true
        case let (.function(n), .function(lo, hi)): n.map { lo <= $0 && $0 <= hi } ?? true
        case let (.component(k), .component(ref)): ref.kind.map { $0 == k } ?? true
        case let (.oneOf(ts), _): ts.contains { $0.accepts(t) }
        default: false
        }
    }

    /// Whether numbers are among the accepted values (for bounds checks).
    var isNumeric: Bool {
        switch self {
        case .int, .float: true
        case .oneOf(let ts): ts.contains(where: \.isNumeric)
        default: false
        }
    }
}

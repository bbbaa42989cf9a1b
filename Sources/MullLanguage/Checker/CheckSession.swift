/// The state of one check: the resolver's tables, the types of local bindings, and the
/// diagnostics found so far.
final class CheckSession {
    let schemas: any SchemaProvider
    let program: Program
    var diagnostics: [Diagnostic] = []

    /// What every name refers to, and the top-level declarations (from the resolver).
    let resolution: Resolution
    var globals: [String: GlobalDecl] { resolution.globals }
    /// The types of local bindings, by the key of their identifier.
    var localTypes: [NodeKey: StaticType] = [:]
    /// How many function bodies enclose the current point; 0 means top-level execution order.
    var functionDepth = 0

    /// Parameter names of predeclared built-in functions (see `Checker.builtinParameters`).
    var builtinParameters: [String: [String]] = [:]
    var globalTypes: [String: StaticType] = [:]
    var globalTypesInProgress: Set<String> = []
    private var schemaCache: [String: ComponentSchema?] = [:]
    private(set) lazy var componentNames: [String] = schemas.allSchemas.map(\.name)

    init(schemas: any SchemaProvider, program: Program, resolution: Resolution) {
        self.schemas = schemas
        self.program = program
        self.resolution = resolution
    }

    // MARK: - Reporting

    func report(_ id: DiagnosticID, _ message: String, at range: SourceRange?, notes: [Diagnostic.Note] = [],
                suggestion: Diagnostic.Suggestion? = nil) {
        diagnostics.append(Diagnostic(id, .error, message, at: range, notes: notes, suggestion: suggestion))
    }

    /// "did you mean `x`?" for the candidate closest to `name`, replacing `range`.
    func didYouMean(_ name: String, among candidates: [String], at range: SourceRange?, prefix: String = "") -> Diagnostic.Suggestion? {
        guard let best = Suggest.closest(to: name, among: candidates), best != name else { return nil }
        return Diagnostic.Suggestion("did you mean `\(prefix)\(best)`?", replacement: prefix + best, range: range)
    }

    func schema(named name: String) -> ComponentSchema? {
        if let cached = schemaCache[name] { return cached }
        let s = schemas.schema(named: name)
        schemaCache[name] = s
        return s
    }

    // MARK: - Names

    func bind(_ id: Identifier, _ type: StaticType) {
        localTypes[NodeKey(id.range)] = type
    }

    /// The declaration the name written at `range` refers to.
    func declaration(at range: SourceRange) -> Declaration? {
        resolution.declarations[NodeKey(range)]
    }

    /// Whether the name written at `range` is a built-in (not shadowed there).
    func isBuiltin(at range: SourceRange) -> Bool {
        if case .builtin = declaration(at: range) { return true }
        return false
    }
}


/// The state of one check: the global declarations indexed by name, the stack of local scopes,
/// and the diagnostics found so far.
final class CheckSession {
    let schemas: any SchemaProvider
    let predeclared: Set<String>
    let program: Program
    var diagnostics: [Diagnostic] = []

    /// Every top-level declaration by name (the first one when a name is declared twice).
    var globals: [String: GlobalDecl] = [:]
    /// Local scopes, innermost last.
    var scopes: [[String: LocalBinding]] = []
    /// How many function bodies enclose the current point; 0 means top-level execution order.
    var functionDepth = 0
    /// The index of the top-level item being checked.
    var currentItem = 0

    /// Parameter names of predeclared built-in functions (see `Checker.builtinParameters`).
    var builtinParameters: [String: [String]] = [:]
    var globalTypes: [String: StaticType] = [:]
    var globalTypesInProgress: Set<String> = []
    private var schemaCache: [String: ComponentSchema?] = [:]
    private(set) lazy var componentNames: [String] = schemas.allSchemas.map(\.name)

    init(schemas: any SchemaProvider, predeclared: Set<String>, program: Program) {
        self.schemas = schemas
        self.predeclared = predeclared
        self.program = program
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

    // MARK: - Declarations

    /// Indexes every top-level declaration, reporting duplicates.
    func indexGlobals() {
        for (i, item) in program.items.enumerated() {
            switch item.kind {
            case .importDecl(let imp):
                let name = imp.alias?.name ?? CheckSession.moduleName(imp.path)
                declareGlobal(GlobalDecl(kind: .module, name: name, range: imp.alias?.range ?? imp.pathRange, item: i))
            case .component(let d):
                declareGlobal(GlobalDecl(kind: .component(d), name: d.name.name, range: d.name.range, item: i))
            case .statement(let s):
                switch s.kind {
                case .letBinding(let id, let value):
                    declareGlobal(GlobalDecl(kind: .letBinding(value), name: id.name, range: id.range, item: i))
                case .function(let f):
                    if let id = f.name {
                        declareGlobal(GlobalDecl(kind: .function(f), name: id.name, range: id.range, item: i))
                    }
                default: break
                }
            case .run: break
            }
        }
    }

    private func declareGlobal(_ g: GlobalDecl) {
        if let first = globals[g.name] {
            report(.duplicateDeclaration, "`\(g.name)` is already declared", at: g.range,
                   notes: [.init("`\(g.name)` is first declared here", at: first.range)])
            return
        }
        globals[g.name] = g
    }

    /// The module name an import binds: the last path component without `.mull`.
    static func moduleName(_ path: String) -> String {
        var last = path.split(separator: "/").last.map(String.init) ?? path
        if last.hasSuffix(".mull") { last.removeLast(5) }
        return last
    }

    // MARK: - Scopes

    func pushScope() { scopes.append([:]) }
    func popScope() { scopes.removeLast() }

    func bind(_ id: Identifier, _ type: StaticType) {
        scopes[scopes.count - 1][id.name] = LocalBinding(range: id.range, type: type)
    }

    func lookupLocal(_ name: String) -> LocalBinding? {
        var i = scopes.count - 1
        while i >= 0 {
            if let b = scopes[i][name] { return b }
            i -= 1
        }
        return nil
    }

    /// Every name visible here, for suggestions.
    func visibleNames() -> [String] {
        var names = Set(predeclared)
        for s in scopes { names.formUnion(s.keys) }
        names.formUnion(globals.keys)
        return names.sorted()
    }

    /// Whether `name` refers to a builtin here (not shadowed by a local or global binding).
    func isBuiltin(_ name: String) -> Bool {
        lookupLocal(name) == nil && globals[name] == nil && predeclared.contains(name)
    }
}

/// A top-level declaration.
struct GlobalDecl {
    enum Kind {
        case letBinding(Expr)
        case function(FunctionDecl)
        case component(ComponentDecl)
        case module
    }
    var kind: Kind
    var name: String
    var range: SourceRange
    /// The index of the top-level item that declares it.
    var item: Int

    /// Lets and imports bind in order; functions and components are hoisted.
    var isOrdered: Bool {
        switch kind {
        case .letBinding, .module: true
        case .function, .component: false
        }
    }
}

/// A local name: a `let` in a block, a parameter, a loop or pattern variable, a local function.
struct LocalBinding {
    var range: SourceRange
    var type: StaticType
}

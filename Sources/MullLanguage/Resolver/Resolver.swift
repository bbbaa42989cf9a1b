/// The one place names are bound. A walk over a program, in the order the compiler will
/// compile it, that decides for every name written what it refers to (a slot of a frame, a
/// built-in) and lays out every frame, reporting each name that refers to nothing. The
/// compiler consumes the resulting `Resolution` and reports nothing of its own; the checker
/// reads the declarations behind names from it.
package struct Resolver {
    /// Names of the interpreter's built-ins.
    package let builtins: Set<String>
    /// Component types, so `GridWorld` written without `{ ... }` gets its own message.
    package let schemas: any SchemaProvider

    package init(builtins: Set<String>, schemas: any SchemaProvider) {
        self.builtins = builtins
        self.schemas = schemas
    }

    /// The name an import binds: the last path component without `.mull`.
    package static func moduleName(_ path: String) -> String {
        var last = path.split(separator: "/").last.map(String.init) ?? path
        if last.hasSuffix(".mull") { last.removeLast(5) }
        return last
    }

    /// Resolves `program` on top of `globals` (the session's top-level scope: earlier entries
    /// of a REPL, names a host set), which it extends.
    package func resolve(_ program: Program, globals: NameScope) -> Resolution {
        let session = ResolveSession(program: program, globals: globals, builtins: builtins, schemas: schemas)
        session.resolveProgram()
        return session.resolution
    }
}

/// The state of one resolution.
final class ResolveSession {
    let program: Program
    let builtins: Set<String>
    let schemas: any SchemaProvider
    var scope: NameScope
    var resolution = Resolution()
    /// The functions being resolved, innermost last: each one's scope and the outside
    /// variables it reads.
    var functions: [(key: NodeKey, scope: NameScope, free: [FreeVariable])] = []
    /// While inside the alternatives of a pattern: the slot each name bound so far takes, so
    /// every alternative binds a name to the same slot.
    var alternativeSlots: [String: Int]?
    /// Names bound by the pattern being walked.
    var patternNames: Set<String> = []
    /// `resolution.declaredGlobals` as a set, so listing a name is constant time (a script of
    /// 200,000 `let`s).
    private var listedGlobals: Set<String> = []

    init(program: Program, globals: NameScope, builtins: Set<String>, schemas: any SchemaProvider) {
        self.program = program
        self.scope = globals
        self.builtins = builtins
        self.schemas = schemas
    }

    func report(_ id: DiagnosticID, _ message: String, at range: SourceRange?, notes: [Diagnostic.Note] = [],
                suggestion: Diagnostic.Suggestion? = nil) {
        resolution.diagnostics.append(Diagnostic(id, .error, message, at: range, notes: notes, suggestion: suggestion))
    }

    // MARK: - Top level

    func resolveProgram() {
        indexGlobals()
        // Named functions and components are visible in the whole program (mutual recursion,
        // agents declared before their environments); imports and `let`s from their line on.
        for item in program.items {
            switch item.kind {
            case .statement(let s):
                if case .function(let f) = s.kind, let name = f.name { declareGlobal(name.name, at: name.range, fresh: false) }
            case .component(let c): declareGlobal(c.name.name, at: c.name.range, fresh: false)
            default: break
            }
        }
        for item in program.items {
            switch item.kind {
            case .importDecl(let imp):
                let name = imp.alias?.name ?? Resolver.moduleName(imp.path)
                declareGlobal(name, at: imp.alias?.range ?? imp.pathRange, fresh: false)
            case .component(let decl):
                resolution.bindingSlots[NodeKey(decl.name.range)] = scope.slot(of: decl.name.name)
                expression(decl.value)
            case .run(let e):
                expression(e)
            case .statement(let s):
                if case .letBinding(let id, let value) = s.kind {
                    expression(value)
                    declareGlobal(id.name, at: id.range, fresh: true)
                } else {
                    statement(s)
                }
            }
        }
    }

    /// Declares a top-level name and lists it among the program's globals.
    private func declareGlobal(_ name: String, at range: SourceRange, fresh: Bool) {
        let key = NodeKey(range)
        resolution.bindingSlots[key] = fresh ? scope.declareFresh(name, at: key) : scope.declare(name, at: key)
        if listedGlobals.insert(name).inserted { resolution.declaredGlobals.append(name) }
    }

    /// Indexes every top-level declaration, reporting duplicates.
    private func indexGlobals() {
        for (i, item) in program.items.enumerated() {
            switch item.kind {
            case .importDecl(let imp):
                let name = imp.alias?.name ?? Resolver.moduleName(imp.path)
                index(GlobalDecl(kind: .module, name: name, range: imp.alias?.range ?? imp.pathRange, item: i))
            case .component(let d):
                index(GlobalDecl(kind: .component(d), name: d.name.name, range: d.name.range, item: i))
            case .statement(let s):
                switch s.kind {
                case .letBinding(let id, let value):
                    index(GlobalDecl(kind: .letBinding(value), name: id.name, range: id.range, item: i))
                case .function(let f):
                    if let id = f.name { index(GlobalDecl(kind: .function(f), name: id.name, range: id.range, item: i)) }
                default: break
                }
            case .run: break
            }
        }
    }

    private func index(_ g: GlobalDecl) {
        if let first = resolution.globals[g.name] {
            report(.duplicateDeclaration, "`\(g.name)` is already declared", at: g.range,
                   notes: [.init("`\(g.name)` is first declared here", at: first.range)])
            return
        }
        resolution.globals[g.name] = g
    }

    // MARK: - Statements

    func block(_ b: Block) {
        scope.blocks.append([:])
        defer { scope.blocks.removeLast() }
        // A block's named functions are visible in the whole block.
        for s in b.statements {
            if case .function(let f) = s.kind, let id = f.name {
                let key = NodeKey(id.range)
                resolution.bindingSlots[key] = scope.declare(id.name, at: key)
            }
        }
        for s in b.statements { statement(s) }
    }

    func statement(_ s: Stmt) {
        switch s.kind {
        case .letBinding(let id, let value):
            expression(value)
            bindFresh(id)
        case .function(let f):
            // Its slot was given when its block was entered (or at the top level, hoisted), so a
            // `let` of the same name in between shadows it from its line on and does not take it.
            function(f)
        case .forLoop(let variable, let iterable, let body):
            expression(iterable)
            // Each iteration runs in a frame of its own, so closures keep their iteration's value.
            resolution.loopFrames[NodeKey(s.range)] = inFrame {
                bindFresh(variable)
                block(body)
            }
        case .returnStmt(let value):
            if let value { expression(value) }
        case .expression(let e):
            expression(e)
        }
    }

    /// Resolves `body` in a new frame's scope inside the current one; returns the frame's size.
    func inFrame(_ body: () -> Void) -> Int {
        let inner = NameScope(parent: scope)
        let outer = scope
        scope = inner
        body()
        scope = outer
        return inner.size
    }

    /// A new binding for `id` in the innermost block.
    func bindFresh(_ id: Identifier) {
        let key = NodeKey(id.range)
        resolution.bindingSlots[key] = scope.declareFresh(id.name, at: key)
    }

    func function(_ f: FunctionDecl) {
        let key = NodeKey(f.range)
        let inner = NameScope(parent: scope)
        let outer = scope
        functions.append((key, inner, []))
        scope = inner
        var seen: [String: SourceRange] = [:]
        // Parameters take the first slots, in order; a default sees the parameters before it
        // (filled by then) and names outside the function.
        for p in f.parameters {
            if let d = p.defaultValue { expression(d) }
            if let first = seen[p.name.name] {
                report(.duplicateParameter, "parameter `\(p.name.name)` appears twice", at: p.name.range,
                       notes: [.init("first declared here", at: first)])
            } else {
                seen[p.name.name] = p.name.range
            }
            bindFresh(p.name)
        }
        block(f.body)
        let done = functions.removeLast()
        scope = outer
        resolution.functionFrames[key] = inner.size
        resolution.freeVariables[key] = done.free
    }
}

import MullLanguage

/// What compiled code needs from the interpreter that owns it.
struct CompilerHooks {
    var importModule: (ImportDecl) throws -> Module
    var run: (Value, SourceRange, CallContext) throws -> Void
    var componentKind: (String) -> ComponentKind?
    var componentNames: () -> [String]
    var builtins: [String: Value]
}

/// Turns the AST into Swift closures, once. Names are resolved to frame slots here; anything
/// that cannot be resolved is reported as a diagnostic before any code runs.
final class Compiler {
    let hooks: CompilerHooks
    var scope: FunctionScope
    var diagnostics: [Diagnostic] = []
    /// Name of the function being compiled, for backtraces.
    var functionName = "<script>"
    /// The functions being compiled, innermost last, with the outside variables each one reads.
    var functionsBeingCompiled: [FreeVariables] = []

    init(hooks: CompilerHooks, globals: GlobalScope) {
        self.hooks = hooks
        self.scope = globals.scope
    }

    func error(_ id: DiagnosticID, _ message: String, at range: SourceRange, suggestion: String? = nil) {
        diagnostics.append(Diagnostic(id, .error, message, at: range, suggestion: suggestion.map { Diagnostic.Suggestion($0) }))
    }

    // MARK: - Top level

    /// Compiles a program's items into one piece of code run against the global frame. Names
    /// declared at top level (functions, lets, components) become global slots.
    func compileProgram(_ program: Program, globals: GlobalScope) -> Code {
        // Hoist named functions and component declarations so they may be used before their
        // definition (mutual recursion, agents declared before their environments).
        for item in program.items {
            switch item.kind {
            case .statement(let s):
                if case .function(let f) = s.kind, let name = f.name { _ = scope.declare(name.name); note(globals, name.name) }
            case .component(let c): _ = scope.declare(c.name.name); note(globals, c.name.name)
            default: break
            }
        }
        var codes: [CodeBox] = []
        for item in program.items {
            switch item.kind {
            case .importDecl(let imp):
                let name = imp.alias?.name ?? Compiler.moduleName(imp.path)
                let slot = scope.declare(name)
                note(globals, name)
                let hooks = self.hooks
                codes.append(CodeBox { frame, _ in
                    let module = try hooks.importModule(imp)
                    frame.slots[slot] = .module(module)
                    return .null
                })
            case .component(let decl):
                codes.append(CodeBox(compileComponentDecl(decl)))
            case .run(let expr):
                let value = compileExpr(expr)
                let hooks = self.hooks
                let range = item.range
                codes.append(CodeBox { frame, ctx in
                    try hooks.run(try value(frame, ctx), range, ctx)
                    return .null
                })
            case .statement(let stmt):
                if case .letBinding(let name, _) = stmt.kind { note(globals, name.name) }
                codes.append(contentsOf: compileStatements([stmt], hoist: false))
            }
        }
        globals.ensureFrameSize()
        let all = codes
        return { frame, ctx in
            var last: Value = .null
            for c in all {
                last = try c.code(frame, ctx)
                if ctx.returning { ctx.returning = false; break }
            }
            return last
        }
    }

    private func note(_ globals: GlobalScope, _ name: String) {
        globals.note(name)
    }

    static func moduleName(_ path: String) -> String {
        var last = path.split(separator: "/").last.map(String.init) ?? path
        if last.hasSuffix(".mull") { last.removeLast(5) }
        return last
    }

    private func compileComponentDecl(_ decl: ComponentDecl) -> Code {
        let slot = scope.lookup(decl.name.name)!.slot
        let value = compileExpr(decl.value)
        let kind = decl.kind
        let name = decl.name.name
        let range = decl.value.range
        return { frame, ctx in
            let v = try value(frame, ctx)
            guard case .component(let c) = v else {
                throw MullError("kind-mismatch", "`\(name)` is declared as \(kind == .env ? "an" : "a") \(kind) but its value is \(v.typeName)", at: range)
            }
            guard c.kind == kind else {
                throw MullError("kind-mismatch", "`\(c.componentName)` is \(c.kind == .env || c.kind == .agent ? "an" : "a") \(c.kind), not \(kind == .env || kind == .agent ? "an" : "a") \(kind)", at: range,
                                suggestion: "declare it with `\(c.kind) \(name) = ...`")
            }
            let named: ComponentValue
            if c.declaredName == nil { named = c } else { named = c.with([]) }
            named.declaredName = name
            frame.slots[slot] = .component(named)
            return .null
        }
    }

    // MARK: - Statements and blocks

    /// Compiles statements in the current block scope. Named functions are hoisted.
    func compileStatements(_ stmts: [Stmt], hoist: Bool = true) -> [CodeBox] {
        var codes: [CodeBox] = []
        if hoist {
            for s in stmts { if case .function(let f) = s.kind, let n = f.name { _ = scope.declare(n.name) } }
        }
        for s in stmts { codes.append(CodeBox(compileStmt(s))) }
        return codes
    }

    func compileBlock(_ block: Block) -> Code {
        scope.blocks.append([:])
        defer { scope.blocks.removeLast() }
        let codes = compileStatements(block.statements)
        let valued: Bool
        if let last = block.statements.last, case .expression = last.kind { valued = true } else { valued = false }
        switch codes.count {
        case 0: return { _, _ in .null }
        case 1:
            let c = codes[0].code
            return valued ? c : { f, x in _ = try c(f, x); return .null }
        case 2...16:
            // Blocks call their statements through a chain of closures: walking an array of
            // closures would retain and release each one on every run.
            var seq = codes
            if !valued {
                let last = seq.removeLast().code
                seq.append(CodeBox { f, x in _ = try last(f, x); return .null })
            }
            return Compiler.sequence(seq[...])
        default:
            return { frame, ctx in
                var last: Value = .null
                for c in codes {
                    last = try c.code(frame, ctx)
                    if ctx.returning { return .null }
                }
                return valued ? last : .null
            }
        }
    }

    /// Runs `codes` in order, stopping at a `return`; the value is the last one's.
    static func sequence(_ codes: ArraySlice<CodeBox>) -> Code {
        let i = codes.startIndex
        switch codes.count {
        case 1:
            return codes[i].code
        case 2:
            let c0 = codes[i].code, c1 = codes[i + 1].code
            return { frame, ctx in
                _ = try c0(frame, ctx)
                if ctx.returning { return .null }
                let v = try c1(frame, ctx)
                return ctx.returning ? .null : v
            }
        case 3:
            let c0 = codes[i].code, c1 = codes[i + 1].code, c2 = codes[i + 2].code
            return { frame, ctx in
                _ = try c0(frame, ctx)
                if ctx.returning { return .null }
                _ = try c1(frame, ctx)
                if ctx.returning { return .null }
                let v = try c2(frame, ctx)
                return ctx.returning ? .null : v
            }
        default:
            let c0 = codes[i].code, c1 = codes[i + 1].code, c2 = codes[i + 2].code
            let rest = sequence(codes.dropFirst(3))
            return { frame, ctx in
                _ = try c0(frame, ctx)
                if ctx.returning { return .null }
                _ = try c1(frame, ctx)
                if ctx.returning { return .null }
                _ = try c2(frame, ctx)
                if ctx.returning { return .null }
                let v = try rest(frame, ctx)
                return ctx.returning ? .null : v
            }
        }
    }

    func compileStmt(_ stmt: Stmt) -> Code {
        switch stmt.kind {
        case .letBinding(let name, let expr):
            let value = compileExpr(expr)
            let slot = scope.declareFresh(name.name)
            return { frame, ctx in
                frame.slots[slot] = try value(frame, ctx)
                return .null
            }
        case .function(let decl):
            let slot = scope.lookup(decl.name!.name)!.slot
            let make = compileFunction(decl)
            return { frame, ctx in
                frame.slots[slot] = make(frame)
                return .null
            }
        case .forLoop(let variable, let iterable, let body):
            return compileFor(variable, iterable, body, range: stmt.range)
        case .returnStmt(let expr):
            let value = expr.map(compileExpr) ?? { _, _ in .null }
            return { frame, ctx in
                let v = try value(frame, ctx)
                ctx.returnValue = v
                ctx.returning = true
                return .null
            }
        case .expression(let expr):
            return compileExpr(expr)
        }
    }

    /// `for x in xs { body }`: each iteration gets a fresh frame so closures made in the body
    /// capture that iteration's `x`.
    private func compileFor(_ variable: Identifier, _ iterable: Expr, _ body: Block, range: SourceRange) -> Code {
        let items = compileExpr(iterable)
        let inner = FunctionScope(parent: scope)
        let outer = scope
        scope = inner
        let varSlot = inner.declare(variable.name)
        let bodyCode = compileBlock(body)
        scope = outer
        let iterRange = iterable.range
        return { frame, ctx in
            let iterable = try items(frame, ctx)
            if case .range(let lo, let hi) = iterable {
                // Ranges are walked without building a list, so `for i in 0..<n` runs in
                // constant memory and stays interruptible.
                var i = lo
                while i < hi {
                    try ctx.tick(at: range)
                    var f = ctx.frames.take(size: inner.size, parent: Unmanaged.passUnretained(frame))
                    f.slots[varSlot] = .int(i)
                    _ = try bodyCode(f, ctx)
                    ctx.frames.give(&f)
                    if ctx.returning { break }
                    i += 1
                }
                return .null
            }
            let seq = try Compiler.iterate(iterable, at: iterRange, ctx)
            for v in seq {
                try ctx.tick(at: range)
                var f = ctx.frames.take(size: inner.size, parent: Unmanaged.passUnretained(frame))
                f.slots[varSlot] = v
                _ = try bodyCode(f, ctx)
                ctx.frames.give(&f)
                if ctx.returning { break }
            }
            return .null
        }
    }

    /// The elements `for` visits; a range is walked lazily, so `0..<10**12` costs no memory
    /// (the step budget or a Ctrl-C ends a loop that is too long).
    static func iterate(_ v: Value, at range: SourceRange, _ ctx: CallContext) throws -> Iteration {
        switch v {
        case .list(let xs): return Iteration(values: xs)
        case .range(let lo, let hi): return Iteration(lower: lo, upperExclusive: hi)
        case .string(let s): return Iteration(values: s.map { .string(String($0)) })
        case .record(let r): return Iteration(values: r.values)
        default:
            if ctx.returning { return Iteration(values: []) }
            throw MullError("not-iterable", "cannot iterate over \(v.typeName)", at: range)
        }
    }

    /// Resolves a name and notes, for every function being compiled that the name's binding lies
    /// outside of, where the function will find it (for fingerprints of functions).
    func resolve(_ name: String) -> (depth: Int, slot: Int)? {
        guard let (depth, slot) = scope.lookup(name) else { return nil }
        if !functionsBeingCompiled.isEmpty {
            var owner: FunctionScope? = scope
            for _ in 0..<depth { owner = owner?.parent }
            for f in functionsBeingCompiled {
                // Distance from the function's own scope up to the binding's; none when the
                // binding is inside the function.
                var s: FunctionScope? = f.scope
                var d = 0
                while let current = s, current !== owner { s = current.parent; d += 1 }
                if s != nil && d > 0 { f.note(name, depth: d, slot: slot) }
            }
        }
        return (depth, slot)
    }

    /// Compiles a function body; the returned maker closes over the defining frame.
    func compileFunction(_ decl: FunctionDecl) -> (Frame) -> Value {
        let inner = FunctionScope(parent: scope)
        let outer = scope
        let free = FreeVariables(scope: inner)
        functionsBeingCompiled.append(free)
        let outerName = functionName
        scope = inner
        functionName = decl.name?.name ?? "<fn>"
        var names: [String] = []
        for p in decl.parameters {
            if names.contains(p.name.name) {
                error("duplicate-parameter", "parameter `\(p.name.name)` appears twice", at: p.name.range)
            }
            names.append(p.name.name)
            _ = inner.declareFresh(p.name.name)
        }
        let defaults: [Code?] = decl.parameters.map { p in p.defaultValue.map(compileExpr) }
        let body = compileBlock(decl.body)
        functionsBeingCompiled.removeLast()
        scope = outer
        let name = functionName
        functionName = outerName
        let range = decl.range
        return { frame in
            frame.pin()
            return .function(Function(name: name, compiled: .init(parameterNames: names, defaults: defaults, frameSize: inner.size,
                                                          body: body, captured: frame, range: range, freeVariables: free.uses)))
        }
    }
}

/// The elements of an iterable value: a list's values, or the integers of a range made one at a
/// time.
struct Iteration: Sequence, IteratorProtocol {
    private let values: [Value]
    private var position: Int
    private let end: Int
    private let isRange: Bool

    init(values: [Value]) {
        self.values = values
        position = 0
        end = values.count
        isRange = false
    }

    init(lower: Int, upperExclusive: Int) {
        values = []
        position = lower
        end = Swift.max(lower, upperExclusive)
        isRange = true
    }

    mutating func next() -> Value? {
        guard position < end else { return nil }
        defer { position += 1 }
        return isRange ? .int(position) : values[position]
    }
}

/// The variables from outside a function that its body reads: a name, how many frames up from
/// the function's own frame it lives (1 is the frame the function was made in) and its slot.
final class FreeVariables {
    let scope: FunctionScope
    private(set) var uses: [(name: String, depth: Int, slot: Int)] = []
    init(scope: FunctionScope) { self.scope = scope }
    func note(_ name: String, depth: Int, slot: Int) {
        if !uses.contains(where: { $0.name == name && $0.depth == depth && $0.slot == slot }) {
            uses.append((name, depth, slot))
        }
    }
}

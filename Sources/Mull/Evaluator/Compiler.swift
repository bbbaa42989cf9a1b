import MullLanguage

/// What compiled code needs from the interpreter that owns it.
struct CompilerHooks {
    var importModule: (ImportDecl) throws -> Module
    var run: (Value, SourceRange, CallContext) throws -> Void
    var componentKind: (String) -> ComponentKind?
    var builtins: [String: Value]
}

/// Turns the AST into Swift closures, once. Every name was bound by the resolver: the compiler
/// reads slots and frame sizes from its `Resolution` and reports nothing of its own (the
/// front end compiles only programs without errors).
final class Compiler {
    let hooks: CompilerHooks
    let resolution: Resolution
    /// Name of the function being compiled, for backtraces.
    var functionName = "<script>"

    init(hooks: CompilerHooks, resolution: Resolution) {
        self.hooks = hooks
        self.resolution = resolution
    }

    // MARK: - Top level

    /// Compiles a program's items into one piece of code run against the global frame.
    func compileProgram(_ program: Program) -> Code {
        var codes: [CodeBox] = [], functions: [CodeBox] = []
        for item in program.items {
            switch item.kind {
            case .importDecl(let imp):
                let slot = resolution.slot(of: imp.alias?.range ?? imp.pathRange)
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
                if case .function = stmt.kind {
                    // Made before anything else runs, as in a block (see `functionsFirst`).
                    functions.append(CodeBox(compileStmt(stmt)))
                } else {
                    codes.append(CodeBox(compileStmt(stmt)))
                }
            }
        }
        let all = functions + codes
        return { frame, ctx in
            var last: Value = .null
            for c in all {
                last = try c.code(frame, ctx)
                if ctx.returning { ctx.returning = false; break }
            }
            return last
        }
    }

    private func compileComponentDecl(_ decl: ComponentDecl) -> Code {
        let slot = resolution.slot(of: decl.name.range)
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

    func compileBlock(_ block: Block) -> Code {
        let codes = Compiler.functionsFirst(block.statements).map { CodeBox(compileStmt($0)) }
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

    /// A block's statements with its named functions first: a function is visible in its whole
    /// block, so it is made when the block is entered and may be called above its definition.
    /// Making one only captures the frame, so nothing else changes order.
    static func functionsFirst(_ statements: [Stmt]) -> [Stmt] {
        func isFunction(_ s: Stmt) -> Bool { if case .function = s.kind { true } else { false } }
        return statements.filter(isFunction) + statements.filter { !isFunction($0) }
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
            let slot = resolution.slot(of: name.range)
            return { frame, ctx in
                frame.slots[slot] = try value(frame, ctx)
                return .null
            }
        case .function(let decl):
            let slot = resolution.slot(of: decl.name!.range)
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
        let frameSize = resolution.loopFrameSize(range)
        let varSlot = resolution.slot(of: variable.range)
        let bodyCode = compileBlock(body)
        let iterRange = iterable.range
        return { frame, ctx in
            let iterable = try items(frame, ctx)
            if case .range(let lo, let hi) = iterable {
                // Ranges are walked without building a list, so `for i in 0..<n` runs in
                // constant memory and stays interruptible.
                var i = lo
                while i < hi {
                    try ctx.tick(at: range)
                    var f = ctx.frames.take(size: frameSize, parent: Unmanaged.passUnretained(frame))
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
                var f = ctx.frames.take(size: frameSize, parent: Unmanaged.passUnretained(frame))
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

    /// Compiles a function body; the returned maker closes over the defining frame.
    func compileFunction(_ decl: FunctionDecl) -> (Frame) -> Value {
        let outerName = functionName
        functionName = decl.name?.name ?? "<fn>"
        let names = decl.parameters.map(\.name.name)
        let defaults: [Code?] = decl.parameters.map { p in p.defaultValue.map(compileExpr) }
        let body = compileBlock(decl.body)
        let name = functionName
        functionName = outerName
        let range = decl.range
        let frameSize = resolution.functionFrameSize(range)
        let free = (resolution.freeVariables[NodeKey(range)] ?? []).map { (name: $0.name, depth: $0.depth, slot: $0.slot) }
        return { frame in
            frame.pin()
            return .function(Function(name: name, compiled: .init(parameterNames: names, defaults: defaults, frameSize: frameSize,
                                                          body: body, captured: frame, range: range, freeVariables: free)))
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

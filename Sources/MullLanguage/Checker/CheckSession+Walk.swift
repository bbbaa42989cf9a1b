/// The walk over the tree: local types, calls, labels, and the hooks for components and `run`.
/// Names were bound by the resolver before.
extension CheckSession {
    func checkProgram() {
        for item in program.items {
            switch item.kind {
            case .importDecl: break
            case .component(let d): checkComponentDecl(d)
            case .run(let e):
                visit(e)
                checkRun(e)
            case .statement(let s): visitTopLevel(s)
            }
        }
    }

    // MARK: - Statements

    private func visitTopLevel(_ s: Stmt) {
        switch s.kind {
        case .letBinding(_, let value):
            // The name itself is a global, indexed beforehand.
            visit(value)
        case .function(let f):
            visitFunction(f)
        default:
            visitStatement(s)
        }
    }

    /// Visits a block; its named functions are known in the whole block.
    func visitBlock(_ block: Block) {
        for s in block.statements {
            if case .function(let f) = s.kind, let id = f.name { bind(id, functionType(f)) }
        }
        for s in block.statements { visitStatement(s) }
    }

    private func visitStatement(_ s: Stmt) {
        switch s.kind {
        case .letBinding(let id, let value):
            visit(value)
            bind(id, typeOf(value))
        case .function(let f):
            visitFunction(f)
        case .forLoop(let variable, let iterable, let body):
            visit(iterable)
            bind(variable, .unknown)
            visitBlock(body)
        case .returnStmt(let value):
            if functionDepth == 0 {
                report(.returnOutsideFunction, "`return` outside a function",
                       at: SourceRange(file: s.range.file, start: s.range.start, end: min(s.range.end, s.range.start + 6)))
            }
            if let value { visit(value) }
        case .expression(let e):
            visit(e)
        }
    }

    /// A call of a function whose parameters are known here (declared in the script, or a
    /// built-in) with more arguments than it takes, or a label a built-in does not have: the
    /// interpreter's own message, before running.
    func checkArgumentCount(_ callee: Expr, _ args: [Argument], at range: SourceRange) {
        guard case .identifier(let name) = callee.kind else { return }
        let labels = args.compactMap { $0.label?.name }
        guard Set(labels).count == labels.count else { return }  // reported as a duplicate label
        if isBuiltin(at: callee.range), let parameters = builtinParameters[name] {
            guard Arity.isBounded(parameters) else { return }
            if args.count > parameters.count {
                report("arity", Arity.tooMany(name, parameters: parameters, given: args.count), at: range)
            } else if let label = args.compactMap(\.label).first(where: { !parameters.contains($0.name) }) {
                report("arity", Arity.unknownLabel(name, parameters: parameters, label: label.name), at: label.range)
            }
            return
        }
        if case .function(_, let most) = typeOf(callee), args.count > most {
            report("arity", Arity.tooMany(name, takes: most, given: args.count), at: range)
        }
    }

    func functionType(_ f: FunctionDecl) -> StaticType {
        let required = f.parameters.count { $0.defaultValue == nil }
        return .function(minArity: required, maxArity: f.parameters.count)
    }

    func visitFunction(_ f: FunctionDecl) {
        functionDepth += 1
        for p in f.parameters {
            if let d = p.defaultValue { visit(d) }
            bind(p.name, .unknown)
        }
        visitBlock(f.body)
        functionDepth -= 1
    }

    // MARK: - Expressions

    func visit(_ e: Expr) {
        switch e.kind {
        case .integer, .float, .string, .boolean, .symbol, .noneLiteral, .error:
            break
        case .identifier:
            break
        case .list(let xs):
            for x in xs { visit(x) }
        case .comprehension(let element, let clauses):
            // Each clause nests the next one level deeper, as brackets do: the same limit applies.
            if clauses.count > 256, let extra = clauses.dropFirst(256).first {
                report(.nestingTooDeep, "a comprehension has \(clauses.count) clauses, more than the 256 levels of nesting allowed", at: extra.range)
            }
            for c in clauses {
                switch c.kind {
                case .forIn(let id, let xs):
                    visit(xs)
                    bind(id, .unknown)
                case .condition(let cond):
                    visit(cond)
                }
            }
            visit(element)
        case .record(let fields):
            checkLabels(fields.map(\.label), what: "field", inWhat: " in the record")
            for f in fields { visit(f.value) }
        case .range(let lo, let hi, _):
            visit(lo)
            visit(hi)
        case .unary(_, let x):
            visit(x)
        case .binary(_, let l, let r):
            visit(l)
            visit(r)
        case .call(let callee, let args):
            visit(callee)
            checkLabels(args.map(\.label), what: "argument", inWhat: "")
            if let firstLabel = args.firstIndex(where: { $0.label != nil }),
               let late = args[firstLabel...].first(where: { $0.label == nil }) {
                report(.positionalAfterLabelled, "positional argument after a labelled one", at: late.value.range,
                       notes: [.init("the first labelled argument", at: args[firstLabel].label!.range)])
            }
            checkArgumentCount(callee, args, at: e.range)
            for a in args { visit(a.value) }
        case .index(let base, let i):
            visit(base)
            visit(i)
        case .member(let base, _):
            visit(base)
        case .ifElse(let cond, let then, let elseBranch):
            visit(cond)
            visitBlock(then)
            if let b = elseBranch { visitBlock(b) }
        case .match(let subject, let arms):
            visit(subject)
            for arm in arms {
                bindPattern(arm.pattern)
                if let g = arm.guardExpr { visit(g) }
                visit(arm.body)
            }
        case .function(let f):
            visitFunction(f)
        case .block(let b):
            visitBlock(b)
        case .component(let name, let entries):
            checkComponentLiteral(name: name, entries: entries, range: e.range, declaration: nil)
        }
    }

    private func bindPattern(_ p: Pattern) {
        switch p.kind {
        case .wildcard, .literal, .range: break
        case .binding(let id): bind(id, .unknown)
        case .tuple(let parts):
            checkLabels(parts.map(\.label), what: "field", inWhat: " in the pattern")
            for part in parts { bindPattern(part.pattern) }
        case .alternatives(let ps):
            for q in ps { bindPattern(q) }
        }
    }

    private func checkLabels(_ labels: [Identifier?], what: String, inWhat: String) {
        guard labels.count > 1 else { return }
        var seen: [String: SourceRange] = [:]
        for case let l? in labels {
            if let first = seen[l.name] {
                report(.duplicateLabel, "\(what) `\(l.name)` appears twice\(inWhat)", at: l.range,
                       notes: [.init("first given here", at: first)])
            } else {
                seen[l.name] = l.range
            }
        }
    }
}

/// Names in expressions and patterns.
extension ResolveSession {
    func expression(_ e: Expr) {
        switch e.kind {
        case .integer, .float, .string, .boolean, .symbol, .noneLiteral, .error:
            break
        case .identifier(let name):
            use(name, at: e.range)
        case .list(let xs):
            for x in xs { expression(x) }
        case .comprehension(let element, let clauses):
            // A comprehension runs in a frame of its own; each clause sees the earlier ones'
            // variables.
            resolution.comprehensionFrames[NodeKey(e.range)] = inFrame {
                for c in clauses {
                    switch c.kind {
                    case .forIn(let id, let xs):
                        expression(xs)
                        bindFresh(id)
                    case .condition(let cond):
                        expression(cond)
                    }
                }
                expression(element)
            }
        case .record(let fields):
            for f in fields { expression(f.value) }
        case .range(let lo, let hi, _):
            expression(lo)
            expression(hi)
        case .unary(_, let x):
            expression(x)
        case .binary(_, let l, let r):
            expression(l)
            expression(r)
        case .call(let callee, let args):
            expression(callee)
            for a in args { expression(a.value) }
        case .index(let base, let i):
            expression(base)
            expression(i)
        case .member(let base, _):
            expression(base)
        case .ifElse(let cond, let then, let elseBranch):
            expression(cond)
            block(then)
            if let b = elseBranch { block(b) }
        case .match(let subject, let arms):
            expression(subject)
            for arm in arms {
                scope.blocks.append([:])
                patternNames = []
                pattern(arm.pattern)
                if let g = arm.guardExpr { expression(g) }
                expression(arm.body)
                scope.blocks.removeLast()
            }
        case .function(let f):
            function(f)
        case .block(let b):
            block(b)
        case .component(_, let entries):
            for entry in entries {
                switch entry.kind {
                case .field(_, let v): expression(v)
                case .method(let f): function(f)
                case .vary(_, let values): expression(values)
                }
            }
        }
    }

    func pattern(_ p: Pattern) {
        switch p.kind {
        case .wildcard:
            break
        case .literal(let e):
            expression(e)
        case .range(let lo, let hi, _):
            expression(lo)
            expression(hi)
        case .binding(let id):
            patternNames.insert(id.name)
            let key = NodeKey(id.range)
            if let slot = alternativeSlots?[id.name] {
                scope.rebind(id.name, to: slot, at: key)
                resolution.bindingSlots[key] = slot
            } else {
                bindFresh(id)
                alternativeSlots?[id.name] = resolution.bindingSlots[key]
            }
        case .tuple(let parts):
            for part in parts { pattern(part.pattern) }
        case .alternatives(let options):
            // Whichever alternative matches, the arm reads the same slots, so each alternative
            // must bind the same names.
            let outermost = alternativeSlots == nil
            if outermost { alternativeSlots = [:] }
            let before = patternNames
            var bound: [Set<String>] = []
            for option in options {
                patternNames = []
                pattern(option)
                bound.append(patternNames)
            }
            let all = bound.reduce(into: Set<String>()) { $0.formUnion($1) }
            for (option, names) in zip(options, bound) {
                if let missing = all.subtracting(names).sorted().first {
                    report(.alternativeBindings, "this alternative does not bind `\(missing)`, which another alternative of the pattern binds",
                           at: option.range, suggestion: .init("bind `\(missing)` in every alternative, or in none"))
                }
            }
            patternNames = before.union(all)
            if outermost { alternativeSlots = nil }
        }
    }

    /// Resolves a name written in an expression.
    func use(_ name: String, at range: SourceRange) {
        let key = NodeKey(range)
        if let (depth, owner, entry, isTopLevel) = scope.lookup(name) {
            resolution.uses[key] = .slot(depth: depth, slot: entry.slot)
            if isTopLevel {
                resolution.declarations[key] = .global(name)
            } else if let site = entry.site {
                resolution.declarations[key] = .local(site)
            }
            noteFree(name, owner: owner, slot: entry.slot)
            return
        }
        if builtins.contains(name) {
            resolution.uses[key] = .builtin(name)
            resolution.declarations[key] = .builtin(name)
            return
        }
        resolution.uses[key] = .unresolved
        if let later = resolution.globals[name] {
            report(.usedBeforeDefinition, "`\(name)` is used before its definition", at: range,
                   notes: [.init("`\(name)` is defined here", at: later.range)])
        } else if schemas.schema(named: name) != nil {
            report(.componentWithoutBody, "`\(name)` is a component type; write `\(name) { ... }` to make one", at: range)
        } else {
            let candidates = Set(scope.visibleNames).union(builtins).union(resolution.globals.keys)
            let suggestion = Suggest.closest(to: name, among: candidates.sorted()).map {
                Diagnostic.Suggestion("did you mean `\($0)`?", replacement: $0, range: range)
            }
            report(.undefinedName, "undefined name `\(name)`", at: range, suggestion: suggestion)
        }
    }

    /// Notes, for every function being resolved that the binding lies outside of, where the
    /// function finds it (fingerprints of functions list the outside values they read).
    private func noteFree(_ name: String, owner: NameScope, slot: Int) {
        for i in functions.indices {
            var s: NameScope? = functions[i].scope
            var depth = 0
            while let current = s, current !== owner {
                s = current.parent
                depth += 1
            }
            guard s != nil, depth > 0 else { continue }
            let v = FreeVariable(name: name, depth: depth, slot: slot)
            if !functions[i].free.contains(v) { functions[i].free.append(v) }
        }
    }
}

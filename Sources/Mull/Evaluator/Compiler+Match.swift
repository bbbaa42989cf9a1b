import MullLanguage

/// Tests a value against a pattern, binding names into frame slots.
typealias Matcher = (Value, Frame, CallContext) throws -> Bool

extension Compiler {
    func compileMatch(_ subject: Expr, _ arms: [MatchArm], _ range: SourceRange) -> Code {
        let s = compileExpr(subject)
        let subjectRange = subject.range
        // The arms become a chain of closures, each trying its pattern and handing the value to
        // the next arm on a miss, so no array of arms is walked (and retained) per match.
        typealias Arm = (Value, Frame, CallContext) throws -> Value
        var next: Arm = { v, _, ctx in
            if ctx.returning { return .none }
            throw MullError("no-match", "no pattern matches \(v.repr)", at: subjectRange,
                            suggestion: "add a final `_ => ...` arm")
        }
        var compiled: [(pattern: Pattern, m: Matcher, g: Code?, b: Code)] = []
        for arm in arms {
            scope.blocks.append([:])
            let m = compilePattern(arm.pattern)
            let g = arm.guardExpr.map(compileExpr)
            let b = compileExpr(arm.body)
            scope.blocks.removeLast()
            compiled.append((arm.pattern, m, g, b))
        }
        for (pattern, m, g, b) in compiled.reversed() {
            let miss = next
            if let g {
                next = { v, frame, ctx in
                    guard try m(v, frame, ctx) else { return try miss(v, frame, ctx) }
                    let gv = try g(frame, ctx)
                    guard case .bool(let ok) = gv else {
                        throw MullError("type-mismatch", "match guard must be a bool, got \(gv.typeName)", at: range)
                    }
                    return ok ? try b(frame, ctx) : try miss(v, frame, ctx)
                }
            } else if case .wildcard = pattern.kind {
                next = { _, frame, ctx in try b(frame, ctx) }
            } else if let constant = Compiler.constant(of: pattern) {
                next = { v, frame, ctx in
                    v.isEqual(to: constant) ? try b(frame, ctx) : try miss(v, frame, ctx)
                }
            } else {
                next = { v, frame, ctx in
                    try m(v, frame, ctx) ? try b(frame, ctx) : try miss(v, frame, ctx)
                }
            }
        }
        let first = next
        return { frame, ctx in
            let v = try s(frame, ctx)
            return try first(v, frame, ctx)
        }
    }

    /// The value of a literal pattern (`3`, `"a"`, `.left`, `true`, `none`), known when compiling.
    static func constant(of pattern: Pattern) -> Value? {
        guard case .literal(let expr) = pattern.kind else { return nil }
        switch expr.kind {
        case .integer(let i): return .int(i)
        case .float(let d): return .float(d)
        case .string(let s): return .string(s)
        case .boolean(let b): return .bool(b)
        case .symbol(let s): return .symbol(s)
        case .noneLiteral: return Value.none
        default: return nil
        }
    }

    func compilePattern(_ pattern: Pattern) -> Matcher {
        switch pattern.kind {
        case .wildcard:
            return { _, _, _ in true }
        case .binding(let id):
            let slot = scope.declareFresh(id.name)
            return { v, frame, _ in frame.slots[slot] = v; return true }
        case .literal(let expr):
            let c = compileExpr(expr)
            return { v, frame, ctx in v.isEqual(to: try c(frame, ctx)) }
        case .range(let lower, let upper, let inclusive):
            let lo = compileExpr(lower), hi = compileExpr(upper)
            return { v, frame, ctx in
                guard let x = v.asDouble, let a = try lo(frame, ctx).asDouble, let b = try hi(frame, ctx).asDouble else { return false }
                return x >= a && (inclusive ? x <= b : x < b)
            }
        case .tuple(let parts):
            let matchers = parts.map { ($0.label?.name, compilePattern($0.pattern)) }
            return { v, frame, ctx in
                guard case .record(let r) = v, r.values.count == matchers.count else { return false }
                for (i, (label, m)) in matchers.enumerated() {
                    let field: Value
                    if let label {
                        guard let f = r[label] else { return false }
                        field = f
                    } else {
                        field = r.values[i]
                    }
                    if !(try m(field, frame, ctx)) { return false }
                }
                return true
            }
        case .alternatives(let options):
            let matchers = options.map(compilePattern)
            return { v, frame, ctx in
                for m in matchers where try m(v, frame, ctx) { return true }
                return false
            }
        }
    }
}

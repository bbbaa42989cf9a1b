import MullLanguage

/// Tests a value against a pattern, binding names into frame slots.
typealias Matcher = (Value, Frame, CallContext) throws -> Bool

extension Compiler {
    func compileMatch(_ subject: Expr, _ arms: [MatchArm], _ range: SourceRange) -> Code {
        let s = compileExpr(subject)
        var compiled: [(Matcher, Code?, Code)] = []
        for arm in arms {
            scope.blocks.append([:])
            let m = compilePattern(arm.pattern)
            let g = arm.guardExpr.map(compileExpr)
            let b = compileExpr(arm.body)
            scope.blocks.removeLast()
            compiled.append((m, g, b))
        }
        let subjectRange = subject.range
        return { frame, ctx in
            let v = try s(frame, ctx)
            for (m, g, b) in compiled where try m(v, frame, ctx) {
                if let g {
                    let gv = try g(frame, ctx)
                    guard case .bool(let ok) = gv else {
                        throw MullError("type-mismatch", "match guard must be a bool, got \(gv.typeName)", at: range)
                    }
                    if !ok { continue }
                }
                return try b(frame, ctx)
            }
            if ctx.returning { return .none }
            throw MullError("no-match", "no pattern matches \(v.repr)", at: subjectRange,
                            suggestion: "add a final `_ => ...` arm")
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

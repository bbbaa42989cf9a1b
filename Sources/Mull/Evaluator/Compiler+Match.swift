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
            if ctx.returning { return .null }
            throw MullError("no-match", "no pattern matches \(v.repr)", at: subjectRange,
                            suggestion: "add a final `_ => ...` arm")
        }
        // Compiled in source order (slots and diagnostics), chained from the last arm; boxed so
        // the closures are not reabstracted by the array (see `CodeBox`).
        final class CompiledArm {
            let pattern: Pattern, m: Matcher, g: Code?, b: Code
            init(_ pattern: Pattern, _ m: @escaping Matcher, _ g: Code?, _ b: @escaping Code) {
                self.pattern = pattern
                self.m = m
                self.g = g
                self.b = b
            }
        }
        var compiled: [CompiledArm] = []
        for arm in arms {
            let m = compilePattern(arm.pattern)
            let g = arm.guardExpr.map(compileExpr)
            let b = compileExpr(arm.body)
            compiled.append(CompiledArm(arm.pattern, m, g, b))
        }
        for arm in compiled.reversed() {
            let pattern = arm.pattern, m = arm.m, g = arm.g, b = arm.b
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
        return Value.scalarLiteral(expr)
    }

    func compilePattern(_ pattern: Pattern) -> Matcher {
        switch pattern.kind {
        case .wildcard:
            return { _, _, _ in true }
        case .binding(let id):
            let slot = resolution.slot(of: id.range)
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
            // Parts are compiled in order (their bindings take slots in order) and checked as a
            // chain, first part first, so no array of matchers is walked per match.
            final class Part {
                let label: String?, index: Int, m: Matcher
                init(_ label: String?, _ index: Int, _ m: @escaping Matcher) { self.label = label; self.index = index; self.m = m }
            }
            let compiled = parts.enumerated().map { Part($1.label?.name, $0, compilePattern($1.pattern)) }
            typealias Check = (Record, Frame, CallContext) throws -> Bool
            var check: Check = { _, _, _ in true }
            for part in compiled.reversed() {
                let rest = check, m = part.m, index = part.index
                if let label = part.label {
                    check = { r, frame, ctx in
                        guard let field = r[label], try m(field, frame, ctx) else { return false }
                        return try rest(r, frame, ctx)
                    }
                } else {
                    check = { r, frame, ctx in
                        guard try m(r.values[index], frame, ctx) else { return false }
                        return try rest(r, frame, ctx)
                    }
                }
            }
            let count = parts.count, all = check
            return { v, frame, ctx in
                guard case .record(let r) = v, r.values.count == count else { return false }
                return try all(r, frame, ctx)
            }
        case .alternatives(let options):
            final class Option {
                let m: Matcher
                init(_ m: @escaping Matcher) { self.m = m }
            }
            let compiled = options.map { Option(compilePattern($0)) }
            var any: Matcher = { _, _, _ in false }
            for option in compiled.reversed() {
                let rest = any, m = option.m
                any = { v, frame, ctx in try m(v, frame, ctx) ? true : try rest(v, frame, ctx) }
            }
            return any
        }
    }
}

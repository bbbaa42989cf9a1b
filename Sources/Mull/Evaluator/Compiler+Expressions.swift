import MullLanguage
import Synchronization

extension Compiler {
    func compileExpr(_ expr: Expr) -> Code {
        let range = expr.range
        switch expr.kind {
        case .integer(let i): let v = Value.int(i); return { _, _ in v }
        case .float(let d): let v = Value.float(d); return { _, _ in v }
        case .string(let s): let v = Value.string(s); return { _, _ in v }
        case .boolean(let b): let v = Value.bool(b); return { _, _ in v }
        case .symbol(let s): let v = Value.symbol(s); return { _, _ in v }
        case .noneLiteral: return { _, _ in .null }
        case .error: return { _, _ in throw MullError("syntax", "this expression has a syntax error", at: range) }
        case .identifier(let name): return compileName(name, range)
        case .list(let elements):
            let fill = Compiler.appending(elements.map { CodeBox(compileExpr($0)) })
            let count = elements.count
            return { frame, ctx in
                var out: [Value] = []
                out.reserveCapacity(count)
                try fill(frame, ctx, &out)
                return .list(out)
            }
        case .comprehension(let element, let clauses):
            return compileComprehension(element, clauses, range)
        case .record(let fields):
            let labels = fields.map { $0.label?.name }
            let fill = Compiler.appending(fields.map { CodeBox(compileExpr($0.value)) })
            let count = fields.count
            let site = CallContext.nextLabelSite.add(1, ordering: .relaxed).oldValue
            return { frame, ctx in
                var values: [Value] = []
                values.reserveCapacity(count)
                try fill(frame, ctx, &values)
                return .record(Record(labels: ctx.labels(site, labels), values: values))
            }
        case .range(let lower, let upper, let inclusive):
            let lo = compileExpr(lower), hi = compileExpr(upper)
            return { frame, ctx in
                let a = try lo(frame, ctx), b = try hi(frame, ctx)
                guard case .int(let l) = a, case .int(let h) = b else {
                    if ctx.returning { return .null }
                    throw MullError("type-mismatch", "range bounds must be integers, got \(a.typeName) and \(b.typeName)", at: range)
                }
                if inclusive && h == Int.max { throw MullError("overflow", "range upper bound is too large", at: range) }
                return .range(lower: l, upperExclusive: inclusive ? h + 1 : h)
            }
        case .unary(let op, let operand):
            let c = compileExpr(operand)
            switch op {
            case .negate:
                return { frame, ctx in
                    switch try c(frame, ctx) {
                    case .int(let i):
                        if i == Int.min { throw MullError("overflow", "integer overflow in negation", at: range) }
                        return .int(-i)
                    case .float(let d): return .float(-d)
                    case let v:
                        if ctx.returning { return .null }
                        throw MullError("type-mismatch", "cannot negate \(v.typeName)", at: range)
                    }
                }
            case .not:
                return { frame, ctx in
                    let v = try c(frame, ctx)
                    guard case .bool(let b) = v else {
                        if ctx.returning { return .null }
                        throw MullError("type-mismatch", "`not` needs a bool, got \(v.typeName)", at: range)
                    }
                    return .bool(!b)
                }
            }
        case .binary(let op, let lhs, let rhs):
            return compileBinary(op, lhs, rhs, range)
        case .call(let callee, let arguments):
            return compileCall(callee, arguments, range)
        case .index(let base, let index):
            let b = compileExpr(base), i = compileExpr(index)
            return { frame, ctx in try Operators.index(try b(frame, ctx), try i(frame, ctx), at: range, ctx) }
        case .member(let base, let name):
            let b = compileExpr(base)
            let n = name.name
            return { frame, ctx in try Members.get(try b(frame, ctx), n, at: name.range, ctx) }
        case .ifElse(let condition, let then, let elseBranch):
            let c = compileExpr(condition)
            let t = compileBlock(then)
            let e = elseBranch.map(compileBlock)
            let condRange = condition.range
            return { frame, ctx in
                let v = try c(frame, ctx)
                guard case .bool(let b) = v else {
                    if ctx.returning { return .null }
                    throw MullError("type-mismatch", "condition must be a bool, got \(v.typeName)", at: condRange)
                }
                if b { return try t(frame, ctx) }
                return try e?(frame, ctx) ?? .null
            }
        case .match(let subject, let arms):
            return compileMatch(subject, arms, range)
        case .function(let decl):
            let make = compileFunction(decl)
            return { frame, _ in make(frame) }
        case .block(let block):
            return compileBlock(block)
        case .component(let name, let entries):
            return compileComponent(name, entries, range)
        }
    }

    private func compileName(_ name: String, _ range: SourceRange) -> Code {
        switch resolution.binding(at: range) {
        case .slot(0, let slot): return { frame, _ in frame.storage[slot] }
        case .slot(let depth, let slot): return { frame, _ in frame.ancestorStorage(depth)[slot] }
        case .builtin(let b):
            if let v = hooks.builtins[b] { return { _, _ in v } }
        case .unresolved: break
        }
        return { _, _ in throw MullError("undefined-name", "undefined name `\(name)`", at: range) }
    }

    private func compileBinary(_ op: BinaryOperator, _ lhs: Expr, _ rhs: Expr, _ range: SourceRange) -> Code {
        switch op {
        case .and:
            let l = compileExpr(lhs), r = compileExpr(rhs)
            return { frame, ctx in
                let a = try l(frame, ctx)
                guard case .bool(let x) = a else {
                    if ctx.returning { return .null }
                    throw MullError("type-mismatch", "`and` needs bools, got \(a.typeName)", at: lhs.range)
                }
                if !x { return .bool(false) }
                let b = try r(frame, ctx)
                guard case .bool = b else {
                    if ctx.returning { return .null }
                    throw MullError("type-mismatch", "`and` needs bools, got \(b.typeName)", at: rhs.range)
                }
                return b
            }
        case .or:
            let l = compileExpr(lhs), r = compileExpr(rhs)
            return { frame, ctx in
                let a = try l(frame, ctx)
                guard case .bool(let x) = a else {
                    if ctx.returning { return .null }
                    throw MullError("type-mismatch", "`or` needs bools, got \(a.typeName)", at: lhs.range)
                }
                if x { return .bool(true) }
                let b = try r(frame, ctx)
                guard case .bool = b else {
                    if ctx.returning { return .null }
                    throw MullError("type-mismatch", "`or` needs bools, got \(b.typeName)", at: rhs.range)
                }
                return b
            }
        default:
            return compileArithmetic(op, lhs, rhs, range)
        }
    }

    private func compileCall(_ callee: Expr, _ arguments: [Argument], _ range: SourceRange) -> Code {
        let f = compileExpr(callee)
        let positional = arguments.filter { $0.label == nil }.map { CodeBox(compileExpr($0.value)) }
        let labelled = arguments.compactMap { a in a.label.map { ($0.name, CodeBox(compileExpr(a.value))) } }
        let ranges: [SourceRange?] = arguments.map { $0.value.range }
        let calleeRange = callee.range
        if labelled.isEmpty && positional.count == 1 {
            // One or two positional arguments: natives with a shortcut (`abs`, `sin`, `max`,
            // ...) are called without building an argument list.
            let p0 = positional[0].code
            return { frame, ctx in
                let fv = try f(frame, ctx)
                let a = try p0(frame, ctx)
                if ctx.returning { return .null }
                guard case .function(let fn) = fv else {
                    throw MullError("not-callable", "\(fv.typeName) is not a function", at: calleeRange)
                }
                if let u = fn.unary, let v = u(a) { return v }
                return try fn.call(a, ctx, at: range, ranges: ranges)
            }
        }
        if labelled.isEmpty && positional.count == 2 {
            let p0 = positional[0].code, p1 = positional[1].code
            return { frame, ctx in
                let fv = try f(frame, ctx)
                let a = try p0(frame, ctx)
                let b = try p1(frame, ctx)
                if ctx.returning { return .null }
                guard case .function(let fn) = fv else {
                    throw MullError("not-callable", "\(fv.typeName) is not a function", at: calleeRange)
                }
                if let bin = fn.binary, let v = bin(a, b) { return v }
                return try fn.call(a, b, ctx, at: range, ranges: ranges)
            }
        }
        if labelled.isEmpty {
            let count = positional.count
            let store = Compiler.storing(positional), fill = Compiler.appending(positional)
            return { frame, ctx in
                let fv = try f(frame, ctx)
                // Fast path: a Mull function called with exactly its parameters gets its
                // arguments evaluated straight into its new frame.
                if case .function(let fn) = fv, let ref = fn.compiledRef,
                   ref._withUnsafeGuaranteedRef({ $0.parameterCount }) == count {
                    return try ref._withUnsafeGuaranteedRef { c in
                        var callee = ctx.frames.take(size: c.frameSize, parent: c.enclosing)
                        defer { ctx.frames.give(&callee) }
                        try store(frame, ctx, callee)
                        if ctx.returning { return .null }
                        return try fn.invoke(c, callee, ctx, at: range)
                    }
                }
                var args: [Value] = []
                args.reserveCapacity(count)
                try fill(frame, ctx, &args)
                if ctx.returning { return .null }
                guard case .function(let fn) = fv else {
                    throw MullError("not-callable", "\(fv.typeName) is not a function", at: calleeRange)
                }
                return try fn.call(Arguments(args, ranges: ranges), ctx, at: range)
            }
        }
        return { frame, ctx in
            let fv = try f(frame, ctx)
            var args: [Value] = []
            for p in positional { args.append(try p.code(frame, ctx)) }
            var named: [(label: String, value: Value)] = []
            for (n, c) in labelled { named.append((n, try c.code(frame, ctx))) }
            if ctx.returning { return .null }
            guard case .function(let fn) = fv else {
                throw MullError("not-callable", "\(fv.typeName) is not a function", at: calleeRange)
            }
            return try fn.call(Arguments(args, labelled: named, ranges: ranges), ctx, at: range)
        }
    }

    private func compileComprehension(_ element: Expr, _ clauses: [ComprehensionClause], _ range: SourceRange) -> Code {
        // Each comprehension gets its own frame so closures made in it see their own variables.
        let frameSize = resolution.comprehensionFrameSize(range)
        enum Step { case loop(Int, Code, SourceRange), filter(Code, SourceRange) }
        var steps: [Step] = []
        for clause in clauses {
            switch clause.kind {
            case .forIn(let name, let iterable):
                // The iterable is evaluated in the comprehension's frame (it may use earlier variables).
                let it = compileExpr(iterable)
                steps.append(.loop(resolution.slot(of: name.range), it, iterable.range))
            case .condition(let c):
                steps.append(.filter(compileExpr(c), c.range))
            }
        }
        let elem = compileExpr(element)
        let allSteps = steps
        return { frame, ctx in
            var out: [Value] = []
            func run(_ i: Int, _ f: Frame) throws {
                if i == allSteps.count {
                    if out.count >= ValueLimits.maxElements { throw ValueLimits.tooLarge("the list", out.count + 1, at: element.range) }
                    try ctx.allocating(1, at: element.range)
                    out.append(try elem(f, ctx))
                    return
                }
                switch allSteps[i] {
                case .loop(let slot, let it, let r):
                    for v in try Compiler.iterate(try it(f, ctx), at: r, ctx) {
                        try ctx.tick(at: r)
                        // A fresh frame per iteration, so closures made in the element keep
                        // their own loop variables.
                        let g = Frame(copying: f)
                        g.slots[slot] = v
                        try run(i + 1, g)
                    }
                case .filter(let c, let r):
                    let v = try c(f, ctx)
                    guard case .bool(let b) = v else {
                        throw MullError("type-mismatch", "comprehension condition must be a bool, got \(v.typeName)", at: r)
                    }
                    if b { try run(i + 1, f) }
                }
            }
            // One frame per comprehension evaluation: closures in the element share the loop
            // variables' slots only within this evaluation.
            try run(0, Frame(size: frameSize, inside: frame))
            return .list(out)
        }
    }

    private func compileComponent(_ name: Identifier, _ entries: [ComponentEntry], _ range: SourceRange) -> Code {
        guard let kind = hooks.componentKind(name.name) else {
            // Reported by the checker; never compiled into a program that runs.
            return { _, _ in throw MullError("unknown-component", "unknown component `\(name.name)`", at: name.range) }
        }
        var fieldCodes: [(String, Code, SourceRange)] = []
        var varyCodes: [([[String]], Code, SourceRange)] = []
        for entry in entries {
            switch entry.kind {
            case .field(let id, let value):
                fieldCodes.append((id.name, compileExpr(value), entry.range))
            case .method(let decl):
                let make = compileFunction(decl)
                let n = decl.name?.name ?? "method"
                fieldCodes.append((n, { frame, _ in make(frame) }, entry.range))
            case .vary(let targets, let values):
                varyCodes.append((targets.map { $0.components.map(\.name) }, compileExpr(values), entry.range))
            }
        }
        let componentName = name.name
        return { frame, ctx in
            var fields: [(name: String, value: Value, range: SourceRange?)] = []
            for (n, c, r) in fieldCodes { fields.append((n, try c(frame, ctx), r)) }
            var varies: [VaryEntry] = []
            for (t, c, r) in varyCodes { varies.append(VaryEntry(targets: t, values: try c(frame, ctx), range: r)) }
            return .component(ComponentValue(componentName: componentName, kind: kind, fields: fields, varies: varies, range: range))
        }
    }
}

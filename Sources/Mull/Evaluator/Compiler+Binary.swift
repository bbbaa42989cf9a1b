import MullLanguage

/// Binary operators other than `and` and `or`. Each operator is a type with its fast paths, so
/// that the closures made for each kind of operand below are specialised per operator; an operand
/// that is a variable or a literal is read in place instead of through a closure of its own.
/// (In a step function most operations are `r - 1`, `s // size`, `x * dt`: this halves the
/// closure calls they make.)
protocol BinaryKernel {
    static func apply(_ a: Value, _ b: Value, _ op: BinaryOperator, _ range: SourceRange, _ ctx: CallContext) throws -> Value
}

enum AddKernel: BinaryKernel {
    @inline(__always)
    static func apply(_ a: Value, _ b: Value, _ op: BinaryOperator, _ range: SourceRange, _ ctx: CallContext) throws -> Value {
        if case .int(let x) = a, case .int(let y) = b {
            let (s, o) = x.addingReportingOverflow(y)
            if o { throw MullError("overflow", "integer overflow in `+`", at: range) }
            return .int(s)
        }
        if case .float(let x) = a, case .float(let y) = b { return .float(x + y) }
        return try Operators.binary(.add, a, b, at: range, ctx)
    }
}

enum SubtractKernel: BinaryKernel {
    @inline(__always)
    static func apply(_ a: Value, _ b: Value, _ op: BinaryOperator, _ range: SourceRange, _ ctx: CallContext) throws -> Value {
        if case .int(let x) = a, case .int(let y) = b {
            let (s, o) = x.subtractingReportingOverflow(y)
            if o { throw MullError("overflow", "integer overflow in `-`", at: range) }
            return .int(s)
        }
        if case .float(let x) = a, case .float(let y) = b { return .float(x - y) }
        return try Operators.binary(.subtract, a, b, at: range, ctx)
    }
}

enum MultiplyKernel: BinaryKernel {
    @inline(__always)
    static func apply(_ a: Value, _ b: Value, _ op: BinaryOperator, _ range: SourceRange, _ ctx: CallContext) throws -> Value {
        if case .int(let x) = a, case .int(let y) = b {
            let (p, o) = x.multipliedReportingOverflow(by: y)
            if o { throw MullError("overflow", "integer overflow in `*`", at: range) }
            return .int(p)
        }
        if case .float(let x) = a, case .float(let y) = b { return .float(x * y) }
        return try Operators.binary(.multiply, a, b, at: range, ctx)
    }
}

/// `//` and `%`.
enum DivisionKernel: BinaryKernel {
    @inline(__always)
    static func apply(_ a: Value, _ b: Value, _ op: BinaryOperator, _ range: SourceRange, _ ctx: CallContext) throws -> Value {
        if case .int(let x) = a, case .int(let y) = b, y > 0 {
            // Positive divisors (the common case: grid coordinates) need no sign fix-up
            // beyond flooring toward minus infinity.
            let q = x / y, m = x - q * y
            if op == .floorDivide { return .int(m < 0 ? q - 1 : q) }
            return .int(m < 0 ? m + y : m)
        }
        return try Operators.binary(op, a, b, at: range, ctx)
    }
}

/// `<`, `<=`, `>`, `>=`.
enum OrderKernel: BinaryKernel {
    @inline(__always)
    static func apply(_ a: Value, _ b: Value, _ op: BinaryOperator, _ range: SourceRange, _ ctx: CallContext) throws -> Value {
        if case .int(let x) = a, case .int(let y) = b {
            switch op {
            case .less: return .bool(x < y)
            case .lessEqual: return .bool(x <= y)
            case .greater: return .bool(x > y)
            default: return .bool(x >= y)
            }
        }
        if case .float(let x) = a, case .float(let y) = b {
            switch op {
            case .less: return .bool(x < y)
            case .lessEqual: return .bool(x <= y)
            case .greater: return .bool(x > y)
            default: return .bool(x >= y)
            }
        }
        return try Operators.binary(op, a, b, at: range, ctx)
    }
}

enum EqualKernel: BinaryKernel {
    @inline(__always)
    static func apply(_ a: Value, _ b: Value, _ op: BinaryOperator, _ range: SourceRange, _ ctx: CallContext) throws -> Value {
        if case .int(let x) = a, case .int(let y) = b { return .bool(x == y) }
        if case .symbol(let x) = a, case .symbol(let y) = b { return .bool(x == y) }
        return .bool(a.isEqual(to: b))
    }
}

enum NotEqualKernel: BinaryKernel {
    @inline(__always)
    static func apply(_ a: Value, _ b: Value, _ op: BinaryOperator, _ range: SourceRange, _ ctx: CallContext) throws -> Value {
        if case .int(let x) = a, case .int(let y) = b { return .bool(x != y) }
        return .bool(!a.isEqual(to: b))
    }
}

/// `/`, `**`, `in`: no fast path.
enum GeneralKernel: BinaryKernel {
    @inline(__always)
    static func apply(_ a: Value, _ b: Value, _ op: BinaryOperator, _ range: SourceRange, _ ctx: CallContext) throws -> Value {
        try Operators.binary(op, a, b, at: range, ctx)
    }
}

/// How an operand is evaluated: read from a frame slot, a literal, or compiled code.
enum Operand {
    case slot(depth: Int, index: Int)
    case constant(Value)
    case code(Code)
}

extension Compiler {
    func operand(_ expr: Expr) -> Operand {
        switch expr.kind {
        case .integer(let i): return .constant(.int(i))
        case .float(let d): return .constant(.float(d))
        case .boolean(let b): return .constant(.bool(b))
        case .symbol(let s): return .constant(.symbol(s))
        case .string(let s): return .constant(.string(s))
        case .identifier:
            if case .slot(let depth, let slot) = resolution.binding(at: expr.range) { return .slot(depth: depth, index: slot) }
            return .code(compileExpr(expr))
        default:
            return .code(compileExpr(expr))
        }
    }

    func compileArithmetic(_ op: BinaryOperator, _ lhs: Expr, _ rhs: Expr, _ range: SourceRange) -> Code {
        let l = operand(lhs), r = operand(rhs)
        switch op {
        case .add: return fused(AddKernel.self, op, l, r, range)
        case .subtract: return fused(SubtractKernel.self, op, l, r, range)
        case .multiply: return fused(MultiplyKernel.self, op, l, r, range)
        case .floorDivide, .remainder: return fused(DivisionKernel.self, op, l, r, range)
        case .less, .lessEqual, .greater, .greaterEqual: return fused(OrderKernel.self, op, l, r, range)
        case .equal: return fused(EqualKernel.self, op, l, r, range)
        case .notEqual: return fused(NotEqualKernel.self, op, l, r, range)
        default: return fused(GeneralKernel.self, op, l, r, range)
        }
    }

    /// One closure per combination of operand kinds, each specialised for `K`. The left operand
    /// is evaluated before the right, as everywhere.
    private func fused<K: BinaryKernel>(_ kernel: K.Type, _ op: BinaryOperator, _ l: Operand, _ r: Operand, _ range: SourceRange) -> Code {
        switch (l, r) {
        case let (.slot(0, i), .slot(0, j)):
            return { f, ctx in try K.apply(f.storage[i], f.storage[j], op, range, ctx) }
        case let (.slot(0, i), .constant(k)):
            return { f, ctx in try K.apply(f.storage[i], k, op, range, ctx) }
        case let (.slot(d, i), .slot(e, j)):
            return { f, ctx in try K.apply(f.ancestorStorage(d)[i], f.ancestorStorage(e)[j], op, range, ctx) }
        case let (.slot(d, i), .constant(k)):
            return { f, ctx in try K.apply(f.ancestorStorage(d)[i], k, op, range, ctx) }
        case let (.slot(d, i), .code(c)):
            return { f, ctx in
                let a = f.ancestorStorage(d)[i]
                return try K.apply(a, try c(f, ctx), op, range, ctx)
            }
        case let (.constant(k), .slot(d, i)):
            return { f, ctx in try K.apply(k, f.ancestorStorage(d)[i], op, range, ctx) }
        case let (.constant(k), .code(c)):
            return { f, ctx in try K.apply(k, try c(f, ctx), op, range, ctx) }
        case let (.code(c), .slot(d, i)):
            return { f, ctx in
                let a = try c(f, ctx)
                return try K.apply(a, f.ancestorStorage(d)[i], op, range, ctx)
            }
        case let (.code(c), .constant(k)):
            return { f, ctx in try K.apply(try c(f, ctx), k, op, range, ctx) }
        case let (.code(c), .code(e)):
            return { f, ctx in
                let a = try c(f, ctx)
                return try K.apply(a, try e(f, ctx), op, range, ctx)
            }
        case let (.constant(k), .constant(m)):
            return { _, ctx in try K.apply(k, m, op, range, ctx) }
        }
    }
}

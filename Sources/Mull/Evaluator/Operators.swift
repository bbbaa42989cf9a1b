import Foundation
import MullLanguage

/// The general (slower) paths of operators, after the compiled fast paths for ints and floats.
enum Operators {
    static func binary(_ op: BinaryOperator, _ a: Value, _ b: Value, at range: SourceRange, _ ctx: CallContext) throws -> Value {
        switch op {
        case .add:
            switch (a, b) {
            case let (.string(x), .string(y)):
                try ValueLimits.checkSum(x.utf8.count, y.utf8.count, "the string", at: range)
                try ctx.allocating((x.utf8.count + y.utf8.count) / MemoryLayout<Value>.stride, at: range)
                return .string(x + y)
            case let (.list(x), .list(y)):
                try ValueLimits.checkSum(x.count, y.count, "the list", at: range)
                try ctx.allocating(x.count + y.count, at: range)
                return .list(x + y)
            default: return try arithmetic(op, a, b, at: range, ctx)
            }
        case .multiply:
            if case .string(let s) = a, case .int(let n) = b {
                let (size, overflow) = n.multipliedReportingOverflow(by: Swift.max(1, s.utf8.count))
                guard n >= 0 else { throw MullError("value-out-of-range", "cannot repeat a string \(n) times", at: range) }
                guard !overflow, size <= ValueLimits.maxElements else { throw ValueLimits.tooLarge("the string", overflow ? Int.max : size, at: range) }
                try ctx.allocating(size / MemoryLayout<Value>.stride, at: range)
                return .string(String(repeating: s, count: n))
            }
            if case .list(let xs) = a, case .int(let n) = b {
                let (size, overflow) = n.multipliedReportingOverflow(by: Swift.max(1, xs.count))
                guard n >= 0 else { throw MullError("value-out-of-range", "cannot repeat a list \(n) times", at: range) }
                guard !overflow, size <= ValueLimits.maxElements else { throw ValueLimits.tooLarge("the list", overflow ? Int.max : size, at: range) }
                try ctx.allocating(size, at: range)
                if xs.count == 1 { return .list([Value](repeating: xs[0], count: n)) }
                var out: [Value] = []
                out.reserveCapacity(size)
                for _ in 0..<n { out.append(contentsOf: xs) }
                return .list(out)
            }
            return try arithmetic(op, a, b, at: range, ctx)
        case .subtract, .divide, .floorDivide, .remainder, .power:
            return try arithmetic(op, a, b, at: range, ctx)
        case .equal: return .bool(a.isEqual(to: b))
        case .notEqual: return .bool(!a.isEqual(to: b))
        case .less, .lessEqual, .greater, .greaterEqual:
            let c: Int
            switch (a, b) {
            case let (.string(x), .string(y)): c = x < y ? -1 : (x == y ? 0 : 1)
            default:
                guard let x = a.asDouble, let y = b.asDouble else {
                    if ctx.returning { return .null }
                    throw MullError("type-mismatch", "cannot compare \(a.typeName) with \(b.typeName) using `\(op.rawValue)`", at: range)
                }
                if x.isNaN || y.isNaN { return .bool(false) }
                c = x < y ? -1 : (x == y ? 0 : 1)
            }
            switch op {
            case .less: return .bool(c < 0)
            case .lessEqual: return .bool(c <= 0)
            case .greater: return .bool(c > 0)
            default: return .bool(c >= 0)
            }
        case .contains:
            switch b {
            case .list(let xs): return .bool(xs.contains { $0.isEqual(to: a) })
            case .range(let lo, let hi):
                if case .int(let i) = a { return .bool(i >= lo && i < hi) }
                return .bool(false)
            case .string(let s):
                guard case .string(let sub) = a else {
                    throw MullError("type-mismatch", "`in` a string needs a string on the left, got \(a.typeName)", at: range)
                }
                return .bool(s.contains(sub))
            case .record(let r):
                guard case .string(let name) = a else { return .bool(r.values.contains { $0.isEqual(to: a) }) }
                return .bool(r.labels.contains(name))
            default:
                if ctx.returning { return .null }
                throw MullError("type-mismatch", "cannot test membership in \(b.typeName)", at: range)
            }
        case .and, .or:
            fatalError("compiled separately")
        }
    }

    static func arithmetic(_ op: BinaryOperator, _ a: Value, _ b: Value, at range: SourceRange, _ ctx: CallContext) throws -> Value {
        if case .int(let x) = a, case .int(let y) = b {
            switch op {
            case .add: return try checked(x.addingReportingOverflow(y), op, range)
            case .subtract: return try checked(x.subtractingReportingOverflow(y), op, range)
            case .multiply: return try checked(x.multipliedReportingOverflow(by: y), op, range)
            case .divide:
                if y == 0 { throw MullError("division-by-zero", "division by zero", at: range) }
                return .float(Double(x) / Double(y))
            case .floorDivide:
                if y == 0 { throw MullError("division-by-zero", "division by zero", at: range) }
                if x == Int.min && y == -1 { throw MullError("overflow", "integer overflow in `//`", at: range) }
                let q = x / y
                return .int((x % y != 0 && (x < 0) != (y < 0)) ? q - 1 : q)
            case .remainder:
                if y == 0 { throw MullError("division-by-zero", "remainder of division by zero", at: range) }
                if y == -1 { return .int(0) }
                let r = x % y
                return .int(r != 0 && (r < 0) != (y < 0) ? r + y : r)
            case .power:
                if y < 0 { return .float(pow(Double(x), Double(y))) }
                var result = 1, base = x, e = y
                while e > 0 {
                    if e & 1 == 1 {
                        let (r, o) = result.multipliedReportingOverflow(by: base)
                        if o { throw MullError("overflow", "integer overflow in `**`", at: range) }
                        result = r
                    }
                    e >>= 1
                    if e > 0 {
                        let (sq, o) = base.multipliedReportingOverflow(by: base)
                        if o { throw MullError("overflow", "integer overflow in `**`", at: range) }
                        base = sq
                    }
                }
                return .int(result)
            default: break
            }
        }
        guard let x = a.asDouble, let y = b.asDouble else {
            if ctx.returning { return .null }
            throw MullError("type-mismatch", "cannot apply `\(op.rawValue)` to \(a.typeName) and \(b.typeName)", at: range)
        }
        switch op {
        case .add: return .float(x + y)
        case .subtract: return .float(x - y)
        case .multiply: return .float(x * y)
        case .divide:
            if y == 0 { throw MullError("division-by-zero", "division by zero", at: range) }
            return .float(x / y)
        case .floorDivide:
            if y == 0 { throw MullError("division-by-zero", "division by zero", at: range) }
            return .float((x / y).rounded(.down))
        case .remainder:
            if y == 0 { throw MullError("division-by-zero", "remainder of division by zero", at: range) }
            let r = fmod(x, y)
            return .float(r != 0 && (r < 0) != (y < 0) ? r + y : r)
        case .power: return .float(pow(x, y))
        default: fatalError("not arithmetic")
        }
    }

    /// The number of elements of `lo..<hi`; an error when it does not fit in an integer.
    static func rangeCount(_ lo: Int, _ hi: Int, at range: SourceRange?) throws -> Int {
        guard hi > lo else { return 0 }
        let (n, overflow) = hi.subtractingReportingOverflow(lo)
        if overflow { throw MullError("overflow", "the range \(lo)..<\(hi) has more elements than an integer can count", at: range) }
        return n
    }

    private static func checked(_ r: (partialValue: Int, overflow: Bool), _ op: BinaryOperator, _ range: SourceRange) throws -> Value {
        if r.overflow { throw MullError("overflow", "integer overflow in `\(op.rawValue)`", at: range) }
        return .int(r.partialValue)
    }

    static func index(_ base: Value, _ index: Value, at range: SourceRange, _ ctx: CallContext) throws -> Value {
        switch (base, index) {
        case let (.list(xs), .int(i)):
            let j = i < 0 ? xs.count + i : i
            guard j >= 0 && j < xs.count else {
                throw MullError("index-out-of-range", "index \(i) is out of range for a list of \(xs.count) element\(xs.count == 1 ? "" : "s")", at: range)
            }
            return xs[j]
        case let (.list(xs), .range(lo, hi)):
            // Slices take the part of the range inside the list: xs[1..<len(xs)] is the tail.
            let a = max(0, min(lo, xs.count)), b = max(a, min(hi, xs.count))
            return .list(Array(xs[a..<b]))
        case let (.string(s), .range(lo, hi)):
            let chars = Array(s)
            let a = max(0, min(lo, chars.count)), b = max(a, min(hi, chars.count))
            return .string(String(chars[a..<b]))
        case let (.record(r), .int(i)):
            guard i >= 0 && i < r.values.count else {
                throw MullError("index-out-of-range", "index \(i) is out of range for a \(r.isTuple ? "tuple" : "record") of \(r.values.count) field\(r.values.count == 1 ? "" : "s")", at: range)
            }
            return r.values[i]
        case let (.record(r), .string(name)):
            guard let v = r[name] else {
                throw MullError("missing-field", "record has no field `\(name)`", at: range,
                                suggestion: Suggest.closest(to: name, among: r.fieldNames).map { "did you mean `\($0)`?" })
            }
            return v
        case let (.string(s), .int(i)):
            let chars = Array(s)
            let j = i < 0 ? chars.count + i : i
            guard j >= 0 && j < chars.count else {
                throw MullError("index-out-of-range", "index \(i) is out of range for a string of \(chars.count) characters", at: range)
            }
            return .string(String(chars[j]))
        case let (.range(lo, hi), .int(i)):
            let n = try rangeCount(lo, hi, at: range)
            let j = i < 0 ? n + i : i
            guard j >= 0 && j < n else { throw MullError("index-out-of-range", "index \(i) is out of range for a range of \(n) elements", at: range) }
            return .int(lo + j)
        default:
            if ctx.returning { return .null }
            throw MullError("type-mismatch", "cannot index \(base.typeName) with \(index.typeName)", at: range)
        }
    }
}

import Foundation
import MullLanguage

/// The functions every script sees. Each unpacks its arguments in a line or two and reports
/// wrong types as Mull diagnostics.
enum Builtins {
    static func all() -> [String: Value] {
        var b: [String: Value] = [:]
        func fn(_ name: String, _ params: [String], _ doc: String,
                unary: (@Sendable (Value) -> Value?)? = nil, binary: (@Sendable (Value, Value) -> Value?)? = nil,
                _ body: @escaping @Sendable (Arguments, CallContext) throws -> Value) {
            b[name] = .function(Function(native: name, parameters: params, doc: doc, unary: unary, binary: binary, body))
        }
        fn("print", ["values..."], "writes its arguments separated by spaces, then a newline") { args, ctx in
            try ValueLimits.checkText(.list(args.positional), at: nil)
            ctx.output(args.positional.map(\.description).joined(separator: " ") + "\n")
            return .null
        }
        fn("len", ["x"], "the number of elements of a list, string, record or range") { args, _ in
            let x = try one(args, "len")
            switch x {
            case .list(let xs): return .int(xs.count)
            case .string(let s): return .int(s.count)
            case .record(let r): return .int(r.values.count)
            case .range(let lo, let hi): return .int(try Operators.rangeCount(lo, hi, at: nil))
            default: throw MullError("type-mismatch", "`len` needs a list, string, record or range, got \(x.typeName)", at: nil)
            }
        }
        fn("str", ["x"], "the value as text") { args, _ in
            let x = try one(args, "str")
            try ValueLimits.checkText(x, at: nil)
            return .string(x.description)
        }
        fn("repr", ["x"], "the value as it would be written in Mull") { args, _ in
            let x = try one(args, "repr")
            try ValueLimits.checkText(x, at: nil)
            return .string(x.repr)
        }
        fn("type", ["x"], "the name of the value's type") { args, _ in .string(try one(args, "type").typeName) }
        fn("int", ["x"], "an integer from a number (truncating), bool or string") { args, _ in
            let x = try one(args, "int")
            switch x {
            case .int: return x
            case .float(let d):
                guard d.isFinite, abs(d) < 9.2e18 else { throw MullError("value-out-of-range", "cannot convert \(Value.format(d)) to an integer", at: nil) }
                return .int(Int(d))
            case .bool(let v): return .int(v ? 1 : 0)
            case .string(let s):
                guard let i = Int(s.trimmingCharacters(in: .whitespaces)) else { throw MullError("value-out-of-range", "cannot convert \(x.repr) to an integer", at: nil) }
                return .int(i)
            default: throw MullError("type-mismatch", "cannot convert \(x.typeName) to an integer", at: nil)
            }
        }
        fn("float", ["x"], "a float from a number or string") { args, _ in
            let x = try one(args, "float")
            if let d = x.asDouble { return .float(d) }
            if case .string(let s) = x, let d = Double(s.trimmingCharacters(in: .whitespaces)) { return .float(d) }
            throw MullError("type-mismatch", "cannot convert \(x.typeName) to a float", at: nil)
        }
        let unary: [(String, @Sendable (Double) -> Double)] = [("sqrt", { (x: Double) in x.squareRoot() }), ("exp", { Foundation.exp($0) }), ("log", { Foundation.log($0) }),
                          ("sin", { Foundation.sin($0) }), ("cos", { Foundation.cos($0) }), ("tan", { Foundation.tan($0) }),
                          ("tanh", { Foundation.tanh($0) }), ("atan", { Foundation.atan($0) })]
        for (name, f) in unary {
            // The shortcut leaves the domain errors of `sqrt` and `log` to the full path.
            let shortcut: @Sendable (Value) -> Value? = { v in
                guard let x = v.asDouble else { return nil }
                if (name == "sqrt" && x < 0) || (name == "log" && x <= 0) { return nil }
                return .float(f(x))
            }
            fn(name, ["x"], "the \(name) of a number", unary: shortcut) { args, _ in
                let x = try number(try one(args, name), name)
                if name == "sqrt" && x < 0 { throw MullError("value-out-of-range", "`sqrt` of a negative number (\(Value.format(x)))", at: nil) }
                if name == "log" && x <= 0 { throw MullError("value-out-of-range", "`log` of a non-positive number (\(Value.format(x)))", at: nil) }
                return .float(f(x))
            }
        }
        fn("atan2", ["y", "x"], "the angle of the point (x, y)", binary: { y, x in
            guard let a = y.asDouble, let b = x.asDouble else { return nil }
            return .float(atan2(a, b))
        }) { args, _ in
            let (y, x) = try two(args, "atan2")
            return .float(atan2(try number(y, "atan2"), try number(x, "atan2")))
        }
        b["pi"] = .float(Double.pi)
        let rounding: [(String, @Sendable (Double) -> Double)] = [("floor", { $0.rounded(.down) }), ("ceil", { $0.rounded(.up) }),
                          ("round", { $0.rounded(.toNearestOrEven) })]
        for (name, f) in rounding {
            fn(name, ["x"], "\(name) of a number, as an integer") { args, _ in
                let x = try one(args, name)
                if case .int = x { return x }
                let d = f(try number(x, name))
                guard d.isFinite, abs(d) < 9.2e18 else { throw MullError("value-out-of-range", "cannot convert \(Value.format(d)) to an integer", at: nil) }
                return .int(Int(d))
            }
        }
        fn("abs", ["x"], "the absolute value", unary: { v in
            switch v {
            case .int(let i) where i != Int.min: return .int(abs(i))
            case .float(let d): return .float(abs(d))
            default: return nil
            }
        }) { args, _ in
            let x = try one(args, "abs")
            switch x {
            case .int(let i):
                if i == Int.min { throw MullError("overflow", "integer overflow in `abs`", at: nil) }
                return .int(abs(i))
            case .float(let d): return .float(abs(d))
            default: throw MullError("type-mismatch", "`abs` needs a number, got \(x.typeName)", at: nil)
            }
        }
        fn("min", ["values..."], "the smallest of its arguments, or of a list", binary: { a, b in
            switch (a, b) {
            case let (.int(x), .int(y)): return y < x ? b : a
            case let (.float(x), .float(y)) where !x.isNaN && !y.isNaN: return y < x ? b : a
            default: return nil
            }
        }) { args, ctx in try extreme(args, "min", ctx, <) }
        fn("max", ["values..."], "the largest of its arguments, or of a list", binary: { a, b in
            switch (a, b) {
            case let (.int(x), .int(y)): return y > x ? b : a
            case let (.float(x), .float(y)) where !x.isNaN && !y.isNaN: return y > x ? b : a
            default: return nil
            }
        }) { args, ctx in try extreme(args, "max", ctx, >) }
        fn("clamp", ["x", "low", "high"], "x limited to [low, high]") { args, _ in
            guard args.positional.count == 3 else { throw MullError("arity", "`clamp` takes 3 arguments (x, low, high)", at: nil) }
            let x = args.positional[0], lo = args.positional[1], hi = args.positional[2]
            if case .int(let a) = x, case .int(let l) = lo, case .int(let h) = hi { return .int(Swift.min(Swift.max(a, l), h)) }
            return .float(Swift.min(Swift.max(try number(x, "clamp"), try number(lo, "clamp")), try number(hi, "clamp")))
        }
        fn("sum", ["xs"], "the sum of a list of numbers") { args, _ in
            let xs = try sequence(try one(args, "sum"), "sum")
            var i = 0, d = 0.0, isFloat = false
            for x in xs {
                switch x {
                case .int(let v):
                    let (s, o) = i.addingReportingOverflow(v)
                    if o { throw MullError("overflow", "integer overflow in `sum`", at: nil) }
                    i = s
                case .float(let v): d += v; isFloat = true
                default: throw MullError("type-mismatch", "`sum` needs numbers, got \(x.typeName)", at: nil)
                }
            }
            return isFloat ? .float(d + Double(i)) : .int(i)
        }
        fn("range", ["a", "b"], "range(n): the integers 0..<n; range(a, b): a..<b") { args, _ in
            switch args.positional.count {
            case 1:
                guard case .int(let n) = args.positional[0] else { throw MullError("type-mismatch", "`range` needs integers", at: nil) }
                return .range(lower: 0, upperExclusive: Swift.max(0, n))
            case 2:
                guard case .int(let a) = args.positional[0], case .int(let n) = args.positional[1] else { throw MullError("type-mismatch", "`range` needs integers", at: nil) }
                return .range(lower: a, upperExclusive: n)
            default: throw MullError("arity", "`range` takes 1 or 2 arguments", at: nil)
            }
        }
        fn("list", ["xs"], "the elements of a range, string or record as a list") { args, ctx in
            .list(try sequence(try one(args, "list"), "list"))
        }
        fn("sorted", ["xs"], "the elements in ascending order (numbers or strings)") { args, _ in
            let xs = try sequence(try one(args, "sorted"), "sorted")
            if xs.allSatisfy({ $0.asDouble != nil }) { return .list(xs.sorted { $0.asDouble! < $1.asDouble! }) }
            if xs.allSatisfy({ if case .string = $0 { true } else { false } }) {
                return .list(xs.sorted { $0.description < $1.description })
            }
            throw MullError("type-mismatch", "`sorted` needs a list of numbers or of strings", at: nil)
        }
        fn("reversed", ["xs"], "the elements in reverse order") { args, _ in
            .list(try sequence(try one(args, "reversed"), "reversed").reversed())
        }
        fn("enumerate", ["xs"], "(index, element) tuples") { args, _ in
            .list(try sequence(try one(args, "enumerate"), "enumerate").enumerated().map { .record(Record(labels: [nil, nil], values: [.int($0.offset), $0.element])) })
        }
        fn("zip", ["xs", "ys"], "tuples of corresponding elements, as long as the shorter") { args, _ in
            let (a, b) = try two(args, "zip")
            let xs = try sequence(a, "zip"), ys = try sequence(b, "zip")
            return .list(Swift.zip(xs, ys).map { .record(Record(labels: [nil, nil], values: [$0, $1])) })
        }
        fn("map", ["f", "xs"], "f applied to each element") { args, ctx in
            let (f, xs) = try two(args, "map")
            let g = try function(f, "map")
            return .list(try sequence(xs, "map").map { try g.call([$0], ctx) })
        }
        fn("filter", ["f", "xs"], "the elements for which f is true") { args, ctx in
            let (f, xs) = try two(args, "filter")
            let g = try function(f, "filter")
            return .list(try sequence(xs, "filter").filter {
                guard case .bool(let b) = try g.call([$0], ctx) else { throw MullError("type-mismatch", "`filter`'s function must return a bool", at: nil) }
                return b
            })
        }
        fn("reduce", ["f", "initial", "xs"], "folds f over the elements from the left") { args, ctx in
            guard args.positional.count == 3 else { throw MullError("arity", "`reduce` takes 3 arguments (f, initial, xs)", at: nil) }
            let g = try function(args.positional[0], "reduce")
            var acc = args.positional[1]
            for x in try sequence(args.positional[2], "reduce") { acc = try g.call([acc, x], ctx) }
            return acc
        }
        fn("uniform", ["low", "high"], "in a sweep's `vary`: values drawn uniformly from [low, high]") { args, _ in
            let (a, b) = try two(args, "uniform")
            return .record(Record([("distribution", .symbol("uniform")), ("low", a), ("high", b)]))
        }
        fn("log_uniform", ["low", "high"], "in a sweep's `vary`: values whose logarithm is uniform in [log low, log high]") { args, _ in
            let (a, b) = try two(args, "log_uniform")
            guard let x = a.asDouble, let y = b.asDouble, x > 0, y > 0 else {
                throw MullError("value-out-of-range", "`log_uniform` needs positive bounds", at: nil)
            }
            return .record(Record([("distribution", .symbol("log_uniform")), ("low", a), ("high", b)]))
        }
        fn("int_uniform", ["low", "high"], "in a sweep's `vary`: integers drawn uniformly from low...high") { args, _ in
            let (a, b) = try two(args, "int_uniform")
            return .record(Record([("distribution", .symbol("int_uniform")), ("low", a), ("high", b)]))
        }
        fn("choice", ["options"], "in a sweep's `vary`: values drawn from a list") { args, _ in
            let xs = try one(args, "choice")
            return .record(Record([("distribution", .symbol("choice")), ("options", xs)]))
        }
        return b
    }

    static func one(_ args: Arguments, _ name: String) throws -> Value {
        guard args.positional.count == 1, args.labelled.isEmpty else {
            throw MullError("arity", "`\(name)` takes 1 argument but \(args.count) were given", at: nil)
        }
        return args.positional[0]
    }

    static func two(_ args: Arguments, _ name: String) throws -> (Value, Value) {
        guard args.positional.count == 2, args.labelled.isEmpty else {
            throw MullError("arity", "`\(name)` takes 2 arguments but \(args.count) were given", at: nil)
        }
        return (args.positional[0], args.positional[1])
    }

    static func number(_ v: Value, _ name: String) throws -> Double {
        guard let d = v.asDouble else { throw MullError("type-mismatch", "`\(name)` needs a number, got \(v.typeName)", at: nil) }
        return d
    }

    /// Refuses arguments given to a function that takes none (they were once silently ignored).
    static func noArguments(_ args: Arguments, _ name: String) throws {
        guard args.count == 0 else {
            throw MullError("arity", "`\(name)` takes no arguments, got \(args.count)", at: nil,
                            suggestion: name == "reset" ? "a start state is set on the environment (`start: ...`), not passed to `reset`" : nil)
        }
    }

    static func function(_ v: Value, _ name: String) throws -> Function {
        guard case .function(let f) = v else { throw MullError("type-mismatch", "`\(name)` needs a function, got \(v.typeName)", at: nil) }
        return f
    }

    static func sequence(_ v: Value, _ name: String) throws -> [Value] {
        switch v {
        case .list(let xs): return xs
        case .range(let lo, let hi):
            let n = try Operators.rangeCount(lo, hi, at: nil)
            guard n <= ValueLimits.maxElements else { throw ValueLimits.tooLarge("the list of a range", n, at: nil) }
            return lo < hi ? (lo..<hi).map { .int($0) } : []
        case .string(let s): return s.map { .string(String($0)) }
        case .record(let r): return r.values
        default: throw MullError("type-mismatch", "`\(name)` needs a list, got \(v.typeName)", at: nil)
        }
    }

    private static func extreme(_ args: Arguments, _ name: String, _ ctx: CallContext, _ better: (Double, Double) -> Bool) throws -> Value {
        let xs = args.positional.count == 1 ? try sequence(args.positional[0], name) : args.positional
        guard var best = xs.first else { throw MullError("value-out-of-range", "`\(name)` of no values", at: nil) }
        for x in xs.dropFirst() {
            switch (x, best) {
            case let (.int(a), .int(b)): if better(Double(a), Double(b)) && (name == "min" ? a < b : a > b) { best = x }
            case let (.string(a), .string(b)): if name == "min" ? a < b : a > b { best = x }
            default:
                guard let a = x.asDouble, let b = best.asDouble else {
                    throw MullError("type-mismatch", "`\(name)` needs numbers or strings, got \(x.typeName) and \(best.typeName)", at: nil)
                }
                if better(a, b) { best = x }
            }
        }
        return best
    }
}

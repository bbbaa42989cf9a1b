/// Prints syntax trees as compact S-expressions, for tests, debugging and the REPL.
///
/// `1 + 2 * x` prints as `(+ 1 (* 2 x))`; `f(a, by: 2)` as `(call f a by:2)`; a block as
/// `(block s1 s2)`; a component as `(GridWorld (layout: x) (step (s a) (block ...)))`.
package enum ASTDump {
    package static func dump(_ program: Program) -> String {
        program.items.map(dump).joined(separator: "\n")
    }

    package static func dump(_ item: TopLevel) -> String {
        switch item.kind {
        case .importDecl(let d):
            return "(import \(quote(d.path))\(d.alias.map { " as \($0.name)" } ?? ""))"
        case .component(let d):
            return "(\(d.kind) \(d.name.name) \(dump(d.value)))"
        case .run(let e):
            return "(run \(dump(e)))"
        case .statement(let s):
            return dump(s)
        }
    }

    package static func dump(_ s: Stmt) -> String {
        switch s.kind {
        case .letBinding(let name, let value): return "(let \(name.name) \(dump(value)))"
        case .function(let f): return dump(f)
        case .forLoop(let v, let xs, let body): return "(for \(v.name) \(dump(xs)) \(dump(body)))"
        case .returnStmt(let e): return e.map { "(return \(dump($0)))" } ?? "(return)"
        case .expression(let e): return dump(e)
        }
    }

    package static func dump(_ b: Block) -> String {
        b.statements.isEmpty ? "(block)" : "(block \(b.statements.map(dump).joined(separator: " ")))"
    }

    package static func dump(_ f: FunctionDecl) -> String {
        let params = f.parameters.map { p in
            p.defaultValue.map { "\(p.name.name)=\(dump($0))" } ?? p.name.name
        }.joined(separator: " ")
        return "(fn\(f.name.map { " \($0.name)" } ?? "") (\(params)) \(dump(f.body)))"
    }

    package static func dump(_ e: Expr) -> String {
        switch e.kind {
        case .integer(let v): return String(v)
        case .float(let v): return "\(v)"
        case .string(let s): return quote(s)
        case .boolean(let b): return b ? "true" : "false"
        case .symbol(let s): return ".\(s)"
        case .noneLiteral: return "none"
        case .identifier(let n): return n
        case .list(let xs): return "(list\(xs.map { " " + dump($0) }.joined()))"
        case .comprehension(let element, let clauses):
            let cs = clauses.map { c -> String in
                switch c.kind {
                case .forIn(let v, let xs): return " (for \(v.name) \(dump(xs)))"
                case .condition(let x): return " (if \(dump(x)))"
                }
            }.joined()
            return "(comprehension \(dump(element))\(cs))"
        case .record(let fields):
            return "(record\(fields.map { " " + ($0.label.map { "\($0.name):" } ?? "") + dump($0.value) }.joined()))"
        case .range(let lo, let hi, let inclusive):
            return "(\(inclusive ? ".." : "..<") \(dump(lo)) \(dump(hi)))"
        case .unary(let op, let x): return "(\(op.rawValue) \(dump(x)))"
        case .binary(let op, let a, let b): return "(\(op.rawValue) \(dump(a)) \(dump(b)))"
        case .call(let callee, let args):
            let a = args.map { " " + ($0.label.map { "\($0.name):" } ?? "") + dump($0.value) }.joined()
            return "(call \(dump(callee))\(a))"
        case .index(let base, let i): return "(index \(dump(base)) \(dump(i)))"
        case .member(let base, let name): return "(. \(dump(base)) \(name.name))"
        case .ifElse(let c, let then, let els):
            return "(if \(dump(c)) \(dump(then))\(els.map { " " + dump($0) } ?? ""))"
        case .match(let subject, let arms):
            let a = arms.map { arm in
                " (\(dump(arm.pattern))\(arm.guardExpr.map { " if " + dump($0) } ?? "") => \(dump(arm.body)))"
            }.joined()
            return "(match \(dump(subject))\(a))"
        case .function(let f): return dump(f)
        case .block(let b): return dump(b)
        case .component(let name, let entries):
            return "(\(name.name)\(entries.map { " " + dump($0) }.joined()))"
        case .error: return "<error>"
        }
    }

    package static func dump(_ entry: ComponentEntry) -> String {
        switch entry.kind {
        case .field(let name, let value): return "(\(name.name): \(dump(value)))"
        case .method(let f): return dump(f)
        case .vary(let targets, let values):
            return "(vary (\(targets.map(\.description).joined(separator: " "))) \(dump(values)))"
        }
    }

    package static func dump(_ p: Pattern) -> String {
        switch p.kind {
        case .wildcard: return "_"
        case .literal(let e): return dump(e)
        case .binding(let name): return "$\(name.name)"
        case .range(let lo, let hi, let inclusive): return "(\(inclusive ? ".." : "..<") \(dump(lo)) \(dump(hi)))"
        case .tuple(let items):
            return "(tuple\(items.map { " " + ($0.label.map { "\($0.name):" } ?? "") + dump($0.pattern) }.joined()))"
        case .alternatives(let ps): return "(|\(ps.map { " " + dump($0) }.joined()))"
        }
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case "\0": out += "\\0"
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }
}

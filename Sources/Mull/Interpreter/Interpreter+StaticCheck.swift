import MullLanguage
import MullRuntime

/// The part of `mull check` that builds components: every declaration made of plain data
/// (literals, lists, records, ranges, components, other such declarations, pure built-ins and
/// the standard library's modules; no function of the script is called and none is a field
/// value) is evaluated, each component
/// is built once, and each sweep is prepared as `run` prepares it. So a layout that seals the
/// goal off, an ensemble too large, a planner through a model it cannot use or a sweep too
/// large are reported by `mull check` with the same diagnostic as by `mull run`, without
/// running anything the script wrote.
extension Interpreter {
    /// Built-ins that call no script function and take no time worth noticing.
    static let pureBuiltins: Set<String> = [
        "uniform", "log_uniform", "int_uniform", "choice", "range", "len", "min", "max", "abs",
        "floor", "ceil", "round", "int", "float", "str", "sqrt", "exp", "log",
    ]

    func staticBuildDiagnostics(_ program: Program) -> [Diagnostic] {
        var known: Set<String> = []
        var topNames: Set<String> = []
        for item in program.items {
            switch item.kind {
            case .component(let d): topNames.insert(d.name.name)
            case .statement(let s):
                if case .letBinding(let name, _) = s.kind { topNames.insert(name.name) }
                if case .function(let f) = s.kind, let n = f.name { topNames.insert(n.name) }
            default: break
            }
        }
        var items: [TopLevel] = []
        var components: [ComponentDecl] = []
        for item in program.items {
            switch item.kind {
            case .importDecl(let decl) where decl.path.hasPrefix("std/"):
                // The standard library is Mull's own plain data (mazes, layouts).
                items.append(item)
                known.insert(decl.alias?.name ?? Resolver.moduleName(decl.path))
            case .component(let d) where isPlainData(d.value, known, topNames):
                items.append(item)
                components.append(d)
                known.insert(d.name.name)
            case .statement(let s):
                if case .letBinding(let name, let value) = s.kind, isPlainData(value, known, topNames) {
                    items.append(item)
                    known.insert(name.name)
                }
            default: break
            }
        }
        guard !components.isEmpty else { return [] }
        let subset = Program(file: program.file, items: items)
        let names = NameScope()
        let resolution = Resolver(builtins: builtinNameSet, schemas: registry).resolve(subset, globals: names)
        guard !resolution.diagnostics.contains(where: { $0.severity == .error }) else { return [] }
        let scratch = GlobalScope()
        scratch.adopt(names, declaring: resolution.declaredGlobals)
        let code = Compiler(hooks: hooks(), resolution: resolution).compileProgram(subset)
        var out: [Diagnostic] = []
        let ctx = context.fork()
        do {
            _ = try Interpreter.onLargeStack { try code(scratch.frame, ctx) }
        } catch let e as MullError {
            return [e.diagnostic]
        } catch {
            return []
        }
        for d in components {
            guard case .component(let c)? = scratch.value(of: d.name.name) else { continue }
            do {
                if c.kind == .sweep {
                    guard case .component(let agent)? = c.field("agent"), agent.kind == .agent else { continue }
                    _ = try prepareSweep(c, agent: agent)
                } else {
                    let probe = BuildContext(registry: registry, callContext: ctx.fork(), seed: runOptions.seed, stream: 0,
                                             overrides: [:], shareWithSession: false)
                    _ = try Interpreter.onLargeStack { try probe.instance(of: c) }
                }
            } catch let e as MullError {
                if !out.contains(where: { $0.range?.start == e.diagnostic.range?.start && $0.message == e.diagnostic.message }) {
                    out.append(e.diagnostic)
                }
            } catch {
                continue
            }
        }
        return out
    }

    /// Whether evaluating `e` calls no function of the script and builds no function value.
    func isPlainData(_ e: Expr, _ known: Set<String>, _ topNames: Set<String>) -> Bool {
        func data(_ e: Expr) -> Bool {
            switch e.kind {
            case .integer, .float, .string, .boolean, .symbol, .noneLiteral: return true
            case .identifier(let n): return known.contains(n)
            case .list(let xs): return xs.allSatisfy(data)
            case .record(let fields): return fields.allSatisfy { data($0.value) }
            case .range(let lo, let hi, _): return data(lo) && data(hi)
            case .unary(_, let x): return data(x)
            case .binary(_, let a, let b): return data(a) && data(b)
            case .index(let a, let b): return data(a) && data(b)
            case .member(let a, _): return data(a)
            case .call(let callee, let args):
                guard args.allSatisfy({ data($0.value) }) else { return false }
                switch callee.kind {
                case .identifier(let n): return Interpreter.pureBuiltins.contains(n) && !topNames.contains(n)
                case .member(let base, let name): return name.name == "with" && data(base)
                default: return false
                }
            case .component(_, let entries):
                return entries.allSatisfy { entry in
                    switch entry.kind {
                    case .field(_, let v): return data(v)
                    case .method: return false
                    case .vary(_, let values): return data(values)
                    }
                }
            case .comprehension, .ifElse, .match, .function, .block, .error: return false
            }
        }
        return data(e)
    }
}

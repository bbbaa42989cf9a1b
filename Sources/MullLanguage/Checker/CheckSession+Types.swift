/// Static types of expressions: what literals, declarations and simple aliases tell.
extension CheckSession {
    static let distributions: Set<String> = ["uniform", "log_uniform", "int_uniform", "choice"]

    /// What is known about the value of `e`; a name's type is its declaration's (the resolver
    /// says which), so an expression inside a declaration followed from elsewhere is typed as
    /// where it is written.
    func typeOf(_ e: Expr, depth: Int = 0) -> StaticType {
        guard depth < 32 else { return .unknown }
        switch e.kind {
        case .integer: return .int
        case .float: return .float
        case .string: return .string
        case .boolean: return .bool
        case .symbol(let s): return .symbol(s)
        case .noneLiteral: return .none
        case .list, .comprehension, .range: return .list
        case .record: return .record
        case .function(let f): return functionType(f)
        case .unary(.negate, let x):
            let t = typeOf(x, depth: depth + 1)
            return t.isNumeric ? t : .unknown
        case .unary(.not, _): return .bool
        case .binary(let op, let l, let r):
            switch op {
            case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual, .and, .or, .contains:
                return .bool
            default:
                let lt = typeOf(l, depth: depth + 1)
                let rt = typeOf(r, depth: depth + 1)
                if case .string = lt, case .string = rt, op == .add { return .string }
                guard lt.isNumeric && rt.isNumeric else { return .unknown }
                if op == .divide { return .float }
                if case .int = lt, case .int = rt { return op == .power ? .unknown : .int }
                return .float
            }
        case .component(let name, let entries):
            let s = schema(named: name.name)
            return .component(ComponentRef(kind: s?.kind, schema: s, declName: nil, entries: entries))
        case .identifier:
            return typeOfName(at: e.range, depth: depth)
        case .call(let callee, _):
            if case .identifier(let f) = callee.kind, CheckSession.distributions.contains(f),
               isBuiltin(at: callee.range) {
                return .distribution
            }
            if case .member(let base, let m) = callee.kind, m.name == "with",
               case .component(var ref) = typeOf(base, depth: depth + 1) {
                // A copy with some fields changed: the kind and schema stay, the entries may not.
                ref.entries = nil
                ref.declName = nil
                return .component(ref)
            }
            return .unknown
        default:
            return .unknown
        }
    }

    private func typeOfName(at range: SourceRange, depth: Int) -> StaticType {
        switch declaration(at: range) {
        case .local(let site)?: return localTypes[site] ?? .unknown
        case .global(let name)?: return globals[name] != nil ? globalType(name, depth: depth) : .unknown
        case .builtin?, nil: return .unknown
        }
    }

    /// The static type of a global, computed once.
    func globalType(_ name: String, depth: Int = 0) -> StaticType {
        if let t = globalTypes[name] { return t }
        guard let g = globals[name], !globalTypesInProgress.contains(name) else { return .unknown }
        globalTypesInProgress.insert(name)
        defer { globalTypesInProgress.remove(name) }
        let t: StaticType
        switch g.kind {
        case .module: t = .module
        case .function(let f): t = functionType(f)
        case .letBinding(let value): t = typeOf(value, depth: depth + 1)
        case .component(let d):
            let v = typeOf(d.value, depth: depth + 1)
            if case .component(var ref) = v, ref.kind == nil || ref.kind == d.kind {
                ref.kind = d.kind
                ref.declName = d.name
                t = .component(ref)
            } else {
                // The value is not of the declared kind (reported at the declaration).
                t = .component(ComponentRef(kind: d.kind, schema: nil, declName: d.name, entries: nil))
            }
        }
        globalTypes[name] = t
        return t
    }

    /// The component `e` stands for, when it can be followed.
    func componentRef(_ e: Expr) -> ComponentRef? {
        if case .component(let ref) = typeOf(e) { return ref }
        return nil
    }

    /// A number written as a literal, possibly negated.
    func numericLiteral(_ e: Expr) -> Double? {
        switch e.kind {
        case .integer(let i): Double(i)
        case .float(let x): x
        case .unary(.negate, let x): numericLiteral(x).map { -$0 }
        default: nil
        }
    }

    /// The note pointing at a component's declaration, when it has one.
    func declaredHere(_ ref: ComponentRef) -> [Diagnostic.Note] {
        ref.declName.map { [Diagnostic.Note("`\($0.name)` declared here", at: $0.range)] } ?? []
    }
}

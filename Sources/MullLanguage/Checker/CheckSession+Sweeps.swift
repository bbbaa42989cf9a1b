/// Sweeps: `vary` targets resolve to fields of the agent or of the components it uses, and the
/// varied values fit those fields.
extension CheckSession {
    /// A component named in a field of another one.
    enum UsedComponent {
        case known(ComponentRef, ComponentSchema)
        /// Given, but not something the checker can follow.
        case unknown
        /// Neither given nor defaulted.
        case absent
    }

    /// A resolved `vary` target: the field, and a key naming the component that holds it.
    struct VaryTarget {
        var field: FieldSchema
        var key: String
    }

    func checkSweep(schema: ComponentSchema, entries: [ComponentEntry], given: [String: Expr]) {
        var agent: (ComponentRef, ComponentSchema)?
        if let agentField = schema.fields.first(where: { $0.type == .component(.agent) }),
           let value = given[agentField.name], let ref = componentRef(value), let s = ref.schema, s.kind == .agent {
            agent = (ref, s)
        }
        var varied: [String: SourceRange] = [:]
        for entry in entries {
            guard case .vary(let paths, let values) = entry.kind else { continue }
            var targets: [VaryTarget?] = []
            for path in paths {
                let t = agent.flatMap { resolveVaryTarget(path, agent: $0.0, schema: $0.1) }
                if let t {
                    let key = t.key + "." + t.field.name
                    if let first = varied[key] {
                        report(.duplicateVary, "`\(path)` is varied twice", at: path.range,
                               notes: [.init("first varied here", at: first)])
                    } else {
                        varied[key] = path.range
                    }
                }
                targets.append(t)
            }
            checkVaryValues(values, paths: paths, targets: targets)
        }
    }

    /// The components named in the fields of `ref` (a literal, or a declared name for one).
    func usedComponents(_ ref: ComponentRef, _ owner: ComponentSchema) -> [(field: FieldSchema, used: UsedComponent)] {
        var out: [(FieldSchema, UsedComponent)] = []
        for field in owner.fields {
            guard case .component = field.type else { continue }
            guard let entries = ref.entries else {
                out.append((field, .unknown))
                continue
            }
            var value: Expr?
            for entry in entries {
                if case .field(let id, let v) = entry.kind, owner.field(named: id.name)?.name == field.name { value = v }
            }
            if let value {
                if let r = componentRef(value, globalOnly: ref.entriesAreGlobal), let s = r.schema {
                    out.append((field, .known(r, s)))
                } else {
                    out.append((field, .unknown))
                }
            } else if let d = field.defaultText {
                // A default such as `Tabular {}`: the component named at its start.
                let name = String(d.prefix { $0.isLetter || $0.isNumber || $0 == "_" })
                if let s = schema(named: name) {
                    out.append((field, .known(ComponentRef(kind: s.kind, schema: s, declName: nil, entries: [], entriesAreGlobal: true), s)))
                } else {
                    out.append((field, d == "none" ? .absent : .unknown))
                }
            } else {
                out.append((field, .absent))
            }
        }
        return out
    }

    private func fieldNames(_ s: ComponentSchema) -> [String] {
        s.fields.flatMap { [$0.name] + $0.aliases }
    }

    private func key(_ ref: ComponentRef, _ s: ComponentSchema) -> String {
        "\(ref.declName?.name ?? "")#\(s.name)"
    }

    /// Resolves `f` (a field of the agent, else of its model, else of its env) or `a.f`
    /// (`a` a component field of the agent or the declared name of a component it uses).
    private func resolveVaryTarget(_ path: FieldPath, agent: ComponentRef, schema agentSchema: ComponentSchema) -> VaryTarget? {
        guard let last = path.components.last else { return nil }
        if path.components.count == 1 {
            if let f = agentSchema.field(named: last.name) { return VaryTarget(field: f, key: key(agent, agentSchema)) }
            let used = usedComponents(agent, agentSchema)
            let order: [ComponentKind] = [.model, .env, .agent, .sweep]
            let ranked = used.sorted { a, b in
                let ka = CheckSession.kindOf(a.field), kb = CheckSession.kindOf(b.field)
                return (order.firstIndex(of: ka) ?? 9) < (order.firstIndex(of: kb) ?? 9)
            }
            var candidates = fieldNames(agentSchema)
            var uncertain = false
            for u in ranked {
                switch u.used {
                case .known(let r, let s):
                    if let f = s.field(named: last.name) { return VaryTarget(field: f, key: key(r, s)) }
                    candidates += fieldNames(s)
                case .unknown: uncertain = true
                case .absent: break
                }
            }
            if uncertain { return nil }
            report(.unknownVaryTarget, "no field `\(last.name)` to vary in \(agent.quoted) or the components it uses", at: last.range,
                   suggestion: didYouMean(last.name, among: candidates, at: last.range))
            return nil
        }
        var current = agent, currentSchema = agentSchema
        for (i, part) in path.components.dropLast().enumerated() {
            // `dyna.alpha`: the agent's own declared name.
            if i == 0 && part.name == agent.declName?.name && agentSchema.field(named: part.name) == nil { continue }
            let used = usedComponents(current, currentSchema)
            var next: UsedComponent?
            if let f = currentSchema.field(named: part.name), case .component = f.type {
                next = used.first { $0.field.name == f.name }?.used
            } else if i == 0 {
                next = used.first {
                    if case .known(let r, _) = $0.used { r.declName?.name == part.name } else { false }
                }?.used
            }
            guard let next else {
                var candidates = used.map(\.field.name)
                if i == 0 {
                    for u in used { if case .known(let r, _) = u.used, let d = r.declName { candidates.append(d.name) } }
                }
                report(.unknownVaryTarget, "\(current.quoted) uses no component `\(part.name)`", at: part.range,
                       suggestion: didYouMean(part.name, among: candidates, at: part.range))
                return nil
            }
            guard case .known(let r, let s) = next else { return nil }
            current = r
            currentSchema = s
        }
        if let f = currentSchema.field(named: last.name) { return VaryTarget(field: f, key: key(current, currentSchema)) }
        report(.unknownVaryTarget, "\(current.quoted) has no field `\(last.name)`", at: last.range,
               suggestion: didYouMean(last.name, among: fieldNames(currentSchema), at: last.range))
        return nil
    }

    private static func kindOf(_ f: FieldSchema) -> ComponentKind {
        if case .component(let k) = f.type { return k }
        return .sweep
    }

    /// The values of a `vary`: a list (whose literal elements must fit the targets), a list-valued
    /// name, or a distribution.
    private func checkVaryValues(_ values: Expr, paths: [FieldPath], targets: [VaryTarget?]) {
        if case .list(let elements) = values.kind {
            for el in elements {
                if paths.count == 1 {
                    if let t = targets[0] { checkValue(el, against: t.field.type, field: t.field, written: paths[0].description) }
                    continue
                }
                let together = "(" + paths.map(\.description).joined(separator: ", ") + ")"
                if case .record(let parts) = el.kind {
                    guard parts.count == paths.count else {
                        report(.varyArity, "`vary \(together)` expects tuples of \(paths.count) values, got \(parts.count)", at: el.range)
                        continue
                    }
                    for (i, part) in parts.enumerated() {
                        if let t = targets[i] { checkValue(part.value, against: t.field.type, field: t.field, written: paths[i].description) }
                    }
                } else {
                    let t = typeOf(el)
                    if t.isKnown {
                        report(.varyArity, "`vary \(together)` expects tuples of \(paths.count) values, got \(t.phrase)", at: el.range)
                    }
                }
            }
            return
        }
        switch typeOf(values) {
        case .list, .distribution, .unknown: break
        case let t:
            report(.invalidVaryValues,
                   "`vary` expects a list of values or a distribution (`uniform`, `log_uniform`, `int_uniform`, `choice`), got \(t.phrase)",
                   at: values.range)
        }
    }
}

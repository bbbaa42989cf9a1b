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
        let agentField = schema.fields.first { $0.type == .component(.agent) }
        var agents: [(ComponentRef, ComponentSchema)] = []
        var uncertain = false
        if let agentField, let value = given[agentField.name] {
            if let ref = componentRef(value), let s = ref.schema, s.kind == .agent { agents.append((ref, s)) } else { uncertain = true }
        }
        // `vary agent: [a, b]` runs other agents too; other entries may name their fields.
        for entry in entries {
            guard case .vary(let paths, let values) = entry.kind, let agentField, paths.count == 1,
                  paths[0].components.map(\.name) == [agentField.name] else { continue }
            guard case .list(let xs) = values.kind else {
                uncertain = true
                continue
            }
            for x in xs {
                if let ref = componentRef(x), let s = ref.schema, s.kind == .agent { agents.append((ref, s)) } else { uncertain = true }
            }
        }
        if agents.isEmpty { uncertain = true }
        var varied: [String: SourceRange] = [:]
        for entry in entries {
            guard case .vary(let paths, let values) = entry.kind else { continue }
            var targets: [VaryTarget?] = []
            for path in paths {
                let t: VaryTarget?
                if let agentField, path.components.map(\.name) == [agentField.name] {
                    t = VaryTarget(field: agentField, key: "sweep")
                } else {
                    t = resolveVaryTarget(path, agents: agents, uncertain: uncertain)
                }
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

    /// A sweep runs for a number of episodes or a number of steps: exactly one of the two.
    /// The schema's field groups (`episodes` or `steps`; `summary` or `summary_last`), as the
    /// interpreter applies them: the caret on the later of two conflicting fields.
    func checkGroups(schema: ComponentSchema, owner: String, anchor: SourceRange, given: [String: SourceRange]) {
        guard let v = schema.groupViolation(given: Set(given.keys), owner: owner) else { return }
        if v.present.count > 1 {
            let ranges = v.present.compactMap { given[$0] }.sorted { $0.start < $1.start }
            report(v.id, v.message, at: ranges.last, notes: ranges.dropLast().map { .init("the other is given here", at: $0) })
        } else {
            report(v.id, v.message, at: anchor, notes: v.group.help.isEmpty ? [] : [.init(v.group.help)])
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
            if let value, case .noneLiteral = value.kind {
                // `model: none` leaves the component out, as at run time.
                out.append((field, .absent))
            } else if let value {
                if let r = componentRef(value), let s = r.schema {
                    out.append((field, .known(r, s)))
                } else {
                    out.append((field, .unknown))
                }
            } else {
                // Left out: `VaryPaths` stands the field's default component in.
                out.append((field, .absent))
            }
        }
        return out
    }

    private func key(_ ref: ComponentRef, _ s: ComponentSchema) -> String {
        "\(ref.declName?.name ?? "")#\(s.name)"
    }

    /// The agent and the components it uses, by the rule sweeps apply (`VaryPaths`).
    private func parts(of agent: ComponentRef, _ agentSchema: ComponentSchema) -> (parts: [VaryPaths.Part<ComponentRef>], uncertain: Bool) {
        let used = Dictionary(usedComponents(agent, agentSchema).map { ($0.field.name, $0.used) }, uniquingKeysWith: { a, _ in a })
        return VaryPaths.parts(of: agentSchema, declaredName: agent.declName?.name, ref: agent, schemas: schemas, held: { f in
            switch used[f.name] ?? .absent {
            case .known(let r, let s): .known(declaredName: r.declName?.name, schema: s, ref: r)
            case .unknown: .unknown
            case .absent: .absent
            }
        }, standIn: { _, s in ComponentRef(kind: s.kind, schema: s, declName: nil, entries: []) })
    }

    /// Resolves a `vary` path against the sweep's agent and any agent a `vary agent` lists
    /// (`VaryPaths.lookUp`), reporting a path that names nothing.
    private func resolveVaryTarget(_ path: FieldPath, agents: [(ComponentRef, ComponentSchema)], uncertain: Bool) -> VaryTarget? {
        let names = path.components
        guard let first = names.first, let last = names.last else { return nil }
        var isUncertain = uncertain
        var all: [VaryPaths.Part<ComponentRef>] = []
        for (ref, s) in agents {
            let p = parts(of: ref, s)
            all += p.parts
            isUncertain = isUncertain || p.uncertain
        }
        switch VaryPaths.lookUp(names.map(\.name), in: all) {
        case .found(let part, let f):
            return VaryTarget(field: f, key: key(part.ref, part.schema))
        case .tooLong:
            report(.unknownVaryTarget, "a `vary` path has at most two parts, got `\(path)`", at: path.range)
        case .noField(let candidates):
            guard !isUncertain else { return nil }
            let whose = agents.count == 1 ? "\(agents[0].0.quoted) or the components it uses" : "the sweep's agents or the components they use"
            report(.unknownVaryTarget, "no field `\(first.name)` to vary in \(whose)", at: first.range,
                   suggestion: didYouMean(first.name, among: candidates, at: first.range))
        case .partLacksField(let part, let candidates):
            report(.unknownVaryTarget, "\(part.ref.quoted) has no field `\(last.name)`", at: last.range,
                   suggestion: didYouMean(last.name, among: candidates, at: last.range))
        case .unknownPart(let candidates):
            guard !isUncertain else { return nil }
            let whose = agents.count == 1 ? agents[0].0.quoted : "the sweep's agents"
            report(.unknownVaryTarget, "`\(first.name)` is neither \(whose) nor a component it uses", at: first.range,
                   suggestion: didYouMean(first.name, among: candidates, at: first.range))
        }
        return nil
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

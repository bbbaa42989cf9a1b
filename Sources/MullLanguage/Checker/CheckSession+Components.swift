/// Component declarations and literals: kinds, fields against schemas, compatibility, `run`.
extension CheckSession {
    func checkComponentDecl(_ d: ComponentDecl) {
        if case .component(let name, let entries) = d.value.kind {
            checkComponentLiteral(name: name, entries: entries, range: d.value.range, declaration: d)
            return
        }
        visit(d.value)
        switch typeOf(d.value) {
        case .component(let ref):
            if let k = ref.kind, k != d.kind {
                report(.kindMismatch, "\(ref.quoted) is \(k.withArticle), not \(d.kind.withArticle)", at: d.value.range,
                       notes: declaredHere(ref),
                       suggestion: .init("declare it with `\(k) \(d.name.name) = ...`", replacement: k.rawValue, range: d.keywordRange))
            }
        case .unknown, .module:
            break
        case let t:
            report(.kindMismatch, "`\(d.name.name)` is declared as \(d.kind.withArticle), but its value is \(t.phrase)", at: d.value.range)
        }
    }

    /// Checks `Name { entries }`: the component exists, its kind fits the declaration, and every
    /// entry fits the schema.
    func checkComponentLiteral(name: Identifier, entries: [ComponentEntry], range: SourceRange, declaration: ComponentDecl?) {
        for entry in entries {
            switch entry.kind {
            case .field(_, let value): visit(value)
            case .method(let f): visitFunction(f)
            case .vary(_, let values): visit(values)
            }
        }
        guard let schema = schema(named: name.name) else {
            report(.unknownComponent, "unknown component `\(name.name)`", at: name.range,
                   suggestion: didYouMean(name.name, among: componentNames, at: name.range))
            return
        }
        // A sweep body `sweep s { ... }` has no written type name: point at the sweep's name.
        let isSweepBody = declaration.map { $0.kind == .sweep && name.range.start == $0.keywordRange.start } ?? false
        let anchor = isSweepBody ? declaration!.name.range : name.range
        let owner = isSweepBody ? "sweep `\(declaration!.name.name)`" : schema.name

        if let d = declaration, schema.kind != d.kind {
            report(.kindMismatch, "`\(schema.name)` is \(schema.kind.withArticle), not \(d.kind.withArticle)", at: name.range,
                   suggestion: .init("declare it with `\(schema.kind) \(d.name.name) = ...`", replacement: schema.kind.rawValue,
                                     range: d.keywordRange))
        }

        var given: [String: (range: SourceRange, value: Expr?)] = [:]
        var fieldNames: [String]?
        for entry in entries {
            let id: Identifier
            switch entry.kind {
            case .field(let i, _): id = i
            case .method(let f):
                guard let i = f.name else { continue }
                id = i
            case .vary:
                if schema.kind != .sweep {
                    let start = entry.range.start
                    report(.varyOutsideSweep, "`vary` is only allowed in a sweep",
                           at: SourceRange(file: entry.range.file, start: start, end: min(entry.range.end, start + 4)),
                           notes: [.init("\(owner) is \(schema.kind.withArticle); declare a sweep with this \(schema.kind) as its agent to vary it")])
                }
                continue
            }
            guard let field = schema.field(named: id.name) else {
                if fieldNames == nil { fieldNames = schema.fields.flatMap { [$0.name] + $0.aliases } }
                report(.unknownField, "\(owner) has no field `\(id.name)`", at: id.range,
                       suggestion: didYouMean(id.name, among: fieldNames!, at: id.range))
                continue
            }
            if let first = given[field.name] {
                report(.duplicateField, "field `\(field.name)` is given twice", at: id.range,
                       notes: [.init("first given here", at: first.range)])
                continue
            }
            switch entry.kind {
            case .field(_, let value):
                given[field.name] = (id.range, value)
                checkValue(value, against: field.type, field: field, written: id.name)
            case .method(let f):
                given[field.name] = (id.range, nil)
                checkMethod(f, id: id, field: field)
            case .vary: break
            }
        }

        for field in schema.fields where field.required && given[field.name] == nil {
            report(.missingField, "missing required field `\(field.name)` in \(owner)", at: anchor,
                   notes: [.init("`\(field.name)`: \(field.type.phrase)\(field.doc.isEmpty ? "" : " — \(firstLine(field.doc))")")])
        }

        for field in schema.fields {
            guard let other = field.atMost, let value = given[field.name]?.value, case .integer(let x) = value.kind else { continue }
            let bound: Double?
            if let v = given[other]?.value { bound = numericLiteral(v) } else { bound = schema.field(named: other)?.defaultText.flatMap(Double.init) }
            if let bound, Double(x) > bound {
                // `bound` is a literal of the script: written without converting it to an integer.
                let text = bound == bound.rounded() && abs(bound) < 1e15 ? String(Int64(bound)) : "\(bound)"
                let written = given[other] == nil ? "\(text), its default" : text
                report(.valueOutOfRange, "`\(field.name)` (\(x)) cannot exceed `\(other)` (\(written))", at: value.range)
            }
        }

        for r in schema.requirements {
            guard let field = schema.field(named: r.field), let value = given[field.name]?.value else { continue }
            checkRequirement(r, of: schema, value: value, field: field)
        }

        checkGroups(schema: schema, owner: owner, anchor: anchor, given: given.mapValues(\.range))
        if schema.kind == .sweep {
            checkSweep(schema: schema, entries: entries, given: given.compactMapValues(\.value))
        }
    }

    private func firstLine(_ s: String) -> String {
        String(s.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: true).first ?? "")
    }

    private func checkMethod(_ f: FunctionDecl, id: Identifier, field: FieldSchema) {
        let t = functionType(f)
        guard !field.type.accepts(t) else { return }
        let got: String
        if case .function = field.type {
            got = "a function of \(f.parameters.count) argument\(f.parameters.count == 1 ? "" : "s")"
        } else {
            got = "a function"
        }
        report(.typeMismatch, "field `\(id.name)` expects \(field.type.phrase), got \(got)", at: id.range)
    }

    /// Checks one value given to (or varied for) `field`: its type, its kind, its symbol, its range.
    func checkValue(_ value: Expr, against type: FieldType, field: FieldSchema, written: String) {
        if case .error = value.kind { return }
        // Check list literals element by element, so that each bad element is pointed at.
        if case .list(let elementType) = type, case .list(let elements) = value.kind {
            for el in elements { checkElement(el, against: elementType, field: field, written: written) }
            return
        }
        let t = typeOf(value)
        if !type.accepts(t) {
            if case .none = t, !field.required { return }
            if case .component(let k) = type, case .component(let ref) = t, let got = ref.kind {
                report(.kindMismatch, "field `\(written)` expects \(k.withArticle), but \(ref.quoted) is \(got.withArticle)",
                       at: value.range, notes: declaredHere(ref))
            } else {
                report(.typeMismatch, "field `\(written)` expects \(type.phrase), got \(t.phrase)", at: value.range)
            }
            return
        }
        checkSymbolAndBounds(value, t, against: type, field: field, written: written)
    }

    private func checkElement(_ el: Expr, against type: FieldType, field: FieldSchema, written: String) {
        if case .error = el.kind { return }
        let t = typeOf(el)
        if !type.accepts(t) {
            report(.typeMismatch, "field `\(written)` expects a list of \(type.plural), but this element is \(t.phrase)", at: el.range)
            return
        }
        checkSymbolAndBounds(el, t, against: type, field: field, written: written)
    }

    private func checkSymbolAndBounds(_ value: Expr, _ t: StaticType, against type: FieldType, field: FieldSchema, written: String) {
        if case .symbol(let s) = t, let allowed = allowedSymbols(type), !allowed.contains(s) {
            report(.unknownSymbol, "field `\(written)` expects \(type.phrase), got `.\(s)`", at: value.range,
                   suggestion: didYouMean(s, among: allowed, at: value.range, prefix: "."))
            return
        }
        if type.isNumeric, let x = numericLiteral(value), !field.accepts(x), let bounds = field.boundsDescription {
            report(.valueOutOfRange, "`\(written)` must be \(bounds), got \(value.range.text)", at: value.range)
        }
    }

    /// The symbols a field type allows, when it restricts them.
    private func allowedSymbols(_ type: FieldType) -> [String]? {
        switch type {
        case .symbol(let names): names
        case .oneOf(let ts):
            // Restricted only if every symbol alternative is restricted.
            ts.contains { if case .symbol(nil) = $0 { true } else { false } } ? nil
                : ts.compactMap(allowedSymbols).flatMap { $0 }.nilIfEmpty
        default: nil
        }
    }

    /// Checks that the component given to `field` offers what `schema` requires of it.
    private func checkRequirement(_ r: Requirement, of schema: ComponentSchema, value: Expr, field: FieldSchema) {
        guard let ref = componentRef(value), let target = ref.schema else { return }
        if case .component(let k) = field.type, target.kind != k { return }  // reported as a kind mismatch
        let missing = r.needs.subtracting(target.provides)
        guard !missing.isEmpty else { return }
        let has = target.provides.intersection(CheckSession.relevant(to: r.needs))
        let kind: ComponentKind = if case .component(let k) = field.type { k } else { target.kind }
        let tail = has.isEmpty ? "does not offer \(missing.words)" : "has \(has.words)"
        report(.incompatibleComponent, "\(schema.name) needs \(kind.noun) with \(r.needs.words), but \(ref.quoted) \(tail)",
               at: value.range, notes: [.init(r.reason)] + declaredHere(ref))
    }

    /// The capabilities that say something about `needs`: for states and actions, both the
    /// discrete and the continuous kind.
    static func relevant(to needs: Capabilities) -> Capabilities {
        var mask = needs
        if !needs.isDisjoint(with: [.discreteStates, .continuousStates]) { mask.formUnion([.discreteStates, .continuousStates]) }
        if !needs.isDisjoint(with: [.discreteActions, .continuousActions]) { mask.formUnion([.discreteActions, .continuousActions]) }
        return mask
    }

    /// `run x`: x must be a sweep or an agent.
    func checkRun(_ e: Expr) {
        switch typeOf(e) {
        case .component(let ref):
            guard let k = ref.kind, k != .sweep else { return }
            if k == .agent {
                report(.notRunnable, "`run` takes a sweep, got \(ref.quoted), an agent", at: e.range, notes: declaredHere(ref),
                       suggestion: Diagnostic.Suggestion("put the agent in a sweep, `sweep NAME { agent: ..., episodes: 100 }`, and run that; in the REPL, `.train(episodes: n)` trains it"))
                return
            }
            report(.notRunnable, "\(ref.quoted) is \(k.withArticle); `run` takes a sweep", at: e.range,
                   notes: declaredHere(ref))
        case .unknown, .module:
            break
        case let t:
            report(.notRunnable, "`run` takes a sweep, got \(t.phrase)", at: e.range)
        }
    }
}

extension Array {
    var nilIfEmpty: [Element]? { isEmpty ? nil : self }
}

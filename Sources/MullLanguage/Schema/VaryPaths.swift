/// The rule by which a sweep's `vary` path names a field, written once and read by the checker
/// (on the script's text) and by the sweep expansion (on built values): `f` is a field of the
/// agent, else of a component in one of the agent's component fields (models first, then
/// environments, then the rest, e.g. MBPO's `learner`), for the sweep's agent or any agent a
/// `vary agent` lists; `a.f` names the component first, by `agent`, by the agent's field that
/// holds it (`model`, `env`, `learner`) or by its declared name. A component left out stands
/// for its field's default component (`Tabular {}` for a Dyna agent's model).
package enum VaryPaths {
    /// One component a path may name. `Ref` is what the caller knows the component by.
    package struct Part<Ref> {
        /// The agent's field holding the component; nil for the agent itself.
        package var field: String?
        /// The names a two-part path may start with.
        package var names: [String]
        package var schema: ComponentSchema
        package var ref: Ref
    }

    /// What one component field of an agent holds, as far as the caller can tell.
    package enum Held<Ref> {
        case known(declaredName: String?, schema: ComponentSchema, ref: Ref)
        /// Something the caller cannot follow (a function's result, say).
        case unknown
        /// Nothing: the field is left out.
        case absent
    }

    /// The agent and the components it uses, in the order paths are looked up in; `uncertain`
    /// when a field holds something that cannot be followed.
    package static func parts<Ref>(of agent: ComponentSchema, declaredName: String?, ref: Ref, schemas: any SchemaProvider,
                                   held: (FieldSchema) -> Held<Ref>, standIn: (FieldSchema, ComponentSchema) -> Ref)
        -> (parts: [Part<Ref>], uncertain: Bool) {
        var out = [Part(field: nil, names: ["agent"] + (declaredName.map { [$0] } ?? []), schema: agent, ref: ref)]
        var uncertain = false
        let order: [ComponentKind] = [.model, .env, .agent, .sweep]
        let fields = agent.fields.enumerated().compactMap { i, f -> (rank: Int, index: Int, field: FieldSchema)? in
            guard case .component(let kind) = f.type else { return nil }
            return (order.firstIndex(of: kind) ?? order.count, i, f)
        }.sorted { ($0.rank, $0.index) < ($1.rank, $1.index) }.map(\.field)
        for f in fields {
            switch held(f) {
            case .known(let name, let schema, let r):
                out.append(Part(field: f.name, names: [f.name] + (name.map { [$0] } ?? []), schema: schema, ref: r))
            case .unknown:
                uncertain = true
            case .absent:
                if let name = f.defaultComponent, let schema = schemas.schema(named: name) {
                    out.append(Part(field: f.name, names: [f.name], schema: schema, ref: standIn(f, schema)))
                }
            }
        }
        return (out, uncertain)
    }

    /// What a path names among `parts`.
    package enum Lookup<Ref> {
        case found(Part<Ref>, FieldSchema)
        /// More than two parts.
        case tooLong
        /// `f` is a field of none of the parts; the fields they have.
        case noField(candidates: [String])
        /// `a.f` where `a` has no field `f`; its fields.
        case partLacksField(Part<Ref>, candidates: [String])
        /// `a.f` where no part is called `a`; the names they go by.
        case unknownPart(candidates: [String])
    }

    package static func lookUp<Ref>(_ path: [String], in parts: [Part<Ref>]) -> Lookup<Ref> {
        guard let first = path.first, let last = path.last, path.count <= 2 else { return .tooLong }
        if path.count == 1 {
            for part in parts {
                if let f = part.schema.field(named: first) { return .found(part, f) }
            }
            return .noField(candidates: parts.flatMap { fieldNames($0.schema) })
        }
        for part in parts where part.names.contains(first) {
            if let f = part.schema.field(named: last) { return .found(part, f) }
            return .partLacksField(part, candidates: fieldNames(part.schema))
        }
        return .unknownPart(candidates: parts.flatMap(\.names))
    }

    static func fieldNames(_ s: ComponentSchema) -> [String] {
        s.fields.flatMap { [$0.name] + $0.aliases }
    }
}

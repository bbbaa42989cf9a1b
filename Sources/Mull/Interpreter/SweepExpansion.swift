import Foundation
import MullLanguage
import MullRuntime

/// A sweep block resolved against its agent: which component and field each `vary` names, and
/// the settings (combinations of varied values) in the runtime plan's order.
struct SweepExpansion: @unchecked Sendable {
    /// Which component of a trial a varied field belongs to.
    enum Role: Hashable {
        /// The sweep's own `agent` field: the value is another agent.
        case sweepAgent
        /// The agent (nil) or the component in one of its fields (`model`, `env`, `learner`).
        case part(String?)
    }
    struct Target {
        var role: Role
        var field: String
        /// The column name in results: the path as written (`planning_steps`, `maze.resolution`).
        var column: String
    }
    struct Dimension {
        var targets: [Target]
        /// One tuple of values (one per target) per point of this dimension.
        var points: [[Value]]
        /// Where the `vary` entry was written.
        var range: SourceRange? = nil
    }
    struct Setting {
        var index: Int
        /// (column, value) in declaration order.
        var parameters: [(String, Value)]
        /// The agent this setting runs (the sweep's, or one chosen by `vary agent`).
        var agent: ComponentValue
        var overrides: [Role: [String: Value]]

        /// Overrides keyed by the components of this setting's agent.
        func resolvedOverrides() -> [ObjectIdentifier: [String: Value]] {
            var out: [ObjectIdentifier: [String: Value]] = [:]
            for (role, fields) in overrides {
                if let c = SweepExpansion.component(role, of: agent) { out[ObjectIdentifier(c), default: [:]].merge(fields) { $1 } }
            }
            return out
        }
    }

    var dimensions: [Dimension] = []
    var settings: [Setting] = []
    var seeds: Int
    var columns: [String] { dimensions.flatMap { $0.targets.map(\.column) } }
    var trialCount: Int { settings.count * seeds }

    /// The component a role names in `agent`: the agent, or the component in one of its fields.
    static func component(_ role: Role, of agent: ComponentValue) -> ComponentValue? {
        switch role {
        case .sweepAgent: return nil
        case .part(nil): return agent
        case .part(let field?):
            if case .component(let c)? = agent.field(field) { return c }
            return nil
        }
    }

    /// The component a left-out field of an agent stands for (its schema's default), as a value.
    static func standIn(_ field: FieldSchema, _ schema: ComponentSchema, range: SourceRange?) -> ComponentValue {
        ComponentValue(componentName: schema.name, kind: schema.kind, fields: [], range: range)
    }

    /// Builds the plan for `sweep`, whose `agent` field names the agent to vary.
    init(sweep: ComponentValue, agent: ComponentValue, registry: ComponentRegistry, seeds: Int, samples: Int, sampleSeed: UInt64) throws {
        self.seeds = seeds
        // Agents listed by `vary agent: [...]`, whose fields other `vary` entries may name.
        var alternatives: [ComponentValue] = []
        for vary in sweep.varies where vary.targets == [["agent"]] {
            if case .list(let xs) = vary.values { for case .component(let a) in xs { alternatives.append(a) } }
        }
        for (k, vary) in sweep.varies.enumerated() {
            let targets = try vary.targets.map { try SweepExpansion.resolve($0, agent: agent, alternatives: alternatives, registry: registry, at: vary.range) }
            var points: [[Value]] = []
            switch vary.values {
            case .list(let xs):
                for x in xs {
                    if targets.count == 1 {
                        points.append([x])
                    } else {
                        guard case .record(let r) = x, r.values.count == targets.count else {
                            throw MullError("vary-shape", "each value of a zipped `vary` of \(targets.count) fields must be a tuple of \(targets.count) values, got \(x.repr)", at: vary.range)
                        }
                        points.append(r.values)
                    }
                }
            case .range(let lo, let hi):
                guard targets.count == 1 else { throw MullError("vary-shape", "a zipped `vary` needs a list of tuples", at: vary.range) }
                try SweepExpansion.checkSize(Double(hi) - Double(lo), "values of this range", at: vary.range)
                points = (lo..<max(lo, hi)).map { [.int($0)] }
            case .record(let r) where r["distribution"] != nil:
                guard targets.count == 1 else { throw MullError("vary-shape", "random `vary` takes one field", at: vary.range) }
                try SweepExpansion.checkSize(Double(samples), "`samples`", at: vary.range)
                var rng = RandomSource(seed: sampleSeed, stream: UInt64(k))
                points = try (0..<samples).map { _ in [try SweepExpansion.draw(r, &rng, at: vary.range)] }
            default:
                throw MullError("type-mismatch", "`vary` takes a list of values, a range, or a distribution such as `log_uniform(0.01, 1)`, got \(vary.values.typeName)", at: vary.range)
            }
            if points.isEmpty { throw MullError("vary-shape", "`vary` has no values", at: vary.range) }
            dimensions.append(Dimension(targets: targets, points: points, range: vary.range))
        }
        let trials = dimensions.reduce(Double(seeds)) { $0 * Double($1.points.count) }
        try SweepExpansion.checkSize(trials, "trials (settings x seeds)", at: sweep.range)
        // Cartesian product of dimensions, the last varying fastest.
        var combos: [[Int]] = [[]]
        for d in dimensions { combos = combos.flatMap { c in (0..<d.points.count).map { c + [$0] } } }
        for (i, combo) in combos.enumerated() {
            var params: [(String, Value)] = []
            var overrides: [Role: [String: Value]] = [:]
            var written: [String: SourceRange] = [:]
            var chosen = agent
            for (d, p) in zip(dimensions, combo) {
                for (t, v) in zip(d.targets, d.points[p]) {
                    if t.role == .sweepAgent {
                        guard case .component(let a) = v, a.kind == .agent else {
                            throw MullError("type-mismatch", "`vary agent` takes a list of agents, got \(v.typeName)", at: sweep.range)
                        }
                        chosen = a
                        params.append((t.column, .symbol(a.declaredName ?? a.componentName)))
                    } else {
                        params.append((t.column, v))
                        overrides[t.role, default: [:]][t.field] = v
                        if let r = d.range { written[t.field] = r }
                    }
                }
            }
            // A varied field of a component left out (a Dyna agent's model) goes to the field's
            // default component, made explicit so the override has a component to apply to.
            for case .part(let field?) in overrides.keys where SweepExpansion.component(.part(field), of: chosen) == nil {
                if let f = registry.schema(named: chosen.componentName)?.field(named: field), let name = f.defaultComponent,
                   let s = registry.schema(named: name) {
                    chosen = chosen.with([(field, .component(SweepExpansion.standIn(f, s, range: chosen.range)))])
                }
            }
            // Every varied field must exist on the agent (or its parts) this setting runs.
            for (role, fields) in overrides {
                for f in fields.keys {
                    if let c = SweepExpansion.component(role, of: chosen), registry.schema(named: c.componentName)?.field(named: f) == nil {
                        throw MullError("unknown-field", "`\(c.componentName)` (of agent `\(chosen.declaredName ?? chosen.componentName)`) has no field `\(f)` to vary", at: written[f] ?? sweep.range)
                    }
                }
            }
            settings.append(Setting(index: i, parameters: params, agent: chosen, overrides: overrides))
        }
    }

    /// The most trials a sweep may have, and values one `vary` may list.
    static let maximumTrials = 1_000_000

    /// Refuses a count beyond `maximumTrials` before anything of that size is built.
    static func checkSize(_ count: Double, _ what: String, at range: SourceRange?) throws {
        guard count <= Double(maximumTrials) else {
            throw MullError("too-large", "a sweep of \(String(format: "%.3g", count)) \(what) is more than Mull runs (at most \(maximumTrials))", at: range,
                            suggestion: "send large sweeps to a cluster in parts, or vary fewer values")
        }
    }

    /// `agent` varies the agent itself; any other path is looked up by `VaryPaths`, the rule the
    /// checker applies, among the parts of the sweep's agent and of any agent a `vary agent` lists.
    static func resolve(_ path: [String], agent: ComponentValue, alternatives: [ComponentValue], registry: ComponentRegistry, at range: SourceRange?) throws -> Target {
        let column = path.joined(separator: ".")
        if path == ["agent"] { return Target(role: .sweepAgent, field: "agent", column: "agent") }
        var parts: [VaryPaths.Part<ComponentValue>] = []
        for a in [agent] + alternatives {
            guard let schema = registry.schema(named: a.componentName) else { continue }
            parts += VaryPaths.parts(of: schema, declaredName: a.declaredName, ref: a, schemas: registry, held: { f in
                guard case .component(let c)? = a.field(f.name) else { return .absent }
                guard let s = registry.schema(named: c.componentName) else { return .unknown }
                return .known(declaredName: c.declaredName, schema: s, ref: c)
            }, standIn: { f, s in standIn(f, s, range: a.range) }).parts
        }
        switch VaryPaths.lookUp(path, in: parts) {
        case .found(let part, let f):
            return Target(role: .part(part.field), field: f.name, column: column)
        case .tooLong:
            throw MullError("unknown-field", "`vary \(column)`: paths have at most two parts", at: range)
        case .noField(let candidates):
            throw MullError("unknown-field", "no field `\(path[0])` in the sweep's agent or the components it uses", at: range,
                            suggestion: Suggest.closest(to: path[0], among: candidates).map { "did you mean `\($0)`?" })
        case .partLacksField(let part, let candidates):
            throw MullError("unknown-field", "`\(part.schema.name)` has no field `\(path[1])`", at: range,
                            suggestion: Suggest.closest(to: path[1], among: candidates).map { "did you mean `\($0)`?" })
        case .unknownPart:
            throw MullError("unknown-field", "`\(path[0])` is neither the sweep's agent nor a component it uses", at: range)
        }
    }

    static func draw(_ r: Record, _ rng: inout RandomSource, at range: SourceRange?) throws -> Value {
        guard case .symbol(let kind)? = r["distribution"] else { throw MullError("type-mismatch", "not a distribution", at: range) }
        switch kind {
        case "uniform":
            guard let lo = r["low"]?.asDouble, let hi = r["high"]?.asDouble else { break }
            return .float(rng.uniform(lo, hi))
        case "log_uniform":
            guard let lo = r["low"]?.asDouble, let hi = r["high"]?.asDouble, lo > 0, hi > 0 else { break }
            return .float(exp(rng.uniform(log(lo), log(hi))))
        case "int_uniform":
            guard case .int(let lo)? = r["low"], case .int(let hi)? = r["high"], hi >= lo else { break }
            let (span, overflow) = hi.subtractingReportingOverflow(lo)
            guard !overflow, span < Int.max else { break }
            return .int(lo + rng.int(below: span + 1))
        case "choice":
            guard case .list(let xs)? = r["options"], !xs.isEmpty else { break }
            return xs[rng.int(below: xs.count)]
        default: break
        }
        throw MullError("type-mismatch", "malformed distribution \(Value.record(r).repr)", at: range)
    }
}

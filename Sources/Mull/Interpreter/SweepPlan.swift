import Foundation
import MullLanguage
import MullRuntime

/// A sweep expanded into settings (combinations of varied fields) and trials (settings x seeds).
struct SweepPlan: @unchecked Sendable {
    struct Target {
        var component: ComponentValue
        var field: String
        /// The column name in results: the path as written (`planning_steps`, `maze.resolution`).
        var column: String
    }
    struct Dimension {
        var targets: [Target]
        /// One tuple of values (one per target) per point of this dimension.
        var points: [[Value]]
    }
    struct Setting {
        var index: Int
        /// (column, value) in declaration order.
        var parameters: [(String, Value)]
        var overrides: [ObjectIdentifier: [String: Value]]
    }

    var dimensions: [Dimension] = []
    var settings: [Setting] = []
    var seeds: Int
    var columns: [String] { dimensions.flatMap { $0.targets.map(\.column) } }
    var trialCount: Int { settings.count * seeds }

    /// Builds the plan for `sweep`, whose `agent` field names the agent to vary.
    init(sweep: ComponentValue, agent: ComponentValue, registry: ComponentRegistry, seeds: Int, samples: Int, sampleSeed: UInt64) throws {
        self.seeds = seeds
        for (k, vary) in sweep.varies.enumerated() {
            let targets = try vary.targets.map { try SweepPlan.resolve($0, agent: agent, registry: registry, at: vary.range) }
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
                points = (lo..<max(lo, hi)).map { [.int($0)] }
            case .record(let r) where r["distribution"] != nil:
                guard targets.count == 1 else { throw MullError("vary-shape", "random `vary` takes one field", at: vary.range) }
                var rng = RandomSource(seed: sampleSeed, stream: UInt64(k))
                points = try (0..<samples).map { _ in [try SweepPlan.draw(r, &rng, at: vary.range)] }
            default:
                throw MullError("type-mismatch", "`vary` takes a list of values, a range, or a distribution such as `log_uniform(0.01, 1)`, got \(vary.values.typeName)", at: vary.range)
            }
            if points.isEmpty { throw MullError("vary-shape", "`vary` has no values", at: vary.range) }
            dimensions.append(Dimension(targets: targets, points: points))
        }
        // Cartesian product of dimensions, the last varying fastest.
        var combos: [[Int]] = [[]]
        for d in dimensions { combos = combos.flatMap { c in (0..<d.points.count).map { c + [$0] } } }
        for (i, combo) in combos.enumerated() {
            var params: [(String, Value)] = []
            var overrides: [ObjectIdentifier: [String: Value]] = [:]
            for (d, p) in zip(dimensions, combo) {
                for (t, v) in zip(d.targets, d.points[p]) {
                    params.append((t.column, v))
                    overrides[ObjectIdentifier(t.component), default: [:]][t.field] = v
                }
            }
            settings.append(Setting(index: i, parameters: params, overrides: overrides))
        }
    }

    /// `f` is a field of the agent, else of its model, else of its environment; `a.f` names the
    /// component first (a field of the agent such as `env`, or a declared name).
    static func resolve(_ path: [String], agent: ComponentValue, registry: ComponentRegistry, at range: SourceRange?) throws -> Target {
        let column = path.joined(separator: ".")
        func schemaField(_ c: ComponentValue, _ name: String) -> String? {
            registry.schema(named: c.componentName)?.field(named: name)?.name
        }
        var candidates: [(String, ComponentValue)] = [("agent", agent)]
        for f in ["model", "env"] {
            if case .component(let c)? = agent.field(f) { candidates.append((f, c)) }
        }
        if path.count == 1 {
            for (_, c) in candidates { if let f = schemaField(c, path[0]) { return Target(component: c, field: f, column: column) } }
            let names = candidates.flatMap { registry.schema(named: $0.1.componentName)?.fields.map(\.name) ?? [] }
            throw MullError("unknown-field", "no field `\(path[0])` in the sweep's agent, its model or its environment", at: range,
                            suggestion: Suggest.closest(to: path[0], among: names).map { "did you mean `\($0)`?" })
        }
        guard path.count == 2 else { throw MullError("unknown-field", "`vary \(column)`: paths have at most two parts", at: range) }
        for (role, c) in candidates where role == path[0] || c.declaredName == path[0] {
            if let f = schemaField(c, path[1]) { return Target(component: c, field: f, column: column) }
            throw MullError("unknown-field", "`\(c.componentName)` has no field `\(path[1])`", at: range,
                            suggestion: Suggest.closest(to: path[1], among: registry.schema(named: c.componentName)?.fields.map(\.name) ?? []).map { "did you mean `\($0)`?" })
        }
        throw MullError("unknown-field", "`\(path[0])` is not the sweep's agent, its model or its environment", at: range)
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

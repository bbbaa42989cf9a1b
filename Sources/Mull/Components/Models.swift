import MullLanguage
import MullRuntime

/// A model component: configured in the script, made concrete once the agent that uses it
/// knows its environment's size.
final class ModelInstance: ComponentInstance, @unchecked Sendable {
    /// Lets `@Sendable` method closures reach the model (instances never cross threads while used).
    struct Parts: @unchecked Sendable { let model: any TabularModel; let pair: (Value, Value) throws -> (Int, Int) }
    enum Kind { case deterministic, stochastic, known }
    let kind: Kind
    let name: String
    private(set) var model: (any TabularModel)?
    private(set) var environment: DiscreteEnvironmentInstance?

    init(kind: Kind, name: String) {
        self.kind = kind
        self.name = name
    }

    /// The runtime model for `env` (made on first use; one model per agent).
    func materialize(for env: DiscreteEnvironmentInstance, at range: SourceRange?) throws -> any TabularModel {
        if let model { return model }
        let e = env.environment
        let m: any TabularModel
        switch kind {
        case .deterministic: m = DeterministicTabularModel(stateCount: e.stateCount, actionCount: e.actionCount)
        case .stochastic: m = StochasticTabularModel(stateCount: e.stateCount, actionCount: e.actionCount)
        case .known:
            if let g = e as? GridWorld, !g.changes.isEmpty {
                throw MullError("incompatible", "a `Known` model copies the maze once and would miss its wall changes; use `Tabular {}`", at: range)
            }
            guard let t = e as? any TabularDynamics else {
                throw MullError("incompatible", "a `Known` model needs an environment with an exact transition table", at: range)
            }
            m = ModelInstance.known(t)
        }
        model = m
        environment = env
        return m
    }

    private static func known<E: TabularDynamics>(_ e: E) -> any TabularModel { KnownTabularModel(e) }

    var typeName: String { "model \(name)" }
    var memberNames: [String] { ["predict", "transition", "sample", "known", "count"] }

    func member(_ member: String, context: CallContext) throws -> Value? {
        let describe = { (m: any TabularModel, env: DiscreteEnvironmentInstance) -> (Value, Value) throws -> (Int, Int) in
            { s, a in (try env.state(s), try env.action(a)) }
        }
        guard let model, let env = environment else {
            if memberNames.contains(member) {
                return .function(Function(native: member) { _, _ in
                    throw MullError("not-ready", "this model is not used by an agent yet; ask the agent's model, e.g. `dyna.model.\(member)(...)`", at: nil)
                })
            }
            return nil
        }
        let parts = Parts(model: model, pair: describe(model, env))
        switch member {
        case "predict":
            return .function(Function(native: "predict", parameters: ["state", "action"], doc: "the most likely outcome, or none if the pair was never tried") { args, _ in
                let model = parts.model
                let (s, a) = try parts.pair(args.positional.first ?? .null, args.positional.dropFirst().first ?? .null)
                guard let p = model.predict(s, a) else { return .null }
                return .record(Record([("next", .int(p.next)), ("reward", .float(p.reward)), ("done", .bool(p.terminated))]))
            })
        case "transition":
            return .function(Function(native: "transition", parameters: ["state", "action"], doc: "the distribution over outcomes") { args, _ in
                let model = parts.model
                let (s, a) = try parts.pair(args.positional.first ?? .null, args.positional.dropFirst().first ?? .null)
                return .list(model.distribution(s, a).map {
                    .record(Record([("p", .float($0.probability)), ("next", .int($0.next)), ("reward", .float($0.reward)), ("done", .bool($0.terminated))]))
                })
            })
        case "known":
            return .function(Function(native: "known", parameters: ["state", "action"]) { args, _ in
                let model = parts.model
                let (s, a) = try parts.pair(args.positional.first ?? .null, args.positional.dropFirst().first ?? .null)
                return .bool(model.isKnown(s, a))
            })
        case "count":
            return .function(Function(native: "count", parameters: ["state", "action"]) { args, _ in
                let model = parts.model
                let (s, a) = try parts.pair(args.positional.first ?? .null, args.positional.dropFirst().first ?? .null)
                return .int(model.count(s, a))
            })
        default: return nil
        }
    }

    func render(width: Int) -> String {
        let what: String
        switch kind {
        case .deterministic: what = "tabular model (last outcome seen)"
        case .stochastic: what = "tabular model (outcome counts)"
        case .known: what = "known model (the environment's exact dynamics)"
        }
        guard let model else { return "\(name): \(what), not used yet" }
        return "\(name): \(what), \(model.observedStateCount) states observed"
    }
}

enum ModelComponents {
    static func all() -> [ComponentDefinition] {
        [
            ComponentDefinition("Tabular", .model, doc: """
                A table learned from real transitions: by default the last outcome seen for each state and \
                action (Dyna-Q's model); with `stochastic: true`, counts of outcomes, sampled in proportion.
                """,
                fields: [Field("stochastic", .bool, .bool(false), doc: "keep outcome counts instead of the last outcome")],
                methods: modelMethods) { req in
                    ModelInstance(kind: try req.bool("stochastic") ? .stochastic : .deterministic, name: req.component.declaredName ?? "Tabular")
                },
            ComponentDefinition("Known", .model, doc: "The environment's own exact transition table, queried from any state.",
                                fields: [], methods: modelMethods) { req in
                ModelInstance(kind: .known, name: req.component.declaredName ?? "Known")
            },
        ]
    }

    static let modelMethods: [MethodSchema] = [
        MethodSchema(name: "predict", signature: "predict(state, action)", doc: "the most likely (next, reward, done), or none for an untried pair"),
        MethodSchema(name: "transition", signature: "transition(state, action)", doc: "every outcome with its probability"),
        MethodSchema(name: "known", signature: "known(state, action)", doc: "whether the model has an outcome for the pair"),
        MethodSchema(name: "count", signature: "count(state, action)", doc: "real transitions recorded for the pair"),
    ]
}

import MullLanguage
import MullRuntime

/// An `Ensemble` model: its settings from the script, and the live model once an agent that
/// plans through it has built it (for the REPL's questions).
final class EnsembleModelInstance: ComponentInstance, @unchecked Sendable {
    let name: String
    let settings: EnsembleSettings
    /// The learned model, once an agent uses it.
    var live: (any AnyEnsembleModel)?

    init(name: String, settings: EnsembleSettings) {
        self.name = name
        self.settings = settings
    }

    var typeName: String { "model \(name)" }
    var memberNames: [String] { ["predict", "disagreement", "rollout", "scores", "elite_members", "rounds", "transitions"] }

    func member(_ member: String, context: CallContext) throws -> Value? {
        guard memberNames.contains(member) else { return nil }
        guard let model = live else {
            throw MullError("not-ready", "the model `\(name)` is not used by an agent yet; ask the agent's model after running it, e.g. `pets.run(episodes: 1)` then `pets.model.\(member)`", at: nil)
        }
        let box = Box(model)
        switch member {
        case "elite_members": return .list(model.elites.map { .int($0) })
        case "transitions": return .int(model.transitions)
        case "rounds": return .int(model.rounds.count)
        case "scores":
            guard let r = model.rounds.last else { return Value.null }
            return .record(Record([
                ("mse", .list(r.validationMSE.map { .float($0) })),
                ("nll", .list(r.validationNLL.map { .float($0) })),
                ("elites", .list(r.elites.map { .int($0) })),
                ("epochs", .int(r.epochs)),
                ("transitions", .int(r.transitions)),
            ]))
        case "predict":
            return .function(Function(native: "predict", parameters: ["state", "action"],
                                      doc: "the elites' prediction: mean and std per dimension, and each member's mean") { args, _ in
                let (s, a) = try EnsembleModelInstance.pair(args, box.model)
                let members = box.model.predict(observation: s, action: a)
                let elites = members.prefix(box.model.elites.count)
                let (mean, std) = EnsembleModelInstance.mixture(Array(elites))
                return .record(Record([
                    ("mean", .list(mean.map { .float($0) })),
                    ("std", .list(std.map { .float($0) })),
                    ("members", .list(members.map { m in
                        .record(Record([("member", .int(m.member)), ("mean", .list(m.mean.map { .float($0) })),
                                        ("std", .list(m.std.map { .float($0) }))]))
                    })),
                ]))
            })
        case "disagreement":
            return .function(Function(native: "disagreement", parameters: ["state", "action"],
                                      doc: "the standard deviation of the elites' means, per dimension (epistemic uncertainty)") { args, _ in
                let (s, a) = try EnsembleModelInstance.pair(args, box.model)
                let elites = box.model.predict(observation: s, action: a).prefix(box.model.elites.count)
                let n = Double(elites.count)
                let dims = elites.first?.mean.count ?? 0
                return .list((0..<dims).map { j in
                    let m = elites.reduce(0) { $0 + $1.mean[j] } / n
                    return .float((elites.reduce(0) { $0 + ($1.mean[j] - m) * ($1.mean[j] - m) } / n).squareRoot())
                })
            })
        case "rollout":
            return .function(Function(native: "rollout", parameters: ["state", "actions"],
                                      doc: "the elites' predictions along an action sequence beside the true ones, with the error per step") { args, _ in
                guard let sv = args.label("state") ?? args.positional.first,
                      case .list(let av)? = args.label("actions") ?? args.positional.dropFirst().first, !av.isEmpty else {
                    throw MullError("arity", "give a state and a non-empty list of actions: `rollout(state, [a1, a2, ...])`", at: nil)
                }
                let model = box.model
                let s = try PlannerInstance.stateValues(sv)
                guard s.count == model.observationLength else {
                    throw MullError("invalid-state", "a state of this model has \(model.observationLength) numbers (the task's observation), got \(s.count)", at: nil)
                }
                guard av.count <= 10_000 else {
                    throw MullError("invalid-argument", "a rollout takes at most 10,000 actions, got \(av.count)", at: nil)
                }
                let actions = try av.map { v -> [Double] in
                    let a = try PlannerInstance.stateValues(v)
                    guard a.count == model.actionLength else {
                        throw MullError("invalid-action", "an action of this model has \(model.actionLength) number\(model.actionLength == 1 ? "" : "s"), got \(a.count)", at: nil)
                    }
                    return a
                }
                let r = model.rollout(observation: s, actions: actions)
                func rows(_ xs: [[Double]]) -> Value { .list(xs.map { .list($0.map { .float($0) }) }) }
                return .record(Record([
                    ("mean", rows(r.mean)),
                    ("spread", rows(r.spread)),
                    ("truth", r.truth.map(rows) ?? .null),
                    ("error", r.error.map { .list($0.map { .float($0) }) } ?? .null),
                ]))
            })
        default: return nil
        }
    }

    struct Box: @unchecked Sendable {
        let model: any AnyEnsembleModel
        init(_ m: any AnyEnsembleModel) { model = m }
    }

    static func pair(_ args: Arguments, _ model: any AnyEnsembleModel) throws -> ([Double], [Double]) {
        guard let sv = args.label("state") ?? args.positional.first, let av = args.label("action") ?? args.positional.dropFirst().first else {
            throw MullError("arity", "give a state and an action: `predict(state, action)`", at: nil)
        }
        let s = try PlannerInstance.stateValues(sv)
        let a = try PlannerInstance.stateValues(av)
        guard s.count == model.observationLength else {
            throw MullError("invalid-state", "a state of this model has \(model.observationLength) numbers (the task's observation), got \(s.count)", at: nil)
        }
        guard a.count == model.actionLength else {
            throw MullError("invalid-action", "an action of this model has \(model.actionLength) number\(model.actionLength == 1 ? "" : "s"), got \(a.count)", at: nil)
        }
        return (s, a)
    }

    /// Mean and standard deviation of the equal mixture of the members' Gaussians.
    static func mixture(_ ms: [(member: Int, mean: [Double], std: [Double])]) -> ([Double], [Double]) {
        guard let first = ms.first else { return ([], []) }
        let n = Double(ms.count)
        var mean = [Double](repeating: 0, count: first.mean.count), std = mean
        for j in mean.indices {
            mean[j] = ms.reduce(0) { $0 + $1.mean[j] } / n
            let second = ms.reduce(0) { $0 + $1.std[j] * $1.std[j] + $1.mean[j] * $1.mean[j] } / n
            std[j] = max(0, second - mean[j] * mean[j]).squareRoot()
        }
        return (mean, std)
    }

    func render(width: Int) -> String {
        let s = settings
        let what = "ensemble of \(s.members) (\(s.elites) elites), hidden \(s.hidden.map(String.init).joined(separator: "x")) \(s.activation.rawValue), \(s.probabilistic ? "Gaussian" : "deterministic") outputs, \(s.propagation.rawValue) with \(s.particles) particles"
        guard let live else { return "\(name): \(what), not used yet" }
        return "\(name): \(what); \(live.rounds.count) training rounds on \(live.transitions) transitions"
    }
}

enum LearnedModelComponents {
    static let methods: [MethodSchema] = [
        MethodSchema(name: "predict", signature: "predict(state, action)", doc: "the elites' predicted next observation: mean and std per dimension, and each member's"),
        MethodSchema(name: "disagreement", signature: "disagreement(state, action)", doc: "spread of the elites' means per dimension"),
        MethodSchema(name: "scores", signature: "scores", doc: "the last training round: per-member validation MSE and NLL, elites, epochs, transitions"),
        MethodSchema(name: "elite_members", signature: "elite_members", doc: "the members used for prediction, best first (`elites` is how many)"),
        MethodSchema(name: "rounds", signature: "rounds", doc: "training rounds so far"),
        MethodSchema(name: "transitions", signature: "transitions", doc: "real transitions stored"),
    ]

    static var definition: ComponentDefinition {
        let d = EnsembleSettings()
        return ComponentDefinition("Ensemble", .model, doc: """
            A probabilistic ensemble of neural networks learned from real transitions (PETS, Chua et al. 2018): \
            each member predicts the change of the observation, with a Gaussian mean and variance, from the \
            normalised observation and action; planners propagate particles through the elites. One member \
            with `probabilistic: false` is a single deterministic network.
            """,
            fields: [
                Field("members", .int, .int(d.members), min: 1, max: 100, aliases: ["ensemble_size"], doc: "networks in the ensemble"),
                Field("elites", .int, .int(d.elites), min: 1, max: 100, atMost: "members", doc: "members with the best validation error used for prediction (at most `members`)"),
                Field("hidden", .list(.int), .list(d.hidden.map { .int($0) }), doc: "widths of the hidden layers"),
                Field("activation", .symbol(activationNames), .symbol("silu"), doc: "nonlinearity between layers"),
                Field("probabilistic", .bool, .bool(true), doc: "Gaussian outputs trained by negative log-likelihood; false: means trained by squared error"),
                Field("learn_logvar_bounds", .bool, .bool(false), doc: "train the soft log-variance bounds (0.5 and -10)"),
                Field("learning_rate", .float, .float(d.learningRate), min: 0, max: 1, exclusiveMinimum: true, aliases: ["lr"], doc: "Adam's step size"),
                Field("weight_decay", .float, .float(d.weightDecay), min: 0, max: 1, doc: "L2 penalty added to the gradient"),
                Field("batch_size", .int, .int(d.batchSize), min: 1, max: 1_000_000, doc: "rows per member per training step"),
                Field("validation", .float, .float(d.validationFraction), min: 0, max: 0.9, doc: "fraction of the data held out to score members (0: score on the training data)"),
                Field("patience", .int, .int(d.patience), min: 1, max: 100_000, doc: "epochs without a 1% improvement before training stops"),
                Field("epochs", .int, .int(d.maxEpochs), min: 1, max: 100_000, doc: "most epochs per training round"),
                Field("propagation", .symbol(Propagation.allCases.map(\.rawValue)), .symbol("ts1"), doc: "how particles move through the ensemble: `.ts1`, `.tsinf`, `.expectation`, `.mean`"),
                Field("particles", .int, .int(d.particles), min: 1, max: 10_000, doc: "particles per planned sequence"),
                Field("learn_reward", .bool, .bool(false), doc: "learn the reward as an extra output instead of taking it from the task"),
                Field("buffer_size", .int, .int(d.bufferCapacity), min: 1, max: 100_000_000, doc: "real transitions kept (the oldest are overwritten)"),
            ],
            provides: [.continuousStates, .continuousActions, .simulatable],
            methods: methods) { req in
            var s = EnsembleSettings()
            s.members = try req.int("members")
            s.elites = try req.int("elites")
            s.hidden = try hiddenWidths(req)
            s.activation = try activation(req)
            s.probabilistic = try req.bool("probabilistic")
            s.learnLogVarianceBounds = try req.bool("learn_logvar_bounds")
            s.learningRate = try req.double("learning_rate")
            s.weightDecay = try req.double("weight_decay")
            s.batchSize = try req.int("batch_size")
            s.validationFraction = try req.double("validation")
            s.patience = try req.int("patience")
            s.maxEpochs = try req.int("epochs")
            s.propagation = Propagation(rawValue: try req.symbol("propagation")) ?? .ts1
            s.particles = try req.int("particles")
            s.learnReward = try req.bool("learn_reward")
            s.bufferCapacity = try req.int("buffer_size")
            guard s.elites <= s.members else {
                throw req.error("elites", "`elites` (\(s.elites)) cannot exceed `members` (\(s.members))")
            }
            do { try s.validate() } catch let e as RuntimeError { throw req.error("hidden", e.message) }
            return EnsembleModelInstance(name: req.component.declaredName ?? "Ensemble", settings: s)
        }
    }

    /// The `hidden` field: one or more layer widths.
    static func hiddenWidths(_ req: BuildRequest) throws -> [Int] {
        guard case .list(let widths) = req.value("hidden") else { throw req.error("hidden", "`hidden` is a list of layer widths") }
        let out = try widths.map {
            guard case .int(let w) = $0, w >= 1, w <= 100_000 else { throw req.error("hidden", "each hidden width must be an integer between 1 and 100000") }
            return w
        }
        guard !out.isEmpty else { throw req.error("hidden", "`hidden` needs at least one layer width") }
        return out
    }

    /// The `activation` field.
    static func activation(_ req: BuildRequest) throws -> Activation {
        let act = try req.symbol("activation")
        return act == "leaky_relu" ? .leakyReLU : Activation(rawValue: act) ?? .silu
    }

    static var activationNames: [String] { Activation.allCases.map { $0 == .leakyReLU ? "leaky_relu" : $0.rawValue } }
}

import MullLanguage
import MullRuntime

/// A replay learner (SAC, DQN, MBPO) with its task: what sweeps run and the REPL questions.
final class LearnerInstance: EpisodicAgentInstance, @unchecked Sendable {
    var episodicAgent: any PlanningAgent { agent }
    var hostErrorPending: Bool { false }
    func checkHostErrors() throws {}
    let name: String
    let componentName: String
    let agent: any ReplayAgentProtocol
    /// What built it, so MBPO can build its own learner of the same settings.
    let spec: ReplayAgentSpec
    let env: ControlEnvironmentInstance
    var environmentName: String { env.name }
    var actionNames: [String] { env.actionNames }
    var maxEpisodeSteps: Int? { env.maxEpisodeSteps }
    var rng: RandomSource
    var episodesRun = 0
    /// The live ensemble (MBPO).
    var model: EnsembleModelInstance?

    init(name: String, componentName: String, agent: any ReplayAgentProtocol, spec: ReplayAgentSpec, env: ControlEnvironmentInstance,
         rng: RandomSource) {
        self.name = name
        self.componentName = componentName
        self.agent = agent
        self.spec = spec
        self.env = env
        self.rng = rng
    }

    var typeName: String { "agent \(name)" }
    var memberNames: [String] {
        ["train", "run", "policy", "q", "evaluate", "explain", "real_steps", "updates", "episodes", "buffer", "evaluations", "losses"]
            + (model == nil ? [] : ["model", "current_rollout_length", "model_steps"])
    }

    func member(_ member: String, context: CallContext) throws -> Value? {
        switch member {
        case "real_steps": return .int(agent.realSteps)
        case "updates": return .int(agent.updates)
        case "episodes": return .int(episodesRun)
        case "losses": return .string(agent.lossReport)
        case "model" where model != nil: return .object(model!)
        case "model_steps" where model != nil: return .int(agent.modelSteps)
        case "current_rollout_length" where model != nil: return agent.rolloutLength.map { .int($0) } ?? Value.null
        case "buffer":
            var fields: [(String, Value)] = [("real", .int(agent.realBufferCount))]
            if let m = agent.modelBufferCount { fields.append(("model", .int(m))) }
            return .record(Record(fields))
        case "evaluations":
            return .list(agent.evaluations.map { .record(Record([("steps", .int($0.steps)), ("return", .float($0.meanReturn))])) })
        case "train", "run":
            return .function(Function(native: member, parameters: ["steps", "episodes"],
                                      doc: "continues learning for real steps or episodes; returns a summary") { [self] args, ctx in
                try train(args, ctx, verb: member)
            })
        case "policy":
            return .function(Function(native: "policy", parameters: ["state", "explore"],
                                      doc: "the policy's action at an observation: deterministic, or a sample with `explore: true`") { [self] args, _ in
                let obs = try observation(args)
                let explore = (args.label("explore") ?? (args.positional.count > 1 ? args.positional[1] : nil))?.isTruthy ?? false
                let a = try invalidState { try agent.policy(obs, explore: explore) }
                return actionValue(a)
            })
        case "q":
            return .function(Function(native: "q", parameters: ["state", "action"],
                                      doc: "Q-values at an observation: one per action (DQN), or the critics' value of an action (SAC; default: the policy's)") { [self] args, _ in
                let obs = try observation(args)
                var action: [Double]? = nil
                if let a = args.label("action") ?? (args.positional.count > 1 ? args.positional[1] : nil) {
                    action = try actionNumbers(a)
                } else if actionNames.isEmpty {
                    action = try invalidState { try agent.policy(obs, explore: false) }
                }
                let qs = try invalidState { try agent.q(obs, action: action) }
                if qs.count == 1 { return .float(qs[0]) }
                return .record(Record(qs.enumerated().map { (actionNames.count > $0.offset ? actionNames[$0.offset] : String($0.offset), .float($0.element)) }))
            })
        case "evaluate":
            return .function(Function(native: "evaluate", parameters: ["episodes"],
                                      doc: "the mean return of the deterministic policy over episodes (default 10) from the evaluation start states") { [self] args, _ in
                var n = 10
                if case .int(let k)? = args.label("episodes") ?? args.positional.first { n = k }
                guard n >= 1 && n <= 100_000 else { throw MullError("out-of-range", "`evaluate(episodes: n)` takes 1 to 100000 episodes", at: nil) }
                return .float(agent.evaluate(episodes: n, maxSteps: maxEpisodeSteps))
            })
        case "explain":
            return .function(Function(native: "explain", parameters: ["state"],
                                      doc: "what the agent would do at an observation (default: a start state) and why: action, Q-values, losses") { [self] args, _ in
                let state = try (args.label("state") ?? args.positional.first).map(PlannerInstance.stateValues)
                return .object(TextBlock(try invalidState { try agent.explain(state: state, depth: 1, rng: &rng) }))
            })
        default: return nil
        }
    }

    func invalidState<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as RuntimeError { throw MullError("invalid-state", e.message, at: nil) }
    }

    func observation(_ args: Arguments) throws -> [Double] {
        guard let s = args.label("state") ?? args.positional.first else {
            throw MullError("arity", "give an observation: a list of numbers", at: nil)
        }
        return try PlannerInstance.stateValues(s)
    }

    func actionNumbers(_ v: Value) throws -> [Double] {
        if case .symbol(let s) = v, let i = actionNames.firstIndex(of: s) { return [Double(i)] }
        return try PlannerInstance.stateValues(v)
    }

    func actionValue(_ a: [Double]) -> Value {
        guard !actionNames.isEmpty, let x = a.first, x >= 0, x < Double(actionNames.count), case let i = Int(x) else {
            return a.count == 1 ? .float(a[0]) : .list(a.map { .float($0) })
        }
        return .symbol(actionNames[i])
    }

    func train(_ args: Arguments, _ ctx: CallContext, verb: String) throws -> Value {
        let keepGoing = ctx.nativeCheck()
        let evaluationsBefore = agent.evaluations.count
        let eps: [PlannerEpisode]
        if case .int(let n)? = args.label("steps"), n >= 0 {
            eps = try runtime { try agent.episodes(steps: n, maxSteps: maxEpisodeSteps, rng: &rng, shouldContinue: keepGoing) }
        } else if case .int(let n)? = args.label("episodes") ?? (args.label("steps") == nil ? args.positional.first : nil), n >= 0 {
            eps = try runtime { try agent.episodes(n, maxSteps: maxEpisodeSteps, rng: &rng, shouldContinue: keepGoing) }
        } else {
            throw MullError("arity", "give `\(verb)(steps: n)` or `\(verb)(episodes: n)` with n >= 0", at: nil)
        }
        episodesRun += eps.count
        try ctx.throwIfNativeStopped("interrupted after \(eps.count) episode\(eps.count == 1 ? "" : "s"); what was learned is kept: \(agent.realSteps) real steps and \(agent.updates) updates so far")
        let returns = eps.map(\.totalReward)
        let evaluations = agent.evaluations[evaluationsBefore...]
        var fields: [(String, Value)] = [
            ("episodes", .int(eps.count)),
            ("returns", .list(returns.map { .float($0) })),
            ("mean_return", eps.isEmpty ? .null : .float(returns.reduce(0, +) / Double(eps.count))),
            ("real_steps", .int(agent.realSteps)),
            ("updates", .int(agent.updates)),
            ("evaluations", .list(evaluations.map { .record(Record([("steps", .int($0.steps)), ("return", .float($0.meanReturn))])) })),
        ]
        if model != nil {
            fields.append(("model_error", .list(eps.map { $0.modelError.map(Value.float) ?? .null })))
            fields.append(("training_rounds", .list(eps.map { .int($0.trainingRounds) })))
        }
        return .record(Record(fields))
    }

    func runtime<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as RuntimeError { throw MullError("learner-failed", "`\(name)`: \(e.message)", at: nil) }
    }

    func render(width: Int) -> String {
        "\(name) = \(agent.learnerName) on \(environmentName): \(agent.realSteps) real steps, \(agent.updates) updates, \(episodesRun) episodes"
    }
}

enum LearnerComponents {
    static let methods: [MethodSchema] = [
        MethodSchema(name: "train", signature: "train(steps: n) / train(episodes: n)", doc: "continues learning from where the agent stands; returns the episodes' returns and the evaluations made"),
        MethodSchema(name: "run", signature: "run(steps: n)", doc: "the same as `train`"),
        MethodSchema(name: "policy", signature: "policy(state, explore: false)", doc: "the action at an observation: deterministic (the squashed mean, the greedy action) or sampled"),
        MethodSchema(name: "q", signature: "q(state) / q(state, action)", doc: "Q-values: per action (DQN), or the twin critics' minimum (SAC; default action: the policy's)"),
        MethodSchema(name: "evaluate", signature: "evaluate(episodes: 10)", doc: "mean return of the deterministic policy"),
        MethodSchema(name: "explain", signature: "explain(state)", doc: "the action, Q-values and last losses at an observation"),
        MethodSchema(name: "real_steps", signature: "real_steps", doc: "real steps taken, warm-up included"),
        MethodSchema(name: "updates", signature: "updates", doc: "gradient updates so far"),
        MethodSchema(name: "buffer", signature: "buffer", doc: "transitions kept: `(real: n)`, and `model: n` imagined ones for MBPO"),
        MethodSchema(name: "evaluations", signature: "evaluations", doc: "every evaluation so far: `(steps, return)`"),
        MethodSchema(name: "losses", signature: "losses", doc: "the last update's losses"),
        MethodSchema(name: "model", signature: "model", doc: "MBPO: the live ensemble (`predict`, `disagreement`, `rollout`, `scores`)"),
        MethodSchema(name: "current_rollout_length", signature: "current_rollout_length", doc: "MBPO: the length the branched rollouts have now (scheduled or adaptive; `rollout_length` is the setting)"),
    ]

    static let needsContinuous = Requirement(field: "env", needs: [.continuousStates, .continuousActions],
                                             reason: "SAC's actor outputs continuous actions (use DQN on discrete actions)")
    static let needsDiscrete = Requirement(field: "env", needs: [.continuousStates, .discreteActions],
                                           reason: "DQN outputs one value per discrete action (use SAC on continuous actions)")

    /// The loop's fields, on SAC and DQN and on MBPO (whose loop replaces its learner's).
    static func loopFields(warmup: Int, updates: Int, every: Int, evaluateEvery: Int) -> [Field] {
        [
            Field("warmup_steps", .int, .int(warmup), min: 0, max: 100_000_000, doc: "real steps of uniformly random actions at the start (counted as real steps; updates start after them)"),
            Field("updates_per_step", .int, .int(updates), min: 0, max: 10_000, doc: "gradient updates every `update_every` real steps"),
            Field("update_every", .int, .int(every), min: 1, max: 100_000_000, doc: "real steps between rounds of updates"),
            Field("evaluate_every", .int, .int(evaluateEvery), min: 0, max: 100_000_000, doc: "real steps between evaluations of the deterministic policy, recorded as `.eval_return` (0: none)"),
            Field("evaluation_episodes", .int, .int(10), min: 1, max: 100_000, doc: "episodes per evaluation, from the same start states each time"),
        ]
    }

    static let loopFieldNames = ["warmup_steps", "updates_per_step", "update_every", "evaluate_every", "evaluation_episodes"]

    static func loop(_ req: BuildRequest, buffer: Bool) throws -> ReplaySettings {
        var s = ReplaySettings()
        s.warmupSteps = try req.int("warmup_steps")
        s.updatesPerStep = try req.int("updates_per_step")
        s.updateEvery = try req.int("update_every")
        s.evaluateEvery = try req.int("evaluate_every")
        s.evaluationEpisodes = try req.int("evaluation_episodes")
        if buffer { s.bufferCapacity = try req.int("buffer_size") }
        return s
    }

    static func network(hidden: [Int], activation: String) -> [Field] {
        [
            Field("hidden", .list(.int), .list(hidden.map { .int($0) }), doc: "widths of the hidden layers of every network"),
            Field("activation", .symbol(LearnedModelComponents.activationNames), .symbol(activation), doc: "nonlinearity between layers"),
        ]
    }

    /// A learner on its own `env`.
    static func build(_ req: BuildRequest, _ spec: ReplayAgentSpec) throws -> LearnerInstance {
        guard let e = try req.component("env") else { throw req.error("env", "\(spec.learner.name) needs `env`") }
        return try build(req, spec, env: e, at: "env")
    }

    static func build(_ req: BuildRequest, _ spec: ReplayAgentSpec, env e: any ComponentInstance, at field: String) throws -> LearnerInstance {
        guard let c = e as? ControlEnvironmentInstance else {
            throw req.error(field, "\(spec.learner.name) learns on the classic-control tasks (CartPole, Acrobot, MountainCar, Pendulum, ...)")
        }
        var random = req.context.makeRandom()
        let agent: any ReplayAgentProtocol = try runtimeErrors(at: req) {
            do {
                return try ReplayAgents.make(environment: c.environment, spec: spec, seed: random.next())
            } catch let e as RuntimeError {
                throw MullError("incompatible", "\(req.schema.name) on `\(c.name)`: \(e.message)", at: req.range(of: field))
            }
        }
        return LearnerInstance(name: req.component.declaredName ?? req.schema.name, componentName: req.schema.name, agent: agent,
                               spec: spec, env: c, rng: random)
    }

    static func all() -> [ComponentDefinition] {
        let sac = SACSettings(), dqn = DQNSettings()
        return [
            ComponentDefinition("SAC", .agent, doc: "Soft actor-critic (Haarnoja et al. 2018) for continuous actions: a tanh-squashed Gaussian actor, twin Q-networks with Polyak-averaged targets, automatic entropy tuning, and a replay buffer; the defaults are the paper's.",
                                fields: learnerFields(task: "continuous actions", hidden: sac.hidden, learningRate: sac.learningRate,
                                                      learningRateDoc: "Adam's step size for actor, critics and temperature",
                                                      batchSize: sac.batchSize, gamma: sac.gamma, buffer: 1_000_000) + [
                                    Field("tau", .float, .float(sac.tau), min: 0, max: 1, exclusiveMinimum: true, doc: "Polyak factor of the target critics' update"),
                                    Field("alpha", .float, .float(sac.initialAlpha), min: 0, exclusiveMinimum: true, doc: "the entropy temperature to start from (kept, without `tune_entropy`)"),
                                    Field("tune_entropy", .bool, .bool(true), doc: "learn the temperature so the policy's entropy stays near `target_entropy`"),
                                    Field("target_entropy", .float, doc: "the entropy aimed at (default: minus the number of action dimensions)"),
                                    Field("target_update_interval", .int, .int(1), min: 1, max: 1_000_000, doc: "updates between soft updates of the target critics"),
                                ] + loopFields(warmup: 1000, updates: 1, every: 1, evaluateEvery: 0),
                                requirements: [needsContinuous], methods: methods) { req in
                var s = SACSettings()
                (s.hidden, s.activation, s.learningRate, s.batchSize, s.gamma) = try learnerCommon(req)
                s.tau = try req.double("tau")
                s.initialAlpha = try req.double("alpha")
                s.tuneEntropy = try req.bool("tune_entropy")
                s.targetEntropy = try req.optionalDouble("target_entropy")
                s.targetUpdateInterval = try req.int("target_update_interval")
                return try build(req, ReplayAgentSpec(learner: .sac(s), loop: try loop(req, buffer: true)))
            },
            ComponentDefinition("DQN", .agent, doc: "Deep Q-learning (Mnih et al. 2015) with double-DQN targets (van Hasselt et al. 2016), the Huber loss, a target network and epsilon-greedy exploration; the defaults are rl-baselines3-zoo's tuned CartPole-v1 settings.",
                                fields: learnerFields(task: "discrete actions", hidden: dqn.hidden, learningRate: dqn.learningRate,
                                                      learningRateDoc: "Adam's step size", batchSize: dqn.batchSize, gamma: dqn.gamma,
                                                      buffer: 100_000) + [
                                    Field("target_update_interval", .int, .int(dqn.targetUpdateInterval), min: 1, max: 100_000_000, doc: "real steps between copies of the online network into the target network"),
                                    Field("double", .bool, .bool(true), doc: "double DQN: the online network picks the next action, the target network values it"),
                                    Field("max_grad_norm", .float, .float(10), min: 0, exclusiveMinimum: true, doc: "clip the gradient's norm to this"),
                                ] + AgentComponents.epsilonFields(start: 1, end: 0.04, steps: 8_000)
                                  + loopFields(warmup: 1000, updates: 128, every: 256, evaluateEvery: 0),
                                requirements: [needsDiscrete], methods: methods) { req in
                var s = DQNSettings()
                (s.hidden, s.activation, s.learningRate, s.batchSize, s.gamma) = try learnerCommon(req)
                s.targetUpdateInterval = try req.int("target_update_interval")
                s.double = try req.bool("double")
                s.maxGradientNorm = try req.double("max_grad_norm")
                s.epsilon = try AgentComponents.epsilonSchedule(req)
                return try build(req, ReplayAgentSpec(learner: .dqn(s), loop: try loop(req, buffer: true)))
            },
            mbpo,
        ]
    }

    /// The fields SAC and DQN share: the task, the networks, Adam's step size, the batch, the
    /// discount and the buffer.
    static func learnerFields(task: String, hidden: [Int], learningRate: Double, learningRateDoc: String, batchSize: Int,
                              gamma: Double, buffer: Int) -> [Field] {
        [Field("env", .component(.env), required: true, doc: "the task (a classic-control task with \(task))")]
            + network(hidden: hidden, activation: "relu") + [
                Field("learning_rate", .float, .float(learningRate), min: 0, max: 1, exclusiveMinimum: true, aliases: ["lr"], doc: learningRateDoc),
                Field("batch_size", .int, .int(batchSize), min: 1, max: 100_000, doc: "transitions per update"),
                Field("gamma", .float, .float(gamma), min: 0, max: 1, aliases: ["discount"], doc: "discount factor"),
                Field("buffer_size", .int, .int(buffer), min: 1, max: 100_000_000, doc: "real transitions kept (the oldest are overwritten)"),
            ]
    }

    /// Reads `learnerFields` (the buffer goes with the loop), checking the networks' size.
    static func learnerCommon(_ req: BuildRequest) throws -> (hidden: [Int], activation: Activation, learningRate: Double, batchSize: Int, gamma: Double) {
        let hidden = try LearnedModelComponents.hiddenWidths(req)
        var weights = 0.0
        for (a, b) in zip(hidden, hidden.dropFirst()) { weights += Double(a) * Double(b) }
        guard weights <= 50_000_000 else {
            throw req.error("hidden", "hidden layers \(hidden) have over 50 million weights per network; use narrower layers")
        }
        return (hidden, try LearnedModelComponents.activation(req), try req.double("learning_rate"), try req.int("batch_size"),
                try req.double("gamma"))
    }

    static var mbpo: ComponentDefinition {
        let d = BranchedRolloutSettings()
        return ComponentDefinition("MBPO", .agent, doc: "Model-based policy optimisation (Janner et al. 2019): a learned ensemble is retrained every `train_every` real steps, short rollouts branched from real states follow the learner's policy through it, and the learner (SAC or DQN) trains on a mix of real and imagined transitions.",
                                   fields: [
                                       Field("learner", .component(.agent), required: true, doc: "the model-free learner, a `SAC` or `DQN` agent: MBPO's task and learning settings; MBPO's loop fields (warm-up, updates, evaluations) are those given to MBPO, else those written on the learner, else MBPO's defaults"),
                                       Field("model", .component(.model), required: true, doc: "the learned `Ensemble`"),
                                       Field("rollouts_per_step", .int, .int(d.rolloutsPerStep), min: 1, max: 100_000, doc: "rollouts branched per real step (made together after each training round)"),
                                       Field("rollout_length", .oneOf([.int, .list(.int)]), .int(1), doc: "steps per rollout: a number, or MBPO's schedule `[e0, e1, k0, k1]` (k grows from k0 to k1 between epochs e0 and e1)"),
                                       Field("rollout_error_threshold", .float, min: 0, exclusiveMinimum: true, doc: "adaptive length: the longest k (up to `max_rollout_length`) whose k-step model error on the newest real transitions stays under this mean squared error"),
                                       Field("max_rollout_length", .int, .int(30), min: 1, max: 1000, doc: "the longest adaptive rollout"),
                                       Field("epoch_length", .int, .int(d.epochLength), min: 1, max: 100_000_000, doc: "real steps per epoch (for the schedule and the model buffer)"),
                                       Field("retain_epochs", .int, .int(d.retainEpochs), min: 1, max: 1000, doc: "epochs of rollouts the model buffer keeps"),
                                       Field("real_ratio", .float, .float(d.realRatio), min: 0, max: 1, doc: "share of real transitions in each learner batch"),
                                       Field("train_every", .int, .int(d.trainEvery), min: 1, max: 100_000_000, doc: "real steps between model training rounds (and rollouts)"),
                                   ] + loopFields(warmup: 1000, updates: 20, every: 1, evaluateEvery: 0),
                                   requirements: [], methods: methods) { req in
            guard let l = try req.component("learner") as? LearnerInstance, l.spec.model == nil else {
                throw req.error("learner", "MBPO's `learner` is a `SAC` or `DQN` agent")
            }
            guard let ens = try req.component("model") as? EnsembleModelInstance else {
                throw req.error("model", "MBPO's `model` is a learned `Ensemble`")
            }
            var b = BranchedRolloutSettings()
            b.rolloutsPerStep = try req.int("rollouts_per_step")
            b.epochLength = try req.int("epoch_length")
            b.retainEpochs = try req.int("retain_epochs")
            b.realRatio = try req.double("real_ratio")
            b.trainEvery = try req.int("train_every")
            let maximum = try req.int("max_rollout_length")
            if let threshold = try req.optionalDouble("rollout_error_threshold") {
                if req.has("rollout_length") {
                    throw req.error("rollout_error_threshold", "give `rollout_length` (fixed or scheduled) or `rollout_error_threshold` (adaptive), not both")
                }
                b.length = .adaptive(threshold: threshold, maximum: maximum)
            } else {
                switch req.value("rollout_length") {
                case .int(let k):
                    guard k >= 1 && k <= 1000 else { throw req.error("rollout_length", "`rollout_length` must be between 1 and 1000, got \(k)") }
                    b.length = .fixed(k)
                case .list(let xs):
                    let n = xs.compactMap { v -> Int? in if case .int(let i) = v { return i } else { return nil } }
                    guard n.count == 4, xs.count == 4, n[0] >= 0, n[1] >= n[0], n[2] >= 1, n[3] >= 1, n[2] <= 1000, n[3] <= 1000 else {
                        throw req.error("rollout_length", "a rollout schedule is `[e0, e1, k0, k1]`: epochs 0 <= e0 <= e1 and lengths 1 to 1000")
                    }
                    b.length = .schedule(fromEpoch: n[0], toEpoch: n[1], from: n[2], to: n[3])
                default:
                    throw req.error("rollout_length", "`rollout_length` is a number or `[e0, e1, k0, k1]`")
                }
            }
            let capacity = Double(b.length.maximum) * Double(b.rolloutsPerStep) * Double(b.trainEvery)
                * Double((b.epochLength + b.trainEvery - 1) / b.trainEvery) * Double(b.retainEpochs)
            guard capacity <= 50_000_000 else {
                throw req.error("rollouts_per_step", "the model buffer would keep \(Int(min(capacity, 1e15))) imagined transitions (rollout length x rollouts per step x train_every x epochs kept); at most 50 million")
            }
            var spec = l.spec
            // MBPO runs the loop: its own fields, else those written on the learner, else its defaults.
            var mine = try loop(req, buffer: false)
            if case .component(let c) = req.value("learner") {
                let theirs = l.spec.loop
                for f in loopFieldNames where !req.has(f) && c.field(f) != nil {
                    switch f {
                    case "warmup_steps": mine.warmupSteps = theirs.warmupSteps
                    case "updates_per_step": mine.updatesPerStep = theirs.updatesPerStep
                    case "update_every": mine.updateEvery = theirs.updateEvery
                    case "evaluate_every": mine.evaluateEvery = theirs.evaluateEvery
                    default: mine.evaluationEpisodes = theirs.evaluationEpisodes
                    }
                }
            }
            spec.loop = mine
            spec.loop.bufferCapacity = ens.settings.bufferCapacity
            spec.model = LearnedModelSpec(name: ens.name, ensemble: ens.settings)
            spec.branched = b
            let instance = try build(req, spec, env: l.env, at: "learner")
            if let live = instance.agent.ensembleModel {
                if req.context.shareWithSession { ens.live = live }
                instance.model = EnsembleModelInstance(name: ens.name, settings: ens.settings)
                instance.model?.live = live
            }
            return instance
        }
    }
}

import MullLanguage
import MullRuntime

/// A component that runs episodes on a task, as a sweep's trial does: a planner or a replay
/// learner.
protocol EpisodicAgentInstance: ComponentInstance {
    var episodicAgent: any PlanningAgent { get }
    var maxEpisodeSteps: Int? { get }
    /// Whether a Mull function the agent called has failed (the run stops at the next step).
    var hostErrorPending: Bool { get }
    func checkHostErrors() throws
}

/// A decision-time planner with its environment: what sweeps run and the REPL questions.
final class PlannerInstance: EpisodicAgentInstance, @unchecked Sendable {
    var episodicAgent: any PlanningAgent { agent }
    var hostErrorPending: Bool { hostErrors?.value != nil }
    let name: String
    let componentName: String
    let agent: any PlanningAgent
    /// The environment's name and whether its states are plain integers (tabular tasks).
    let environmentName: String
    let maxEpisodeSteps: Int?
    var rng: RandomSource
    var episodesRun = 0
    /// Errors raised by Mull functions the planner calls where it cannot stop (leaf values).
    var hostErrors: FirstError?
    /// Whether `plan` or `run` is under way: a Mull function the planner calls (a rollout
    /// policy, a leaf value, a ContinuousMDP's step) that uses the planner again is refused,
    /// rather than reaching into state the running call holds exclusively.
    private var running = false

    func exclusively<T>(_ body: () throws -> T) throws -> T {
        guard !running else {
            throw MullError("reentrant", "`\(name)` is already planning: a function it calls (a rollout policy, a leaf value, a step function) cannot use it", at: nil)
        }
        running = true
        defer { running = false }
        return try body()
    }

    /// Reports the first error a Mull function raised inside the planner.
    func checkHostErrors() throws {
        if let d = hostErrors?.value { throw MullError(d) }
    }

    init(name: String, componentName: String, agent: any PlanningAgent, environmentName: String, maxEpisodeSteps: Int?, rng: RandomSource) {
        self.name = name
        self.componentName = componentName
        self.agent = agent
        self.environmentName = environmentName
        self.maxEpisodeSteps = maxEpisodeSteps
        self.rng = rng
    }

    /// The learned model the planner searches through, if any.
    var model: EnsembleModelInstance?
    /// Otherwise the true model, answering `predict` and `transition`.
    var knownModel: (any ComponentInstance)?

    var typeName: String { "agent \(name)" }
    var memberNames: [String] {
        ["plan", "run", "model_steps", "episodes"] + (model == nil ? (knownModel == nil ? [] : ["model"]) : ["model", "real_steps"])
    }

    func member(_ member: String, context: CallContext) throws -> Value? {
        switch member {
        case "model" where model != nil: return .object(model!)
        case "model" where knownModel != nil: return .object(knownModel!)
        case "real_steps" where model != nil: return .int((agent as? any LearnedPlanningAgentProtocol)?.realSteps ?? 0)
        case "model_steps": return .int(agent.modelSteps)
        case "episodes": return .int(episodesRun)
        case "plan":
            return .function(Function(native: "plan", parameters: ["state", "depth"],
                                      doc: "what the planner considers from a state (default: a start state), without acting") { [self] args, ctx in
                var state: [Double]? = nil
                if let s = args.label("state") ?? args.positional.first {
                    state = try PlannerInstance.stateValues(s)
                }
                var depth = 3
                if case .int(let d)? = args.label("depth") ?? (args.positional.count > 1 ? args.positional[1] : nil) { depth = max(1, d) }
                do {
                    let keepGoing = ctx.nativeCheck { self.hostErrors?.value == nil }
                    let text = try exclusively { try agent.explain(state: state, depth: depth, rng: &rng, shouldContinue: keepGoing) }
                    try checkHostErrors()
                    try ctx.throwIfNativeStopped("interrupted while planning; nothing was changed")
                    return .object(TextBlock(text))
                } catch let e as RuntimeError {
                    throw MullError("invalid-state", e.message, at: nil)
                }
            })
        case "run":
            return .function(Function(native: "run", parameters: ["episodes", "steps"],
                                      doc: "runs episodes on the true dynamics (with a learned model: or real steps); returns a summary") { [self] args, ctx in
                try runEpisodes(args, ctx, verb: "run")
            })
        case "train" where model != nil:
            return .function(Function(native: "train", parameters: ["steps", "episodes"],
                                      doc: "continues the PETS loop for real steps or episodes; returns a summary") { [self] args, ctx in
                try runEpisodes(args, ctx, verb: "train")
            })
        default: return nil
        }
    }

    /// `run(episodes: n)`, or with a learned model `run(steps: n)` / `train(steps: n)`: episodes
    /// on the true dynamics, summarised.
    func runEpisodes(_ args: Arguments, _ ctx: CallContext, verb: String) throws -> Value {
        let keepGoing = ctx.nativeCheck { self.hostErrors?.value == nil }
        let eps: [PlannerEpisode]
        if case .int(let n)? = args.label("steps"), n >= 0, let learned = agent as? any LearnedPlanningAgentProtocol {
            eps = try exclusively { try learned.episodes(steps: n, maxSteps: maxEpisodeSteps, rng: &rng, shouldContinue: keepGoing) }
        } else if case .int(let n)? = args.label("episodes") ?? (args.label("steps") == nil ? args.positional.first : nil), n >= 0 {
            eps = try exclusively { try agent.episodes(n, maxSteps: maxEpisodeSteps, rng: &rng, shouldContinue: keepGoing) }
        } else {
            throw MullError("arity", model == nil ? "give `run(episodes: n)` with n >= 0"
                                                  : "give `\(verb)(episodes: n)` or `\(verb)(steps: n)` with n >= 0", at: nil)
        }
        try checkHostErrors()
        episodesRun += eps.count
        try ctx.throwIfNativeStopped("interrupted after \(eps.count) finished episode\(eps.count == 1 ? "" : "s") (\(eps.reduce(0) { $0 + $1.steps }) real steps)\(model == nil ? "" : "; the model and its data are kept")")
        let returns = eps.map(\.totalReward)
        var fields: [(String, Value)] = [
            ("episodes", .int(eps.count)),
            ("returns", .list(returns.map { .float($0) })),
            ("mean_return", eps.isEmpty ? .null : .float(returns.reduce(0, +) / Double(eps.count))),
            ("steps", .list(eps.map { .int($0.steps) })),
            ("model_steps", .int(eps.reduce(0) { $0 + $1.modelSteps })),
        ]
        if model != nil {
            fields.append(("model_error", .list(eps.map { $0.modelError.map(Value.float) ?? .null })))
            fields.append(("training_rounds", .list(eps.map { .int($0.trainingRounds) })))
        }
        return .record(Record(fields))
    }

    static func stateValues(_ v: Value) throws -> [Double] {
        switch v {
        case .int(let i): return [Double(i)]
        case .float(let d): return [d]
        case .list, .record:
            let xs: [Value]
            if case .list(let l) = v { xs = l } else if case .record(let r) = v { xs = r.values } else { xs = [] }
            return try xs.map {
                guard let d = $0.asDouble else { throw MullError("type-mismatch", "a state is a list of numbers, got \($0.typeName)", at: nil) }
                return d
            }
        default: throw MullError("type-mismatch", "a state is a number or a list of numbers, got \(v.typeName)", at: nil)
        }
    }

    func render(width: Int) -> String {
        "\(name) = \(componentName) on \(environmentName): \(episodesRun) episodes, \(agent.modelSteps) model transitions"
    }
}

/// The true dynamics of a classic-control task as a planner's model: `predict` gives the one
/// outcome, `transition` the same as a distribution of one outcome (the tasks are deterministic).
final class KnownControlModel: ComponentInstance, @unchecked Sendable {
    let name: String
    let environment: ControlEnvironmentInstance
    init(name: String, environment: ControlEnvironmentInstance) {
        self.name = name
        self.environment = environment
    }

    var typeName: String { "model \(name)" }
    var memberNames: [String] { ["predict", "transition"] }

    func member(_ member: String, context: CallContext) throws -> Value? {
        guard memberNames.contains(member), case .function(let step)? = try environment.member("transition", context: context) else { return nil }
        let doc = member == "predict" ? "the outcome of an action from a simulator state: (next, reward, done)"
                                      : "the outcomes of an action from a simulator state with their probabilities (one: the task is deterministic)"
        return .function(Function(native: member, parameters: ["state", "action"], doc: doc) { args, ctx in
            guard case .record(let t) = try step.call(args, ctx) else { return .null }
            let outcome = Record([("next", t["next"] ?? Value.null), ("reward", t["reward"] ?? Value.null),
                                  ("done", t["terminated"] ?? Value.null)])
            return member == "predict" ? .record(outcome)
                : .list([.record(Record([("p", .float(1))] + zip(outcome.labels, outcome.values).map { ($0!, $1) }))])
        })
    }

    func render(width: Int) -> String { "\(name): the true dynamics of `\(environment.name)`" }
}

enum PlannerComponents {
    static let methods: [MethodSchema] = [
        MethodSchema(name: "plan", signature: "plan(state, depth: 3)", doc: "what the planner considers from a state, without acting: elite sequences and the mean plan, or the search tree"),
        MethodSchema(name: "run", signature: "run(episodes: n)", doc: "runs episodes on the true dynamics and returns their returns; with a learned model also `run(steps: n)`"),
        MethodSchema(name: "train", signature: "train(steps: n)", doc: "with a learned model: continues the PETS loop for n real steps (or `episodes: n`)"),
        MethodSchema(name: "model_steps", signature: "model_steps", doc: "model transitions simulated so far"),
        MethodSchema(name: "model", signature: "model", doc: "with a learned model: the live ensemble (`predict`, `disagreement`, `validation`, `elites`)"),
        MethodSchema(name: "real_steps", signature: "real_steps", doc: "with a learned model: real steps taken, warm-up included"),
    ]

    static func common(horizon: Int, population: Int) -> [Field] {
        [
            Field("env", .component(.env), required: true, doc: "the task; the planner searches through its exact dynamics"),
            Field("model", .component(.model), doc: "the model searched through: the true dynamics (`Known {}`, the default) or a learned `Ensemble`, which runs the PETS loop"),
            Field("horizon", .int, .int(horizon), min: 1, max: 10_000, aliases: ["H"], doc: "length of the planned action sequences"),
            Field("population", .int, .int(population), min: 1, max: 10_000_000, doc: "candidate sequences per iteration"),
            Field("discount", .float, .float(1), min: 0, max: 1, doc: "discount of predicted rewards"),
            Field("threads", .int, .int(1), min: 1, max: 256, doc: "threads evaluating candidates (results do not depend on it; a learned model evaluates the population as one batch on one thread)"),
            Field("warmup_steps", .int, .int(200), min: 0, max: 100_000_000, doc: "with a learned model: real steps of uniformly random actions before planning starts (not counted as episodes)"),
            Field("train_every", .int, .int(50), min: 1, max: 100_000_000, doc: "with a learned model: real steps between training rounds (it is also trained before the first planned step)"),
        ]
    }

    /// Fields of the planners that keep a distribution over sequences between steps.
    static let distribution: [Field] = [
        Field("initial_std", .float, min: 0, exclusiveMinimum: true, doc: "initial standard deviation of the actions (default: a quarter of the action range)"),
        Field("warm_start", .bool, .bool(true), doc: "start each step from the previous solution shifted by one step"),
    ]

    static let needsContinuous = Requirement(field: "env", needs: [.continuousActions, .simulatable],
                                             reason: "shooting planners optimise sequences of continuous actions through the environment's model")
    static let needsSimulatable = Requirement(field: "env", needs: [.simulatable],
                                              reason: "tree search simulates transitions from arbitrary states")

    static func shooting(_ req: BuildRequest, _ kind: ShootingSpec.Kind) throws -> ShootingSpec {
        var s = ShootingSpec(kind: kind)
        s.horizon = try req.int("horizon")
        s.population = try req.int("population")
        s.discount = try req.double("discount")
        s.threads = try req.int("threads")
        if req.schema.field(named: "initial_std") != nil { s.initialStd = try req.optionalDouble("initial_std") }
        if req.schema.field(named: "warm_start") != nil { s.warmStart = try req.bool("warm_start") }
        if req.schema.field(named: "iterations") != nil { s.iterations = try req.int("iterations") }
        if req.schema.field(named: "alpha") != nil { s.alpha = try req.double("alpha") }
        if req.schema.field(named: "elites") != nil {
            switch req.value("elites") {
            case .int(let n):
                guard n <= s.population else {
                    throw req.error("elites", "`elites` (\(n)) cannot exceed `population` (\(s.population))")
                }
                s.elites = .count(n)
            case .float(let r):
                guard r > 0 && r <= 1 else { throw req.error("elites", "`elites` as a ratio must be in (0, 1], got \(r)") }
                s.elites = .ratio(r)
            default: throw req.error("elites", "`elites` is a count (int) or a ratio of the population (float)")
            }
        }
        if req.schema.field(named: "output") != nil, case .symbol(let o) = req.value("output") {
            s.output = o == "best" ? .best : .mean
        }
        if kind == .icem {
            s.beta = try req.double("beta")
            s.decay = try req.double("decay")
            s.keepElites = try req.double("keep_elites")
            s.addMean = try req.bool("add_mean")
            s.minPopulation = try req.optionalInt("min_population")
        }
        if kind == .mppi {
            s.lambda = try req.double("lambda")
            s.sigma = try req.optionalDouble("sigma")
            s.noiseSmoothing = try req.double("smoothing")
        }
        return s
    }

    static func build(_ req: BuildRequest, _ spec: PlannerSpec) throws -> any ComponentInstance {
        guard let e = try req.component("env") else { throw req.error("env", "a planner needs `env`") }
        var learned: LearnedModelSpec? = nil
        var ensembleInstance: EnsembleModelInstance? = nil
        var knownInstance: ModelInstance? = nil
        if let m = try req.component("model") {
            knownInstance = m as? ModelInstance
            if let ens = m as? EnsembleModelInstance {
                ensembleInstance = ens
                // MCTS has no PETS-loop fields yet: it is refused with a reason when the agent is made.
                let hasLoop = req.schema.field(named: "warmup_steps") != nil
                learned = LearnedModelSpec(name: ens.name, ensemble: ens.settings, warmupSteps: hasLoop ? try req.int("warmup_steps") : 200,
                                           trainEvery: hasLoop ? try req.int("train_every") : 50)
            } else {
                guard let mi = m as? ModelInstance, mi.kind == .known else {
                    throw req.error("model", "decision-time planners search through the true dynamics (`Known {}`) or a learned `Ensemble`")
                }
            }
        }
        let environment: AnyObject
        let envName: String
        let limit: Int?
        if let c = e as? ControlEnvironmentInstance {
            environment = c.environment; envName = c.name; limit = c.maxEpisodeSteps
        } else if let d = e as? DiscreteEnvironmentInstance {
            environment = d.environment; envName = d.name; limit = d.environment.maxEpisodeSteps
        } else {
            throw req.error("env", "`env` must be an environment")
        }
        var random = req.context.makeRandom()
        let agent: any PlanningAgent = try runtimeErrors(at: req) {
            do {
                return try PlanningAgents.make(environment: environment, spec: spec, seed: random.next(), learnedModel: learned)
            } catch let e as RuntimeError {
                throw MullError("incompatible", "\(req.schema.name) on `\(envName)`: \(e.message)", at: req.range(of: "env"))
            }
        }
        let instance = PlannerInstance(name: req.component.declaredName ?? req.schema.name, componentName: req.schema.name, agent: agent,
                                       environmentName: envName, maxEpisodeSteps: limit, rng: random)
        if let ensembleInstance, let l = agent as? any LearnedPlanningAgentProtocol {
            // The declared model answers the REPL's questions about the live ensemble.
            if req.context.shareWithSession { ensembleInstance.live = l.ensemble }
            instance.model = EnsembleModelInstance(name: ensembleInstance.name, settings: ensembleInstance.settings)
            instance.model?.live = l.ensemble
        } else if let d = e as? DiscreteEnvironmentInstance {
            // The true model answers as a tabular `Known {}` model does: the declared one in the
            // REPL's session, a private one otherwise.
            let known = req.context.shareWithSession ? (knownInstance ?? ModelInstance(kind: .known, name: "Known")) : ModelInstance(kind: .known, name: knownInstance?.name ?? "Known")
            if (try? known.materialize(for: d, at: req.range(of: "model"))) != nil { instance.knownModel = known }
        } else if let c = e as? ControlEnvironmentInstance {
            instance.knownModel = KnownControlModel(name: knownInstance?.name ?? "Known", environment: c)
        }
        return instance
    }

    static func all() -> [ComponentDefinition] {
        let iterations = { (n: Int) in Field("iterations", .int, .int(n), min: 1, max: 1000, doc: "refinement iterations per real step") }
        let alpha = Field("alpha", .float, .float(0.1), min: 0, max: 0.999, doc: "momentum: weight of the previous distribution when refitting")
        let elites = Field("elites", .oneOf([.int, .float]), .int(40), min: 0, exclusiveMinimum: true, atMost: "population", doc: "elite sequences refitted: a count (at most `population`), or a ratio of the population")
        return [
            ComponentDefinition("CEM", .agent, doc: "The cross-entropy method over action sequences (Rubinstein 1999; as a planner, Chua et al. 2018): sample sequences from a Gaussian, refit it to the best (elite) ones, act with the first action of the elite mean.",
                                fields: common(horizon: 30, population: 400) + distribution + [elites, iterations(5), alpha,
                                    Field("output", .symbol(["mean", "best"]), .symbol("mean"), doc: "act with the elite mean (`.mean`) or the best sequence (`.best`)")],
                                requirements: [needsContinuous], methods: methods) { req in
                try build(req, .shooting(try shooting(req, .cem)))
            },
            ComponentDefinition("ICEM", .agent, doc: "Improved CEM (Pinneri et al. 2020): colored noise with exponent beta, a population that shrinks by `decay` each iteration, a fraction of elites kept and shifted to the next step, the mean added at the last iteration.",
                                fields: common(horizon: 30, population: 400) + distribution + [elites, iterations(5), alpha,
                                    Field("beta", .float, .float(2), min: 0, max: 10, doc: "exponent of the colored noise (0: white, 2: red)"),
                                    Field("decay", .float, .float(1.25), min: 1, max: 100, doc: "population shrinks by this factor each iteration"),
                                    Field("keep_elites", .float, .float(0.3), min: 0, max: 1, doc: "fraction of elites carried to the next iteration and step"),
                                    Field("add_mean", .bool, .bool(true), doc: "add the mean as a candidate at the last iteration"),
                                    Field("min_population", .int, min: 1, doc: "smallest population after decay (default: twice the elites)"),
                                    Field("output", .symbol(["mean", "best"]), .symbol("best"), doc: "act with the best sequence (`.best`) or the elite mean (`.mean`)")],
                                requirements: [needsContinuous], methods: methods) { req in
                try build(req, .shooting(try shooting(req, .icem)))
            },
            ComponentDefinition("MPPI", .agent, doc: "Model predictive path integral control (Williams et al. 2017): perturb the plan with time-correlated noise and average the perturbations weighted by exp(return / lambda).",
                                fields: common(horizon: 30, population: 400) + [distribution[1], iterations(1),
                                    Field("lambda", .float, .float(1), min: 0, exclusiveMinimum: true, aliases: ["temperature"], doc: "temperature of the return weighting"),
                                    Field("sigma", .float, min: 0, exclusiveMinimum: true, doc: "noise standard deviation (default: a quarter of the action range)"),
                                    Field("smoothing", .float, .float(0), min: 0, max: 1, doc: "AR(1) correlation of the noise over time")],
                                requirements: [needsContinuous], methods: methods) { req in
                try build(req, .shooting(try shooting(req, .mppi)))
            },
            ComponentDefinition("RandomShooting", .agent, doc: "The baseline: sample action sequences uniformly, act with the first action of the best one.",
                                fields: common(horizon: 30, population: 1000), requirements: [needsContinuous], methods: methods) { req in
                try build(req, .shooting(try shooting(req, .randomShooting)))
            },
            ComponentDefinition("MCTS", .agent, doc: "Monte Carlo tree search (UCT, Kocsis & Szepesvari 2006; PUCT as in Silver et al. 2017) with random rollouts, sampled chance outcomes for stochastic tasks, double progressive widening for large or continuous action sets (Couetoux et al. 2011, with MCTS.jl's k N^alpha rule), and tree reuse between steps.",
                                fields: [
                                    Field("env", .component(.env), required: true, doc: "the task; the search simulates its exact dynamics"),
                                    Field("model", .component(.model), doc: "the model searched through: the true dynamics (`Known {}`, the default) or, on a task with discrete actions, a learned `Ensemble`, which runs the PETS loop (each simulated transition a sampled prediction of a random elite)"),
                                    Field("warmup_steps", .int, .int(200), min: 0, max: 100_000_000, doc: "with a learned model: real steps of uniformly random actions before planning starts (not counted as episodes)"),
                                    Field("train_every", .int, .int(50), min: 1, max: 100_000_000, doc: "with a learned model: real steps between training rounds (it is also trained before the first planned step)"),
                                    Field("simulations", .int, .int(100), min: 1, max: 100_000_000, doc: "simulations per real step"),
                                    Field("depth", .int, .int(50), min: 1, max: 100_000, doc: "depth of each simulation (tree and rollout)"),
                                    Field("exploration", .float, .float(1), min: 0, aliases: ["c"], doc: "exploration constant of UCT/PUCT"),
                                    Field("discount", .float, .float(1), min: 0, max: 1, doc: "discount of simulated rewards"),
                                    Field("selection", .symbol(["uct", "puct"]), .symbol("uct"), doc: "selection rule"),
                                    Field("action_widening", .record, doc: "`(k: 2, alpha: 0.5)`: at most k N^alpha actions per node (continuous actions need it)"),
                                    Field("state_widening", .record, doc: "`(k: 2, alpha: 0.5)`: at most k N^alpha sampled outcomes per action"),
                                    Field("rollout_depth", .int, min: 0, doc: "depth of random rollouts from new leaves (default: to `depth`)"),
                                    Field("reuse_tree", .bool, .bool(true), doc: "keep the subtree of the action taken and state reached"),
                                    Field("final_action", .symbol(["most_visited", "highest_value"]), .symbol("most_visited"), doc: "how the action is chosen at the root"),
                                    Field("backup", .symbol(["monte_carlo", "partial_bellman", "expected_outcomes"]), .symbol("monte_carlo"), doc: "how values are backed up"),
                                    Field("transpositions", .bool, .bool(false), doc: "tabular tasks: one node per state with exact-probability backups"),
                                    Field("rollout_policy", .function(arity: 1), doc: "`fn(s) => action`: the action random rollouts take from a state (discrete-action classic-control tasks; default: uniformly random)"),
                                    Field("leaf_value", .function(arity: 1), doc: "`fn(s) => ...`: an estimate of a new leaf's value from its state values, used instead of a random rollout (classic-control tasks)"),
                                ],
                                requirements: [needsSimulatable], methods: methods) { req in
                func widening(_ f: String) throws -> ProgressiveWidening? {
                    guard case .record(let r) = req.value(f) else { return nil }
                    guard let k = r["k"]?.asDouble, let a = r["alpha"]?.asDouble else {
                        throw req.error(f, "`\(f)` is `(k: number, alpha: number)`")
                    }
                    return ProgressiveWidening(k: k, alpha: a)
                }
                let selection: MCTSSelection = try req.symbol("selection") == "puct" ? .puct : .uct
                let final: MCTSFinalAction = try req.symbol("final_action") == "highest_value" ? .highestValue : .mostVisited
                let backup: MCTSBackup
                switch try req.symbol("backup") {
                case "partial_bellman": backup = .partialBellman
                case "expected_outcomes": backup = .expectedOutcomes
                default: backup = .monteCarlo
                }
                let settings = MCTSSettings(simulations: try req.int("simulations"), depth: try req.int("depth"),
                                            exploration: try req.double("exploration"), discount: try req.double("discount"),
                                            selection: selection, actionWidening: try widening("action_widening"),
                                            stateWidening: try widening("state_widening"), rolloutDepth: try req.optionalInt("rollout_depth"),
                                            reuseTree: try req.bool("reuse_tree"), finalAction: final, backup: backup)
                let failure = FirstError()
                var rollout: (@Sendable ([Double]) -> Int)? = nil
                if let f = try req.function("rollout_policy") {
                    let ctx = req.callContext
                    let range = req.range(of: "rollout_policy")
                    let names: [String] = ((try? req.component("env")) as? ControlEnvironmentInstance)?.actionNames ?? []
                    rollout = { s in
                        do {
                            let v = try f.call(.list(s.map { .float($0) }), ctx, at: range)
                            switch v {
                            case .int(let i) where names.isEmpty || (i >= 0 && i < names.count): return i
                            case .int(let i):
                                failure.set(Diagnostic("out-of-range", .error, "`rollout_policy` returned action \(i); this task's actions are 0..<\(names.count) (\(names.map { "." + $0 }.joined(separator: ", ")))", at: range))
                                return 0
                            case .symbol(let name) where names.contains(name): return names.firstIndex(of: name)!
                            default:
                                failure.set(Diagnostic("type-mismatch", .error, "`rollout_policy` must return an action (\(names.map { "." + $0 }.joined(separator: ", ")) or an index), got \(v.repr)", at: range))
                                return 0
                            }
                        } catch let e as MullError {
                            failure.set(e.diagnostic)
                            return 0
                        } catch {
                            return 0
                        }
                    }
                }
                var leaf: (@Sendable ([Double]) -> Double)? = nil
                if let f = try req.function("leaf_value") {
                    let ctx = req.callContext
                    let range = req.range(of: "leaf_value")
                    leaf = { s in
                        // A failing estimate counts as 0; the first failure is reported by `run`.
                        do {
                            let v = try f.call(.list(s.map { .float($0) }), ctx, at: range)
                            guard let d = v.asDouble else {
                                failure.set(Diagnostic("type-mismatch", .error, "`leaf_value` must return a number, got \(v.typeName)", at: range))
                                return 0
                            }
                            return d
                        } catch let e as MullError {
                            failure.set(e.diagnostic)
                            return 0
                        } catch {
                            return 0
                        }
                    }
                }
                let instance = try build(req, .mcts(MCTSSpec(settings: settings, transpositions: try req.bool("transpositions"),
                                                            leafValue: leaf, rolloutPolicy: rollout)))
                (instance as? PlannerInstance)?.hostErrors = failure
                return instance
            },
        ]
    }
}

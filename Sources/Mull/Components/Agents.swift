import Foundation
import MullLanguage
import MullRuntime

/// A live tabular agent with its environment: what the REPL trains and questions.
final class AgentInstance: ComponentInstance, @unchecked Sendable {
    let name: String
    let componentName: String
    let agent: any TabularAgent
    let env: DiscreteEnvironmentInstance
    let model: ModelInstance?
    var rng: RandomSource
    /// Episodes trained so far through the REPL.
    var episodesTrained = 0

    init(name: String, componentName: String, agent: any TabularAgent, env: DiscreteEnvironmentInstance, model: ModelInstance?, rng: RandomSource) {
        self.name = name
        self.componentName = componentName
        self.agent = agent
        self.env = env
        self.model = model
        self.rng = rng
    }

    var typeName: String { "agent \(name)" }
    var memberNames: [String] {
        ["q", "value", "action", "greedy", "values", "train", "episode", "plan", "real_steps", "planning_updates", "episodes", "env", "model", "reset"]
    }

    func member(_ member: String, context: CallContext) throws -> Value? {
        switch member {
        case "q":
            return .function(Function(native: "q", parameters: ["state", "action"], doc: "Q-values of a state (by action), or Q(state, action)") { [self] args, _ in
                guard let first = args.positional.first else { throw MullError("arity", "`q` takes a state and optionally an action", at: nil) }
                let s = try env.state(first)
                let base = s * agent.actionCount
                if args.positional.count > 1 {
                    return .float(agent.q[base + (try env.action(args.positional[1]))])
                }
                return .record(Record(labels: env.actionNames, values: (0..<agent.actionCount).map { .float(agent.q[base + $0]) }))
            })
        case "value":
            return .function(Function(native: "value", parameters: ["state"], doc: "max over actions of Q(state, action)") { [self] args, _ in
                .float(agent.value(try env.state(try Builtins.one(args, "value"))))
            })
        case "action":
            return .function(Function(native: "action", parameters: ["state"], doc: "the greedy action (the first of equal maxima)") { [self] args, _ in
                .symbol(env.actionNames[agent.firstGreedyAction(try env.state(try Builtins.one(args, "action")))])
            })
        case "greedy":
            let policy = agent.greedyPolicy()
            let symbols = env.actionSymbols
            return .object(TextBlock(env.draw(policy.enumerated().map { s, a in
                agent.q[s * agent.actionCount ..< (s + 1) * agent.actionCount].allSatisfy { $0 == agent.settings.initialQ } ? nil : symbols[a]
            })))
        case "values":
            return .object(TextBlock(valueTable()))
        case "real_steps": return .int(agent.realSteps)
        case "planning_updates": return .int(agent.planningUpdates)
        case "episodes": return .int(episodesTrained)
        case "env": return .object(env)
        case "model": return model.map { .object($0) } ?? Value.null
        case "train":
            return .function(Function(native: "train", parameters: ["episodes", "steps"], doc: "trains from where the agent stands; returns a summary") { [self] args, ctx in
                let budget: TabularRunBudget
                if let e = args.label("episodes") ?? args.positional.first {
                    guard case .int(let n) = e, n >= 0 else { throw MullError("type-mismatch", "`episodes` must be a non-negative integer", at: nil) }
                    budget = .episodes(n)
                } else if case .int(let n)? = args.label("steps"), n >= 0 {
                    budget = .steps(n)
                } else {
                    throw MullError("arity", "give `train(episodes: n)` or `train(steps: n)`", at: nil)
                }
                if case .episodes(let n) = budget, n > 0, let start = env.startWhereEpisodesNeverEnd() {
                    throw MullError("episodes-never-end", "from start state \(start) of `\(env.name)` no terminal state can be reached (outcomes less likely than 1e-9 count as impossible), so an episode would never end", at: nil,
                                    suggestion: "train a number of steps instead: `train(steps: n)`")
                }
                let metrics = try runTabular(agent: agent, environment: env.environment, options: TabularRunOptions(budget: budget), rng: &rng,
                                             onEpisode: ctx.tabularCheck(from: agent.realSteps &+ agent.planningUpdates))
                episodesTrained += metrics.episodeCount
                if metrics.stopReason == .cancelled {
                    let n = metrics.episodeCount
                    try ctx.throwIfNativeStopped("interrupted after \(n) episode\(n == 1 ? "" : "s") (\(metrics.steps.reduce(0, +)) real steps); they are kept: the agent has now \(agent.realSteps) real steps and \(agent.planningUpdates) planning updates")
                }
                let n = metrics.episodeCount
                return .record(Record([
                    ("episodes", .int(n)),
                    ("steps", .list(metrics.steps.map { .int($0) })),
                    ("mean_return", n == 0 ? .null : .float(metrics.returns.reduce(0, +) / Double(n))),
                    ("real_steps", .int(agent.realSteps)),
                    ("planning_updates", .int(agent.planningUpdates)),
                ]))
            })
        case "episode":
            return .function(Function(native: "episode", parameters: ["max_steps"], doc: "runs one learning episode, printing (state, action, reward) per step") { [self] args, ctx in
                let limit: Int
                if case .int(let n)? = args.label("max_steps") ?? args.positional.first { limit = n } else { limit = 1000 }
                var s = try env.environment.reset(&rng)
                agent.beginEpisode(s)
                var total = 0.0
                var steps = 0
                while steps < limit {
                    let a = agent.act(s, &rng)
                    let r = try env.environment.step(a, &rng)
                    steps += 1
                    let truncated = r.truncated || steps == limit
                    agent.observe(state: s, action: a, reward: r.reward, next: r.observation, terminated: r.terminated, truncated: truncated, &rng)
                    ctx.output("(\(s), .\(env.actionNames[a]), \(Value.format(r.reward)))\n")
                    total += r.reward
                    s = r.observation
                    if r.terminated || truncated { break }
                }
                episodesTrained += 1
                return .record(Record([("steps", .int(steps)), ("return", .float(total))]))
            })
        case "plan":
            return .function(Function(native: "plan", parameters: ["updates"], doc: "does planning updates now; returns how many") { [self] args, ctx in
                guard case .int(let n) = try Builtins.one(args, "plan"), n >= 0 else { throw MullError("type-mismatch", "`plan` takes a number of updates", at: nil) }
                // In chunks, so Ctrl-C stops a long request within a chunk; the updates made stay.
                var done = 0
                while done < n {
                    if ctx.cancellation.isCancelled {
                        throw MullError("interrupted", "interrupted after \(done) of \(n) planning updates (they are kept)", at: nil)
                    }
                    let k = min(AgentInstance.planningChunk, n - done)
                    if !ctx.nativeWork(k), let e = ctx.nativeStopError(at: nil) { throw e }
                    let made = agent.plan(updates: k, &rng)
                    done += made
                    if made == 0 { break }
                }
                return .int(done)
            })
        case "reset":
            return .function(Function(native: "reset") { [self] args, _ in
                try Builtins.noArguments(args, "reset")
                agent.reset()
                episodesTrained = 0
                return .null
            })
        default: return nil
        }
    }

    /// Planning updates between checks for an interrupt in `plan(n)`.
    static let planningChunk = 100_000

    func valueTable() -> String {
        let values = agent.stateValues()
        if let g = env.environment as? GridWorld { return g.renderValues(values) }
        if let grid = env.grid {
            var out = ""
            for r in 0..<grid.rows {
                out += (0..<grid.columns).map { c in
                    let v = values[r * grid.columns + c]
                    return String(format: "%6.2f", v)
                }.joined(separator: " ")
                if r + 1 < grid.rows { out += "\n" }
            }
            return out
        }
        return values.enumerated().map { "\($0.offset): \(Value.format($0.element))" }.joined(separator: "\n")
    }

    func render(width: Int) -> String {
        "\(name) = \(componentName): \(agent.stateCount) states x \(agent.actionCount) actions, \(episodesTrained) episodes, \(agent.realSteps) real steps, \(agent.planningUpdates) planning updates"
    }
}

extension DiscreteEnvironmentInstance {
    /// One character per action for drawing policies.
    var actionSymbols: [Character] {
        actionNames.map { name in
            switch name {
            case "up", "north": "^"
            case "down", "south": "v"
            case "right", "east": ">"
            case "left", "west": "<"
            default: name.first ?? "?"
            }
        }
    }
}

enum AgentComponents {
    static let needsDiscrete = Requirement(field: "env", needs: [.discreteStates, .discreteActions],
                                           reason: "a tabular agent keeps one value per state and action")

    static func common(alpha: Double? = 0.1, epsilon: Double = 0.1) -> [Field] {
        [Field("env", .component(.env), required: true, doc: "the environment the agent acts in")]
        + (alpha.map { [Field("alpha", .float, .float($0), min: 0, max: 1, exclusiveMinimum: true, aliases: ["step_size"], doc: "step size of Q-value updates")] } ?? [])
        + [Field("gamma", .float, .float(0.95), min: 0, max: 1, aliases: ["discount"], doc: "discount factor")]
        + epsilonFields(start: epsilon)
        + [Field("initial_q", .float, .float(0), doc: "initial Q-value of every state and action")]
    }

    /// The epsilon-greedy exploration fields read by `epsilonSchedule`.
    static func epsilonFields(start: Double, end: Double? = nil, steps: Int? = nil) -> [Field] {
        [
            Field("epsilon", .float, .float(start), min: 0, max: 1, doc: "exploration rate of the epsilon-greedy behaviour policy (its start value when it decays)"),
            Field("epsilon_end", .float, end.map { .float($0) }, min: 0, max: 1, doc: "final exploration rate; with `epsilon_decay_steps` the decay is linear, with `epsilon_decay` exponential"),
            Field("epsilon_decay_steps", .int, steps.map { .int($0) }, min: 1, doc: "real steps over which epsilon falls linearly to `epsilon_end`"),
            Field("epsilon_decay", .float, min: 0, max: 1, exclusiveMinimum: true, doc: "factor applied to epsilon after every real step (floor: `epsilon_end`)"),
        ]
    }

    static func settings(_ req: BuildRequest) throws -> TabularSettings {
        let alpha = req.schema.field(named: "alpha") == nil ? 1.0 : try req.double("alpha")
        return TabularSettings(alpha: .constant(alpha), gamma: try req.double("gamma"), epsilon: try epsilonSchedule(req),
                               initialQ: try req.double("initial_q"))
    }

    /// `epsilon` with `epsilon_end` and `epsilon_decay_steps` or `epsilon_decay`.
    static func epsilonSchedule(_ req: BuildRequest) throws -> ParameterSchedule {
        let eps = try req.double("epsilon")
        if req.has("epsilon_decay_steps") && req.has("epsilon_decay") {
            throw req.error("epsilon_decay", "give either `epsilon_decay_steps` (linear) or `epsilon_decay` (exponential), not both")
        }
        // Defaults count (DQN decays linearly by default), but an exponential decay written in
        // the script replaces a default linear one.
        let end = try req.optionalDouble("epsilon_end")
        if req.has("epsilon_decay") {
            guard let end else { throw req.error("epsilon_decay", "a decaying epsilon needs `epsilon_end`, the value it decays to") }
            return .exponential(start: eps, decay: try req.double("epsilon_decay"), floor: end)
        }
        if let steps = try req.optionalInt("epsilon_decay_steps") {
            guard let end else { throw req.error("epsilon_decay_steps", "a decaying epsilon needs `epsilon_end`, the value it decays to") }
            return .linear(start: eps, end: end, steps: steps)
        }
        if end != nil {
            throw req.error("epsilon_end", "`epsilon_end` needs `epsilon_decay_steps` (linear) or `epsilon_decay` (exponential)")
        }
        return .constant(eps)
    }

    static let methods: [MethodSchema] = [
        MethodSchema(name: "train", signature: "train(episodes: n) / train(steps: n)", doc: "trains from where the agent stands"),
        MethodSchema(name: "q", signature: "q(state) / q(state, action)", doc: "Q-values by action, or one Q-value"),
        MethodSchema(name: "value", signature: "value(state)", doc: "the state's value, max over actions"),
        MethodSchema(name: "action", signature: "action(state)", doc: "the greedy action"),
        MethodSchema(name: "greedy", signature: "greedy", doc: "the greedy policy drawn on the grid"),
        MethodSchema(name: "values", signature: "values", doc: "the value function drawn on the grid"),
        MethodSchema(name: "episode", signature: "episode()", doc: "one learning episode, printing (state, action, reward)"),
        MethodSchema(name: "plan", signature: "plan(updates)", doc: "planning updates now"),
        MethodSchema(name: "real_steps", signature: "real_steps", doc: "real environment steps so far"),
        MethodSchema(name: "planning_updates", signature: "planning_updates", doc: "planning updates so far"),
    ]

    /// The environment and model an agent's request names.
    static func parts(_ req: BuildRequest) throws -> (DiscreteEnvironmentInstance, ModelInstance?) {
        guard let e = try req.component("env") else { throw req.error("env", "agent needs `env`") }
        guard let env = e as? DiscreteEnvironmentInstance else {
            throw req.error("env", "\(req.schema.name) needs an environment with discrete states and actions")
        }
        var model: ModelInstance? = nil
        if req.schema.field(named: "model") != nil {
            if let m = try req.component("model") {
                if m is EnsembleModelInstance {
                    throw MullError("incompatible", "\(req.schema.name) keeps a table of discrete states; an `Ensemble` learns continuous dynamics", at: req.range(of: "model"),
                                    suggestion: "use `model: Tabular {}` here, or plan through the ensemble with CEM, ICEM, MPPI or RandomShooting on a continuous task")
                }
                guard let mi = m as? ModelInstance else { throw req.error("model", "`model` must be a model") }
                model = mi
            } else if let name = req.schema.field(named: "model")?.defaultComponent {
                // The field's default component, built with its own defaults.
                let value = ComponentValue(componentName: name, kind: .model, fields: [], range: req.component.range)
                guard let mi = try req.context.instance(of: value) as? ModelInstance else { throw req.error("model", "`model` must be a model") }
                model = mi
            }
        }
        return (env, model)
    }

    static func make(_ req: BuildRequest, _ body: (DiscreteEnvironmentInstance, TabularSettings, ModelInstance?, (any TabularModel)?) throws -> any TabularAgent) throws -> any ComponentInstance {
        let (env, model) = try parts(req)
        let settings = try settings(req)
        let concrete = try model?.materialize(for: env, at: req.range(of: "model"))
        let agent = try runtimeErrors(at: req) { try body(env, settings, model, concrete) }
        // Planning agents on a known model solve it at once, so the REPL can ask them before training.
        if model?.kind == .known { agent.beginEpisode(env.startState ?? 0) }
        return AgentInstance(name: req.component.declaredName ?? req.schema.name, componentName: req.schema.name,
                             agent: agent, env: env, model: model, rng: req.context.makeRandom())
    }

    /// Opens the model's concrete type for an agent that is generic over it.
    static func open(_ m: any TabularModel, _ body: (any TabularModel) throws -> any TabularAgent) rethrows -> any TabularAgent {
        try body(m)
    }


    // Generic makers: calling them with `any TabularModel` opens the model's concrete type.
    static func makeDynaQ<M: TabularModel>(_ m: M, _ s: Int, _ a: Int, _ settings: TabularSettings, planningSteps: Int) throws -> any TabularAgent {
        try DynaQ(stateCount: s, actionCount: a, settings: settings, planningSteps: planningSteps, model: m)
    }
    static func makeBranchedDyna<M: TabularModel>(_ m: M, _ s: Int, _ a: Int, _ settings: TabularSettings, rollouts: Int, length: Int) throws -> any TabularAgent {
        try BranchedDyna(stateCount: s, actionCount: a, settings: settings, rollouts: rollouts, rolloutLength: length, model: m)
    }
    static func makeDynaQPlus<M: TabularModel>(_ m: M, _ s: Int, _ a: Int, _ settings: TabularSettings, planningSteps: Int, kappa: Double) throws -> any TabularAgent {
        try DynaQPlus(stateCount: s, actionCount: a, settings: settings, planningSteps: planningSteps, kappa: kappa, model: m)
    }
    static func makePrioritizedSweeping<M: TabularModel>(_ m: M, _ s: Int, _ a: Int, _ settings: TabularSettings, planningSteps: Int, theta: Double) throws -> any TabularAgent {
        try PrioritizedSweeping(stateCount: s, actionCount: a, settings: settings, planningSteps: planningSteps, theta: theta, model: m)
    }
    static func makeValueIteration<M: TabularModel>(_ m: M, _ s: Int, _ a: Int, _ settings: TabularSettings, theta: Double) throws -> any TabularAgent {
        try ValueIteration(stateCount: s, actionCount: a, settings: settings, model: m, theta: theta)
    }
    static func makePolicyIteration<M: TabularModel>(_ m: M, _ s: Int, _ a: Int, _ settings: TabularSettings, theta: Double) throws -> any TabularAgent {
        try PolicyIteration(stateCount: s, actionCount: a, settings: settings, model: m, theta: theta)
    }

    static func all() -> [ComponentDefinition] {
        var modelField = Field("model", .component(.model), doc: "the model planning uses (default: `Tabular {}`)")
        modelField.schema.defaultComponent = "Tabular"
        let planning = Field("planning_steps", .int, .int(5), min: 0, aliases: ["n"], doc: "planning updates per real step")
                func simple(_ name: String, _ doc: String, _ make: @escaping @Sendable (Int, Int, TabularSettings) throws -> any TabularAgent) -> ComponentDefinition {
            ComponentDefinition(name, .agent, doc: doc, fields: common(), requirements: [needsDiscrete], methods: methods) { req in
                try AgentComponents.make(req) { env, settings, _, _ in
                    let (s, a) = (env.environment.stateCount, env.environment.actionCount)
                    return try make(s, a, settings)
                }
            }
        }
        return [
            simple("QLearning", "One-step Q-learning (Watkins 1989; Sutton & Barto, section 6.5).") { try QLearning(stateCount: $0, actionCount: $1, settings: $2) },
            simple("Sarsa", "One-step Sarsa, on-policy TD control (Sutton & Barto, section 6.4).") { try Sarsa(stateCount: $0, actionCount: $1, settings: $2) },
            simple("ExpectedSarsa", "Expected Sarsa (Sutton & Barto, section 6.6).") { try ExpectedSarsa(stateCount: $0, actionCount: $1, settings: $2) },
            ComponentDefinition("DynaQ", .agent, doc: "Tabular Dyna-Q (Sutton & Barto, section 8.2): Q-learning plus `planning_steps` simulated updates per real step from a learned model.",
                                fields: common() + [modelField, planning], requirements: [needsDiscrete], methods: methods) { req in
                let n = try req.int("planning_steps")
                return try AgentComponents.make(req) { env, settings, _, model in
                    let (s, a) = (env.environment.stateCount, env.environment.actionCount)
                    return try makeDynaQ(model!, s, a, settings, planningSteps: n)
                }
            },
            ComponentDefinition("TabularMBPO", .agent, doc: "Tabular MBPO-lite (after Janner et al. 2019): Q-learning plus `rollouts` branched rollouts per real step through a learned model, each starting from a random visited state and following the current epsilon-greedy policy for up to `rollout_length` steps, one Q-learning update per step. Dyna-Q is the case of one-step rollouts with uniformly drawn actions.",
                                fields: common() + [modelField,
                                    Field("rollouts", .int, .int(10), min: 0, max: 1_000_000, doc: "rollouts per real step"),
                                    Field("rollout_length", .int, .int(5), min: 1, max: 10_000, doc: "most steps per rollout (a rollout stops at a predicted terminal state)")],
                                requirements: [needsDiscrete], methods: methods) { req in
                let n = try req.int("rollouts"), k = try req.int("rollout_length")
                return try AgentComponents.make(req) { env, settings, _, model in
                    let (s, a) = (env.environment.stateCount, env.environment.actionCount)
                    return try makeBranchedDyna(model!, s, a, settings, rollouts: n, length: k)
                }
            },
            ComponentDefinition("DynaQPlus", .agent, doc: "Dyna-Q+ (Sutton & Barto, section 8.3): planning rewards get a bonus kappa * sqrt(tau) for pairs not tried for tau steps; untried actions are modelled as self-loops with reward 0.",
                                fields: common() + [modelField, planning, Field("kappa", .float, .float(1e-3), min: 0, doc: "exploration bonus scale")],
                                requirements: [needsDiscrete], methods: methods) { req in
                let n = try req.int("planning_steps"), kappa = try req.double("kappa")
                return try AgentComponents.make(req) { env, settings, _, model in
                    let (s, a) = (env.environment.stateCount, env.environment.actionCount)
                    return try makeDynaQPlus(model!, s, a, settings, planningSteps: n, kappa: kappa)
                }
            },
            ComponentDefinition("PrioritizedSweeping", .agent, doc: "Prioritized sweeping (Moore & Atkeson 1993; Sutton & Barto, section 8.4): planning updates pairs in order of the size of their expected change, working backwards through predecessors.",
                                fields: common() + [modelField, planning, Field("theta", .float, .float(1e-4), min: 0, doc: "priority threshold for queueing a pair")],
                                requirements: [needsDiscrete], methods: methods) { req in
                let n = try req.int("planning_steps"), theta = try req.double("theta")
                return try AgentComponents.make(req) { env, settings, _, model in
                    let (s, a) = (env.environment.stateCount, env.environment.actionCount)
                    return try makePrioritizedSweeping(model!, s, a, settings, planningSteps: n, theta: theta)
                }
            },
            ComponentDefinition("ValueIteration", .agent, doc: "Value iteration (Sutton & Barto, section 4.4) on a known or learned tabular model; acts epsilon-greedily on the result (greedily by default).",
                                fields: common(alpha: nil, epsilon: 0) + [modelField, Field("theta", .float, .float(1e-8), min: 0, exclusiveMinimum: true, doc: "stop when no value changes by more than theta")],
                                requirements: [needsDiscrete], methods: methods) { req in
                let theta = try req.double("theta")
                return try AgentComponents.make(req) { env, settings, _, model in
                    let (s, a) = (env.environment.stateCount, env.environment.actionCount)
                    return try makeValueIteration(model!, s, a, settings, theta: theta)
                }
            },
            ComponentDefinition("PolicyIteration", .agent, doc: "Policy iteration (Sutton & Barto, section 4.3) on a known or learned tabular model; acts epsilon-greedily on the result (greedily by default).",
                                fields: common(alpha: nil, epsilon: 0) + [modelField, Field("theta", .float, .float(1e-8), min: 0, exclusiveMinimum: true, doc: "policy evaluation tolerance")],
                                requirements: [needsDiscrete], methods: methods) { req in
                let theta = try req.double("theta")
                return try AgentComponents.make(req) { env, settings, _, model in
                    let (s, a) = (env.environment.stateCount, env.environment.actionCount)
                    return try makePolicyIteration(model!, s, a, settings, theta: theta)
                }
            },
        ]
    }
}

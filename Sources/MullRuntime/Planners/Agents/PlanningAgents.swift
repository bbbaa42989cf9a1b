/// A decision-time planner bound to its task, behind one small interface for the interpreter.
/// Inside, planner and model are concrete types, so the planning loops are specialised.
public protocol PlanningAgent: AnyObject {
    /// Model transitions simulated so far.
    var modelSteps: Int { get }
    /// Runs `count` episodes on the task's true dynamics; `shouldContinue` is asked between
    /// episodes (returning false stops early, keeping the finished ones).
    func episodes(_ count: Int, maxSteps: Int?, rng: inout RandomSource, shouldContinue: () -> Bool) throws -> [PlannerEpisode]
    /// Plans from `state` (the task's state values; nil: a start state drawn from `rng`) without
    /// acting, and describes what the planner considered to `depth` levels. The planner asks
    /// `shouldContinue` as it does while acting (MCTS every 256 simulations) and stops early
    /// when it returns false.
    func explain(state: [Double]?, depth: Int, rng: inout RandomSource, shouldContinue: () -> Bool) throws -> String
}

extension PlanningAgent {
    public func explain(state: [Double]?, depth: Int, rng: inout RandomSource) throws -> String {
        try explain(state: state, depth: depth, rng: &rng, shouldContinue: { true })
    }
}

/// Builds planning agents of concrete types for the built-in tasks.
public enum PlanningAgents {
    /// A planner for `environment` (a classic-control environment or a tabular one).
    public static func make(environment: AnyObject, spec: PlannerSpec, seed: UInt64,
                            learnedModel: LearnedModelSpec? = nil) throws -> any PlanningAgent {
        if let e = environment as? any PlannableEnvironment {
            return try e.makePlanningAgent(spec: spec, seed: seed, learnedModel: learnedModel)
        }
        if learnedModel != nil {
            throw RuntimeError("planning through a learned model needs a classic-control task with continuous actions "
                               + "(CartPoleContinuous, Pendulum, MountainCarContinuous)")
        }
        if let e = environment as? any TabularDynamics { return try tabular(e, spec, seed) }
        if let t = environment as? FunctionTask { return try function(t, spec, seed) }
        throw RuntimeError("no decision-time planner is available for this environment")
    }

    static func bounds(_ space: Space) throws -> ([Double], [Double]) {
        guard case .box(let low, let high) = space else { throw RuntimeError("shooting planners need a continuous (box) action space") }
        return (low, high)
    }

    static func continuous<D: ControlDynamics>(_ env: ControlEnvironment<D>, _ spec: PlannerSpec, _ seed: UInt64) throws -> any PlanningAgent
    where D.Action == Double {
        let model = DynamicsModel(env)
        let (low, high) = try bounds(env.actionSpace)
        switch spec {
        case .shooting(let s):
            return try s.build(model: model, low: low, high: high, seed: seed, threads: s.threads, into: ControlSink(env: env))
        case .mcts(let m):
            guard m.settings.actionWidening != nil else {
                throw RuntimeError("MCTS on continuous actions needs `action_widening` (progressive widening)")
            }
            let lo = low[0], hi = high[0]
            var settings = m.settings
            settings.seed = seed
            let leaf = m.leafValue
            let p = try MCTS(model: model, actions: [], settings: settings,
                             actionSampler: { _, rng in rng.uniform(lo, hi) },
                             leafValue: leaf.map { f in { (s: D.State) in f(s.values) } })
            return ControlPlanningAgent(env, p) { p, d in p.treeText(depth: d, describeState: describe, describeAction: { String(format: "%.3f", $0) }) }
        }
    }

    /// What MCTS on a discrete-action task needs, whatever model it searches: its spec, its
    /// settings seeded, the number of actions and how an action is written in its tree.
    static func discreteMCTS<D: ControlDynamics>(_ env: ControlEnvironment<D>, _ spec: PlannerSpec, _ seed: UInt64) throws
        -> (spec: MCTSSpec, settings: MCTSSettings, actions: Int, describeAction: (Int) -> String) where D.Action == Int {
        guard case .mcts(let m) = spec else {
            throw RuntimeError("shooting planners (CEM, iCEM, MPPI, random shooting) need continuous actions; use MCTS for \(D.gymnasiumID)")
        }
        guard case .discrete(let n) = env.actionSpace else { throw RuntimeError("expected discrete actions") }
        var settings = m.settings
        settings.seed = seed
        let names = D.actionNames
        return (m, settings, n, { $0 < names.count ? "." + names[$0] : String($0) })
    }

    static func discrete<D: ControlDynamics>(_ env: ControlEnvironment<D>, _ spec: PlannerSpec, _ seed: UInt64) throws -> any PlanningAgent
    where D.Action == Int {
        let (m, settings, n, describeAction) = try discreteMCTS(env, spec, seed)
        let leaf = m.leafValue
        let rollout = m.rolloutPolicy
        let p = try MCTS(model: DynamicsModel(env), actions: Array(0..<n), settings: settings,
                         rolloutPolicy: rollout.map { f in { (s: D.State, _: inout RandomSource) in min(max(f(s.values), 0), n - 1) } },
                         leafValue: leaf.map { f in { (s: D.State) in f(s.values) } })
        return ControlPlanningAgent(env, p) { p, d in
            p.treeText(depth: d, describeState: describe, describeAction: describeAction)
        }
    }

    static func tabular<E: TabularDynamics>(_ env: E, _ spec: PlannerSpec, _ seed: UInt64) throws -> any PlanningAgent {
        guard case .mcts(let m) = spec else {
            throw RuntimeError("shooting planners need continuous actions; use MCTS or value iteration on a tabular task")
        }
        var settings = m.settings
        settings.seed = seed
        let p = try MCTS(tabular: TabularSimulationModel(env), settings: settings, transpositions: m.transpositions)
        return TabularPlanningAgent(env, p) { p, d in p.treeText(depth: d) }
    }

    static func describe<S: ControlState>(_ s: S) -> String {
        "(" + s.values.map { String(format: "%.3f", $0) }.joined(separator: ", ") + ")"
    }

    static func shootingReport(_ name: String, _ elites: [ScoredPlan], _ mean: [Double], depth: Int) -> String {
        func seq(_ xs: [Double]) -> String {
            let shown = xs.prefix(max(1, depth)).map { String(format: "%+.3f", $0) }.joined(separator: " ")
            return xs.count > depth ? shown + " ..." : shown
        }
        var out = "\(name): mean plan over the horizon (first \(min(depth, mean.count)) of \(mean.count) actions)\n  \(seq(mean))\n"
        if !elites.isEmpty {
            out += "elite sequences, best first (predicted return: actions)\n"
            for e in elites.prefix(5) { out += String(format: "  %10.3f: ", e.predictedReturn) + seq(e.actions) + "\n" }
            if elites.count > 5 { out += "  ... \(elites.count - 5) more\n" }
        }
        return out
    }
}

/// Binds a shooting planner to a classic-control task's true dynamics.
struct ControlSink<D: ControlDynamics>: ShootingPlannerSink where D.Action == Double {
    typealias Model = DynamicsModel<D>
    let env: ControlEnvironment<D>
    func take<P: DecisionTimePlanner>(_ planner: P, report: @escaping (P, Int) -> String) throws -> any PlanningAgent
    where P.State == D.State, P.Action == D.Action {
        ControlPlanningAgent(env, planner, report: report)
    }
}

/// A planner on a classic-control task (true dynamics as the model).
final class ControlPlanningAgent<D: ControlDynamics, P: DecisionTimePlanner>: PlanningAgent
where P.State == D.State, P.Action == D.Action {
    let env: ControlEnvironment<D>
    let planner: P
    let report: (P, Int) -> String

    init(_ env: ControlEnvironment<D>, _ planner: P, report: @escaping (P, Int) -> String) {
        self.env = env
        self.planner = planner
        self.report = report
    }

    var modelSteps: Int { planner.modelSteps }

    func episodes(_ count: Int, maxSteps: Int?, rng: inout RandomSource, shouldContinue: () -> Bool) throws -> [PlannerEpisode] {
        var out: [PlannerEpisode] = []
        for _ in 0..<count {
            guard shouldContinue() else { break }
            out += PlannerEpisodes.run(env, planner: planner, episodes: 1, rng: &rng, maxSteps: maxSteps, shouldContinue: shouldContinue)
        }
        return out
    }

    func explain(state: [Double]?, depth: Int, rng: inout RandomSource, shouldContinue: () -> Bool) throws -> String {
        // A state is the simulator's state, or an observation that determines it (Pendulum's
        // `state` and `reset()` give observations).
        let s = try state.map { values in
            if values.count != D.State.count, values.count == D.observationCount, let s = env.dynamics.state(observation: values) { return s }
            return try D.State(values: values)
        } ?? env.dynamics.initialState(&rng)
        planner.reset()
        _ = planner.interruptible(by: shouldContinue) { planner.act(s) }
        let text = report(planner, depth)
        planner.reset()
        return text
    }
}

/// A planner on a tabular task (its exact table as the model).
final class TabularPlanningAgent<E: TabularDynamics, P: DecisionTimePlanner>: PlanningAgent
where P.State == Int, P.Action == Int {
    let env: E
    let planner: P
    let report: (P, Int) -> String

    init(_ env: E, _ planner: P, report: @escaping (P, Int) -> String) {
        self.env = env
        self.planner = planner
        self.report = report
    }

    var modelSteps: Int { planner.modelSteps }

    func episodes(_ count: Int, maxSteps: Int?, rng: inout RandomSource, shouldContinue: () -> Bool) throws -> [PlannerEpisode] {
        var out: [PlannerEpisode] = []
        for _ in 0..<count {
            guard shouldContinue() else { break }
            out += try PlannerEpisodes.run(env, planner: planner, episodes: 1, rng: &rng, maxSteps: maxSteps, shouldContinue: shouldContinue)
        }
        return out
    }

    func explain(state: [Double]?, depth: Int, rng: inout RandomSource, shouldContinue: () -> Bool) throws -> String {
        let s: Int
        if let v = state?.first { s = Int(v) } else { s = try env.reset(&rng) }
        guard s >= 0 && s < env.stateCount else { throw RuntimeError("state \(s) is outside 0..<\(env.stateCount)") }
        planner.reset()
        _ = planner.interruptible(by: shouldContinue) { planner.act(s) }
        let text = report(planner, depth)
        planner.reset()
        return text
    }
}

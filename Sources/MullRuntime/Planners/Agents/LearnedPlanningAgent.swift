/// Settings of planning through a learned model: the ensemble, and the PETS loop around it.
public struct LearnedModelSpec: Sendable {
    /// The model's name in the script, for messages.
    public var name: String
    public var ensemble: EnsembleSettings
    /// Real steps with uniformly random actions before planning starts (not counted in episodes).
    public var warmupSteps: Int
    /// Real steps between training rounds (the model is also trained before the first planned step).
    public var trainEvery: Int

    public init(name: String, ensemble: EnsembleSettings, warmupSteps: Int = 200, trainEvery: Int = 50) {
        self.name = name
        self.ensemble = ensemble
        self.warmupSteps = warmupSteps
        self.trainEvery = trainEvery
    }
}

/// A planner on observations behind closures, so one agent type serves CEM, iCEM, MPPI, random
/// shooting and MCTS (one indirect call per real step; the rollouts inside stay specialised).
/// `Action` is the task's action: `Double` for continuous tasks, an index for discrete ones.
final class ErasedPlanner<Action> {
    let act: ([Double]) -> Action
    let reset: () -> Void
    let modelSteps: () -> Int
    let report: (Int) -> String
    let setInterruption: ((() -> Bool)?) -> Void

    init<P: DecisionTimePlanner>(_ p: P, act: @escaping (P, [Double]) -> Action, report: @escaping (P, Int) -> String)
    where P.State == [Double] {
        self.act = { act(p, $0) }
        reset = { p.reset() }
        modelSteps = { p.modelSteps }
        self.report = { report(p, $0) }
        setInterruption = { p.setInterruption($0) }
    }

    /// Runs `body` with `shouldContinue` as the planner's interruption check.
    func interruptible<T>(by shouldContinue: () -> Bool, _ body: () throws -> T) rethrows -> T {
        try withInterruption(setInterruption, by: shouldContinue, body)
    }
}

/// How the PETS loop draws, stores and converts a task's actions: the model sees an action as
/// one number (a continuous action, or a discrete action's index).
struct LearnedActions<Action> {
    let random: @Sendable (inout RandomSource) -> Action
    let number: @Sendable (Action) -> Double
    let action: @Sendable (Double) -> Action
}

/// The PETS loop (Chua et al., 2018) on a classic-control task: `warmupSteps` random actions,
/// then at every real step a plan through the learned ensemble from the current observation,
/// the first action executed on the true dynamics, every transition added to the model's data,
/// and the model retrained every `trainEvery` real steps.
/// What the interpreter reaches of a planning agent with a learned model, whatever its task.
/// Its `episodes(steps:)` counts real steps after the warm-up (mbrl-lib's `num_steps`).
public protocol LearnedPlanningAgentProtocol: StepCountingAgent {
    var ensemble: any AnyEnsembleModel { get }
    /// The model's k-step prediction error for k = 1 ... `steps`: from `starts` start states of
    /// the task under uniformly random actions, the squared error of the elites' mean rollout
    /// against the true observations, averaged over dimensions and starts (a start counts until
    /// its true trajectory terminates).
    func rolloutError(steps: Int, starts: Int, rng: inout RandomSource) -> [Double]
}

public final class LearnedPlanningAgent<D: ControlDynamics & ObservationRewards>: LearnedPlanningAgentProtocol {
    public let environment: ControlEnvironment<D>
    public let model: EnsembleModel<D>
    public let spec: LearnedModelSpec
    let planner: ErasedPlanner<D.Action>
    let actions: LearnedActions<D.Action>
    public private(set) var realSteps = 0
    var stepsSinceTraining = 0
    var warmedUp = false
    /// The random actions (and the warm-up's start states) come from a stream of their own, so
    /// the episodes' start states are drawn from the caller's generator exactly as a planner on
    /// the true model draws them: with the same trial seed, both face the same starts.
    var explore: RandomSource

    init(_ environment: ControlEnvironment<D>, model: EnsembleModel<D>, spec: LearnedModelSpec, planner: ErasedPlanner<D.Action>,
         actions: LearnedActions<D.Action>, seed: UInt64) {
        explore = RandomSource(seed: seed, stream: 0x5741_524D)  // "WARM"
        self.environment = environment
        self.model = model
        self.spec = spec
        model.compareWithTruth(environment.dynamics, action: actions.action)
        self.planner = planner
        self.actions = actions
    }

    public var modelSteps: Int { planner.modelSteps() }
    public var ensemble: any AnyEnsembleModel { model }

    /// Runs the random warm-up once, if it has not run yet.
    public func warmUp() throws {
        guard !warmedUp else { return }
        warmedUp = true
        let d = environment.dynamics
        let limit = environment.maxEpisodeSteps ?? 1000
        var state = d.initialState(&explore)
        var obs = d.observation(state), next = obs
        var steps = 0
        for _ in 0..<spec.warmupSteps {
            let a = actions.random(&explore)
            var number = actions.number(a)
            let t = d.transition(state, a)
            next = d.observation(t.state)
            model.add(observation: obs, action: &number, next: next, reward: t.reward, terminated: t.terminated)
            steps += 1
            realSteps += 1
            if t.terminated || steps >= limit {
                state = d.initialState(&explore)
                steps = 0
            } else {
                state = t.state
            }
            obs = d.observation(state)
        }
    }

    func train(_ shouldContinue: () -> Bool) throws {
        do {
            try model.train(shouldContinue: shouldContinue)
        } catch let e as TrainingDivergedError {
            throw RuntimeError("model `\(spec.name)`: \(e.description)")
        }
        stepsSinceTraining = 0
    }

    public func rolloutError(steps: Int, starts: Int, rng: inout RandomSource) -> [Double] {
        let actions = self.actions
        return model.rolloutError(environment.dynamics, steps: steps, starts: starts,
                                  randomAction: { actions.number(actions.random(&$0)) }, rng: &rng)
    }

    public func episodes(_ count: Int, maxSteps: Int?, rng: inout RandomSource, shouldContinue: () -> Bool) throws -> [PlannerEpisode] {
        try run(episodes: count, steps: nil, maxSteps: maxSteps, rng: &rng, shouldContinue: shouldContinue)
    }

    public func episodes(steps budget: Int, maxSteps: Int?, rng: inout RandomSource, shouldContinue: () -> Bool) throws -> [PlannerEpisode] {
        try run(episodes: nil, steps: budget, maxSteps: maxSteps, rng: &rng, shouldContinue: shouldContinue)
    }

    /// `episodes` episodes, or episodes until `steps` real steps after the warm-up.
    func run(episodes count: Int?, steps budget: Int?, maxSteps: Int?, rng: inout RandomSource,
             shouldContinue: () -> Bool) throws -> [PlannerEpisode] {
        try planner.interruptible(by: shouldContinue) {
            try runEpisodes(count: count, budget: budget, maxSteps: maxSteps, rng: &rng, shouldContinue: shouldContinue)
        }
    }

    func runEpisodes(count: Int?, budget: Int?, maxSteps: Int?, rng: inout RandomSource,
                     shouldContinue: () -> Bool) throws -> [PlannerEpisode] {
        try warmUp()
        let d = environment.dynamics
        let limit = maxSteps ?? environment.maxEpisodeSteps ?? 1000
        let clock = ContinuousClock()
        var out: [PlannerEpisode] = []
        var taken = 0
        while count.map({ out.count < $0 }) ?? (taken < budget!) {
            guard shouldContinue() else { break }
            let start = clock.now
            let before = planner.modelSteps()
            let roundsBefore = model.rounds.count
            planner.reset()
            var state = d.initialState(&rng)
            environment.state = state
            var obs = d.observation(state)
            var total = 0.0, steps = 0, terminated = false
            while steps < limit && budget.map({ taken < $0 }) ?? true {
                if !model.isTrained || stepsSinceTraining >= spec.trainEvery {
                    if model.buffer.count >= 2 { try train(shouldContinue) }
                }
                // An interrupt ends the run at once; the unfinished episode is dropped.
                guard shouldContinue() else { return out }
                let a = model.isTrained ? planner.act(obs) : actions.random(&explore)
                var number = actions.number(a)
                let t = d.transition(state, a)
                let next = d.observation(t.state)
                model.add(observation: obs, action: &number, next: next, reward: t.reward, terminated: t.terminated)
                total += t.reward
                steps += 1
                realSteps += 1
                stepsSinceTraining += 1
                taken += 1
                state = t.state
                environment.state = state
                obs = next
                if t.terminated { terminated = true; break }
            }
            var episode = PlannerEpisode(totalReward: total, steps: steps, modelSteps: planner.modelSteps() - before,
                                         seconds: PlannerEpisodes.seconds(clock.now - start), terminated: terminated, actions: nil)
            episode.modelError = model.episodeError(roundsBefore: roundsBefore, steps: steps)
            episode.trainingRounds = model.rounds.count - roundsBefore
            episode.realStepsAfter = realSteps
            out.append(episode)
        }
        return out
    }

    public func explain(state: [Double]?, depth: Int, rng: inout RandomSource, shouldContinue: () -> Bool) throws -> String {
        let obs: [Double]
        if let state {
            guard state.count == model.observationLength else {
                throw RuntimeError("a state of \(D.gymnasiumID) has \(model.observationLength) numbers (its observation), got \(state.count)")
            }
            obs = state
        } else {
            obs = environment.dynamics.observation(environment.dynamics.initialState(&rng))
        }
        guard model.isTrained else {
            return "the model `\(spec.name)` has not been trained yet: run some episodes first (`run(episodes: 1)`)\n"
        }
        planner.reset()
        _ = planner.interruptible(by: shouldContinue) { planner.act(obs) }
        let text = planner.report(depth)
        planner.reset()
        return text
    }
}

extension PlanningAgents {
    /// The first action of a shooting planner's plan, clipped to the action bounds.
    static func clampedFirst<P: DecisionTimePlanner>(_ lo: Double, _ hi: Double) -> (P, [Double]) -> Double
    where P.State == [Double], P.Action == [Double] {
        { p, obs in min(max(p.act(obs)[0], lo), hi) }
    }

    /// Binds a shooting planner to a learned ensemble: its first action, clamped to the bounds.
    struct LearnedSink<D: ControlDynamics & ObservationRewards>: ShootingPlannerSink {
        typealias Model = LearnedModel<D>
        let lo: Double, hi: Double
        func take<P: DecisionTimePlanner>(_ planner: P, report: @escaping (P, Int) -> String) throws -> ErasedPlanner<Double>
        where P.State == [Double], P.Action == [Double] {
            ErasedPlanner(planner, act: clampedFirst(lo, hi), report: report)
        }
    }

    /// A shooting planner through a learned ensemble of `env`'s dynamics, in the PETS loop.
    static func learned<D: ControlDynamics & ObservationRewards>(_ env: ControlEnvironment<D>, _ spec: PlannerSpec,
                                                                 _ learned: LearnedModelSpec, _ seed: UInt64) throws -> any PlanningAgent
    where D.Action == Double {
        guard case .shooting(let s) = spec else {
            throw RuntimeError("MCTS plans through a learned model on tasks with discrete actions (CartPole); on continuous actions use CEM, ICEM, MPPI or RandomShooting")
        }
        let (low, high) = try bounds(env.actionSpace)
        // Every candidate of an iteration (iCEM adds kept elites and the mean) times particles is
        // one batch through the networks, whose activations are stored for the whole batch.
        let particles = learned.ensemble.propagation == .expectation ? 1 : learned.ensemble.particles
        let rows = Double(s.population + s.population / 2 + 1) * Double(particles)
            * Double(learned.ensemble.propagation == .expectation ? learned.ensemble.elites : 1)
        let floats = rows * Double(2 * learned.ensemble.hidden.reduce(0, +) + 8 * (D.observationCount + low.count))
        guard floats <= 500_000_000 else {
            throw RuntimeError("planning \(s.population) sequences x \(particles) particles through `\(learned.name)` needs about "
                               + "\(Int(min(floats * 4 / 1e9, 1e15))) GB of network buffers (at most 2 GB); lower `population` or `particles`")
        }
        let ensemble = try EnsembleModel(task: env.dynamics, actionLength: low.count, settings: learned.ensemble, seed: seed)
        let model = LearnedModel(ensemble)
        let lo = low[0], hi = high[0]
        let planner = try s.build(model: model, low: low, high: high, seed: seed, threads: 1, into: LearnedSink<D>(lo: lo, hi: hi))
        let actions = LearnedActions<Double>.continuous(lo, hi)
        return LearnedPlanningAgent(env, model: ensemble, spec: learned, planner: planner, actions: actions, seed: seed)
    }

    /// MCTS through a learned ensemble of a discrete-action task's dynamics, in the PETS loop:
    /// every simulated transition is one sampled prediction of a random elite.
    static func learnedDiscrete<D: ControlDynamics & ObservationRewards>(_ env: ControlEnvironment<D>, _ spec: PlannerSpec,
                                                                         _ learned: LearnedModelSpec, _ seed: UInt64) throws -> any PlanningAgent
    where D.Action == Int {
        let (m, settings, n, describeAction) = try discreteMCTS(env, spec, seed)
        let ensemble = try EnsembleModel(task: env.dynamics, actionLength: 1, settings: learned.ensemble, seed: seed)
        let leaf = m.leafValue
        let rollout = m.rolloutPolicy
        let p = try MCTS(model: LearnedDiscreteModel(ensemble), actions: Array(0..<n), settings: settings,
                         rolloutPolicy: rollout.map { f in { (s: [Double], _: inout RandomSource) in min(max(f(s), 0), n - 1) } },
                         leafValue: leaf.map { f in { (s: [Double]) in f(s) } })
        let planner = ErasedPlanner<Int>(p, act: { p, obs in p.act(obs) }) { p, d in
            p.treeText(depth: d, describeState: { "(" + $0.map { String(format: "%.3f", $0) }.joined(separator: ", ") + ")" },
                       describeAction: describeAction)
        }
        let actions = LearnedActions<Int>.discrete(n)
        return LearnedPlanningAgent(env, model: ensemble, spec: learned, planner: planner, actions: actions, seed: seed)
    }
}

/// What one episode of a decision-time planner produced.
public struct PlannerEpisode: Sendable, Equatable {
    /// Undiscounted sum of the real rewards.
    public var totalReward: Double
    /// Real steps taken.
    public var steps: Int
    /// Model transitions the planner simulated during the episode.
    public var modelSteps: Int
    /// Wall-clock seconds of the episode (planning and real steps).
    public var seconds: Double
    /// Whether the episode ended in a terminal state (otherwise it was truncated).
    public var terminated: Bool
    /// The actions taken, when recording was asked for.
    public var actions: [Double]?
    /// Planning through a learned model: the mean one-step error (MSE) of the model on real
    /// transitions it had not been trained on, measured by the training rounds of the episode.
    public var modelError: Double?
    /// Planning through a learned model: training rounds during the episode.
    public var trainingRounds = 0
    /// Planning through a learned model: the agent's real steps at the end of the episode,
    /// random warm-up included.
    public var realStepsAfter: Int?
    /// MBPO: the length of the branched rollouts at the end of the episode.
    public var rolloutLength: Int?

    @inlinable
    public init(totalReward: Double, steps: Int, modelSteps: Int, seconds: Double, terminated: Bool, actions: [Double]?) {
        self.totalReward = totalReward
        self.steps = steps
        self.modelSteps = modelSteps
        self.seconds = seconds
        self.terminated = terminated
        self.actions = actions
    }
}

/// Summary statistics of several planner episodes.
public struct PlannerEpisodeSummary: Sendable, Equatable {
    public var episodes: Int
    public var meanReturn: Double
    /// Sample standard deviation of the returns (0 for one episode).
    public var stdReturn: Double
    public var meanSteps: Double
    public var modelSteps: Int
    public var seconds: Double
    /// Model transitions per wall-clock second over all episodes.
    public var modelStepsPerSecond: Double

    public init(_ episodes: [PlannerEpisode]) {
        let n = Double(max(episodes.count, 1))
        self.episodes = episodes.count
        meanReturn = episodes.reduce(0) { $0 + $1.totalReward } / n
        let m = meanReturn
        let ss = episodes.reduce(0) { $0 + ($1.totalReward - m) * ($1.totalReward - m) }
        stdReturn = episodes.count > 1 ? (ss / Double(episodes.count - 1)).squareRoot() : 0
        meanSteps = Double(episodes.reduce(0) { $0 + $1.steps }) / n
        modelSteps = episodes.reduce(0) { $0 + $1.modelSteps }
        seconds = episodes.reduce(0) { $0 + $1.seconds }
        modelStepsPerSecond = seconds > 0 ? Double(modelSteps) / seconds : 0
    }
}

/// Runs decision-time planners on environments: at every real step the planner is called with
/// the current true state and its action is executed.
public enum PlannerEpisodes {
    /// Episodes on a classic-control task, stepping its exact dynamics from the true simulator
    /// state. Each episode starts with `planner.reset()` and a start state drawn from `rng`;
    /// it ends at termination or after `maxSteps` (default the environment's step limit, else 1000).
    @inlinable
    public static func run<D: ControlDynamics, P: DecisionTimePlanner>(
        _ environment: ControlEnvironment<D>, planner: P, episodes: Int, rng: inout RandomSource,
        maxSteps: Int? = nil, recordActions: Bool = false, shouldContinue: () -> Bool = { true }
    ) -> [PlannerEpisode] where P.State == D.State, P.Action == D.Action {
        planner.interruptible(by: shouldContinue) {
            runEpisodes(environment, planner: planner, episodes: episodes, rng: &rng, maxSteps: maxSteps,
                        recordActions: recordActions, shouldContinue: shouldContinue)
        }
    }

    @inlinable
    static func runEpisodes<D: ControlDynamics, P: DecisionTimePlanner>(
        _ environment: ControlEnvironment<D>, planner: P, episodes: Int, rng: inout RandomSource,
        maxSteps: Int?, recordActions: Bool, shouldContinue: () -> Bool
    ) -> [PlannerEpisode] where P.State == D.State, P.Action == D.Action {
        let limit = maxSteps ?? environment.maxEpisodeSteps ?? 1000
        let dynamics = environment.dynamics
        var out: [PlannerEpisode] = []
        out.reserveCapacity(episodes)
        let clock = ContinuousClock()
        for _ in 0..<episodes {
            let start = clock.now
            let before = planner.modelSteps
            planner.reset()
            var state = dynamics.initialState(&rng)
            environment.state = state
            var total = 0.0, steps = 0, terminated = false
            var actions: [Double]? = recordActions ? [] : nil
            while steps < limit {
                // An interrupt ends the run at once; the unfinished episode is dropped.
                guard shouldContinue() else { return out }
                let a = planner.act(state)
                if recordActions { actions?.append(numeric(a)) }
                let t = dynamics.transition(state, a)
                total += t.reward
                steps += 1
                state = t.state
                environment.state = state
                if t.terminated { terminated = true; break }
            }
            out.append(PlannerEpisode(totalReward: total, steps: steps, modelSteps: planner.modelSteps - before,
                                      seconds: seconds(clock.now - start), terminated: terminated, actions: actions))
        }
        return out
    }

    /// Episodes on any environment whose observation is the planner's state (the toy-text tasks:
    /// the state index). Uses `reset` and `step`, so stochastic transitions draw from `rng`.
    @inlinable
    public static func run<E: Environment, P: DecisionTimePlanner>(
        _ environment: E, planner: P, episodes: Int, rng: inout RandomSource,
        maxSteps: Int? = nil, recordActions: Bool = false, shouldContinue: () -> Bool = { true }
    ) throws -> [PlannerEpisode] where P.State == E.Observation, P.Action == E.Action {
        try planner.interruptible(by: shouldContinue) {
            try runEpisodes(environment, planner: planner, episodes: episodes, rng: &rng, maxSteps: maxSteps,
                            recordActions: recordActions, shouldContinue: shouldContinue)
        }
    }

    @inlinable
    static func runEpisodes<E: Environment, P: DecisionTimePlanner>(
        _ environment: E, planner: P, episodes: Int, rng: inout RandomSource,
        maxSteps: Int?, recordActions: Bool, shouldContinue: () -> Bool
    ) throws -> [PlannerEpisode] where P.State == E.Observation, P.Action == E.Action {
        let limit = maxSteps ?? environment.maxEpisodeSteps ?? 1000
        var out: [PlannerEpisode] = []
        out.reserveCapacity(episodes)
        let clock = ContinuousClock()
        for _ in 0..<episodes {
            let start = clock.now
            let before = planner.modelSteps
            planner.reset()
            var observation = try environment.reset(&rng)
            var total = 0.0, steps = 0, terminated = false
            var actions: [Double]? = recordActions ? [] : nil
            while steps < limit {
                guard shouldContinue() else { return out }
                let a = planner.act(observation)
                if recordActions { actions?.append(numeric(a)) }
                let r = try environment.step(a, &rng)
                total += r.reward
                steps += 1
                observation = r.observation
                if r.terminated { terminated = true; break }
                if r.truncated { break }
            }
            out.append(PlannerEpisode(totalReward: total, steps: steps, modelSteps: planner.modelSteps - before,
                                      seconds: seconds(clock.now - start), terminated: terminated, actions: actions))
        }
        return out
    }

    @usableFromInline
    static func seconds(_ d: Duration) -> Double {
        let c = d.components
        return Double(c.seconds) + Double(c.attoseconds) * 1e-18
    }

    /// An action as one number for recording (first component of a vector; NaN when not numeric).
    @usableFromInline
    static func numeric<A>(_ a: A) -> Double {
        if let x = a as? Double { return x }
        if let i = a as? Int { return Double(i) }
        if let v = a as? [Double], let f = v.first { return f }
        return .nan
    }
}

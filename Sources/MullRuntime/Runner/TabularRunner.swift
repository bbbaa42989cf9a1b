/// An environment that can tell how good a policy's path from its start is: used by the
/// "greedy path within a factor of the shortest" stop criterion (Sutton & Barto Example 8.4).
public protocol GoalPathEnvironment: DiscreteEnvironment {
    /// Length of a shortest path from the start to a goal, nil if none.
    func shortestPathLength() -> Int?
    /// Steps `policy` takes from the start to a goal, nil if more than `maxSteps`.
    func pathLength(maxSteps: Int, policy: (Int) -> Int) -> Int?
}

extension GridWorld: GoalPathEnvironment {}

/// How long a run lasts.
public enum TabularRunBudget: Sendable, Equatable {
    /// This many episodes.
    case episodes(Int)
    /// This many real steps in total, resetting at episode ends; the last episode may be cut.
    case steps(Int)
}

/// Options of a tabular run.
public struct TabularRunOptions: Sendable, Equatable {
    public var budget: TabularRunBudget
    /// Per-episode step limit imposed by the runner (on top of the environment's own).
    public var maxEpisodeSteps: Int?
    /// Record the cumulative reward after every real step (Figs 8.4/8.5).
    public var recordCumulativeReward: Bool
    /// Stop once the first-greedy-action path from the start reaches a goal within
    /// `factor x` the shortest path (needs a `GoalPathEnvironment`). Checked after each episode.
    public var stopWhenGreedyPathWithin: Double?
    /// Stop after this many consecutive successful episodes. Checked after each episode.
    public var stopAfterConsecutiveSuccesses: Int?
    /// A successful episode ended in a terminal state with at least this return (nil: any return).
    public var successMinimumReturn: Double?

    public init(budget: TabularRunBudget, maxEpisodeSteps: Int? = nil, recordCumulativeReward: Bool = false,
                stopWhenGreedyPathWithin: Double? = nil, stopAfterConsecutiveSuccesses: Int? = nil,
                successMinimumReturn: Double? = nil) {
        self.budget = budget
        self.maxEpisodeSteps = maxEpisodeSteps
        self.recordCumulativeReward = recordCumulativeReward
        self.stopWhenGreedyPathWithin = stopWhenGreedyPathWithin
        self.stopAfterConsecutiveSuccesses = stopAfterConsecutiveSuccesses
        self.successMinimumReturn = successMinimumReturn
    }

    @usableFromInline func validate() throws {
        switch budget {
        case .episodes(let n): guard n >= 0 else { throw RuntimeError("episode budget must be non-negative, got \(n)") }
        case .steps(let n): guard n >= 0 else { throw RuntimeError("step budget must be non-negative, got \(n)") }
        }
        if let m = maxEpisodeSteps, m < 1 { throw RuntimeError("max episode steps must be positive, got \(m)") }
        if let f = stopWhenGreedyPathWithin, !(f >= 1) { throw RuntimeError("greedy path factor must be at least 1, got \(f)") }
        if let k = stopAfterConsecutiveSuccesses, k < 1 { throw RuntimeError("consecutive successes must be positive, got \(k)") }
    }
}

/// Runs `agent` in `environment` under `options`, drawing all randomness from `rng`.
///
/// Generic over the concrete agent and environment so the step loop specialises when the types
/// are known; the planning loops run inside the agents over flat arrays. `onEpisode` is called
/// after every episode with the metrics so far; returning false stops the run, keeping what was
/// finished (stop reason `.cancelled`). Agents given as `any TabularAgent` are opened here.
@inlinable
public func runTabular<Agent: TabularAgent, Env: DiscreteEnvironment>(
    agent: Agent,
    environment: Env,
    options: TabularRunOptions,
    rng: inout RandomSource,
    onEpisode: ((TabularRunMetrics) -> Bool)? = nil
) throws -> TabularRunMetrics {
    try options.validate()
    guard agent.stateCount == environment.stateCount && agent.actionCount == environment.actionCount else {
        throw RuntimeError("agent size \(agent.stateCount)x\(agent.actionCount) differs from environment size \(environment.stateCount)x\(environment.actionCount)")
    }
    var pathEnvironment: (any GoalPathEnvironment)? = nil
    if options.stopWhenGreedyPathWithin != nil {
        guard let p = environment as? any GoalPathEnvironment else {
            throw RuntimeError("the greedy-path stop criterion needs an environment with a start and goals (a grid world)")
        }
        pathEnvironment = p
    }
    var metrics = TabularRunMetrics()
    var stepBudget = Int.max
    var episodeBudget = Int.max
    switch options.budget {
    case .episodes(let n): episodeBudget = n
    case .steps(let n): stepBudget = n
    }
    if options.recordCumulativeReward && stepBudget != .max { metrics.cumulativeReward.reserveCapacity(stepBudget) }
    let clock = ContinuousClock()
    var runSteps = 0
    var totalReward = 0.0
    var successes = 0
    var episode = 0
    while episode < episodeBudget && runSteps < stepBudget {
        let started = clock.now
        var state = try environment.reset(&rng)
        agent.beginEpisode(state)
        var episodeReturn = 0.0
        var episodeSteps = 0
        var terminated = false
        var truncated = false
        while true {
            let action = agent.act(state, &rng)
            let result = try environment.step(action, &rng)
            episodeSteps += 1
            runSteps += 1
            terminated = result.terminated
            truncated = result.truncated
            if let m = options.maxEpisodeSteps, episodeSteps >= m, !terminated { truncated = true }
            if runSteps >= stepBudget, !terminated { truncated = true }
            agent.observe(state: state, action: action, reward: result.reward, next: result.observation,
                          terminated: terminated, truncated: truncated, &rng)
            episodeReturn += result.reward
            if options.recordCumulativeReward {
                totalReward += result.reward
                metrics.cumulativeReward.append(totalReward)
            }
            state = result.observation
            if terminated || truncated { break }
        }
        let elapsed = clock.now - started
        metrics.returns.append(episodeReturn)
        metrics.steps.append(episodeSteps)
        metrics.cumulativeRealSteps.append(agent.realSteps)
        metrics.cumulativePlanningUpdates.append(agent.planningUpdates)
        metrics.terminated.append(terminated)
        metrics.truncated.append(truncated)
        metrics.wallSeconds.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
        episode += 1

        if let factor = options.stopWhenGreedyPathWithin, let env = pathEnvironment, let shortest = env.shortestPathLength() {
            // The walk is deterministic, so one longer than the number of states repeats a state
            // and never arrives: capping there keeps a huge factor (1e19) from overflowing or
            // walking a loop for ever.
            let scaled = (factor * Double(shortest)).rounded(.down)
            let limit = scaled.isNaN ? env.stateCount : Int(max(0, min(scaled, Double(env.stateCount))))
            if let length = env.pathLength(maxSteps: limit, policy: { agent.firstGreedyAction($0) }) {
                metrics.greedyPathLength = length
                metrics.stopReason = .greedyPathFound
                break
            }
        }
        if let k = options.stopAfterConsecutiveSuccesses {
            let success = terminated && (options.successMinimumReturn.map { episodeReturn >= $0 } ?? true)
            successes = success ? successes + 1 : 0
            if successes >= k {
                metrics.stopReason = .consecutiveSuccesses
                break
            }
        }
        if let onEpisode, !onEpisode(metrics) {
            metrics.stopReason = .cancelled
            break
        }
    }
    return metrics
}

extension TabularRunBudget {
    /// The budget as plain data for a trial's resolved configuration.
    public var configValue: ConfigValue {
        switch self {
        case .episodes(let n): .object([.init("episodes", .int(n))])
        case .steps(let n): .object([.init("steps", .int(n))])
        }
    }
}

extension TabularRunOptions {
    /// The options besides the budget as plain data, named as in a sweep block.
    public var configValue: ConfigValue {
        .object([
            .init("max_episode_steps", maxEpisodeSteps.map { .int($0) } ?? .null),
            .init("record_cumulative_reward", .bool(recordCumulativeReward)),
            .init("until_optimal", stopWhenGreedyPathWithin.map { .float($0) } ?? .null),
            .init("until_successes", stopAfterConsecutiveSuccesses.map { .int($0) } ?? .null),
            .init("success_return", successMinimumReturn.map { .float($0) } ?? .null),
        ])
    }
}

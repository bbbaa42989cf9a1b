/// A learning agent over integer states and actions with a flat action-value table.
///
/// Protocol of a trial: `beginEpisode(s0)`, then repeatedly `a = act(s)`, step the environment,
/// `observe(...)`. `observe` learns from the real transition and performs the agent's own
/// planning. Terminal transitions bootstrap with 0; truncated ones bootstrap normally.
///
/// Counters: `realSteps` counts `observe` calls. `planningUpdates` counts every update of a
/// Q value made from the model rather than from a real transition: one per simulated
/// transition in Dyna-Q/Dyna-Q+, one per pair popped from the queue in prioritized sweeping
/// (computing predecessor priorities is not counted), one per expected update of a Q(s, a) in
/// value and policy iteration. The direct update from a real transition is never counted.
public protocol TabularAgent: AnyObject {
    var stateCount: Int { get }
    var actionCount: Int { get }
    var settings: TabularSettings { get }
    /// A snapshot of the action values, flat: `q[state * actionCount + action]`.
    var q: [Double] { get }
    /// Q(state, action), without copying the table.
    func qValue(_ state: Int, _ action: Int) -> Double
    var realSteps: Int { get }
    var planningUpdates: Int { get }

    /// The behaviour policy's action (epsilon-greedy, random tie-breaking among maxima).
    func act(_ state: Int, _ rng: inout RandomSource) -> Int
    /// A greedy action, ties broken at random.
    func greedyAction(_ state: Int, _ rng: inout RandomSource) -> Int
    /// max_a Q(state, a).
    func value(_ state: Int) -> Double
    /// Called with the first state of every episode.
    func beginEpisode(_ state: Int)
    /// Learns from one real transition and plans.
    func observe(state: Int, action: Int, reward: Double, next: Int, terminated: Bool, truncated: Bool, _ rng: inout RandomSource)
    /// Performs up to `updates` planning updates now; returns how many were done.
    @discardableResult func plan(updates: Int, _ rng: inout RandomSource) -> Int
    /// Forgets everything (Q values, model, counters).
    func reset()
}

extension TabularAgent {
    /// The first action with the largest Q value (deterministic; no random draw).
    public func firstGreedyAction(_ state: Int) -> Int {
        var best = 0
        var bestValue = qValue(state, 0)
        for a in 1..<actionCount {
            let v = qValue(state, a)
            if v > bestValue { best = a; bestValue = v }
        }
        return best
    }

    /// max_a Q(s, a) for every state.
    public func stateValues() -> [Double] { (0..<stateCount).map { value($0) } }
    /// The deterministic greedy action for every state.
    public func greedyPolicy() -> [Int] { (0..<stateCount).map { firstGreedyAction($0) } }
}

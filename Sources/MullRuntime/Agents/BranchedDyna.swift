/// Tabular MBPO-lite: Q-learning from each real transition, the transition recorded in the model,
/// then `rollouts` branched rollouts of up to `rolloutLength` steps through the model, each a
/// Q-learning update per step. A rollout starts from a uniformly drawn observed state and follows
/// the current epsilon-greedy policy restricted to the actions tried in each state (the model
/// knows nothing of the others); it stops at a predicted termination or at a state with no tried
/// action. With `rolloutLength == 1` and the policy replaced by a uniform choice this is Dyna-Q;
/// here the actions follow the policy, as MBPO's rollouts do (Janner et al., 2019).
public final class BranchedDyna<Model: TabularModel>: TabularAgent {
    public let stateCount: Int
    public let actionCount: Int
    public let settings: TabularSettings
    public let rollouts: Int
    public let rolloutLength: Int
    public let model: Model
    @usableFromInline let table: QTable
    public private(set) var realSteps = 0
    public private(set) var planningUpdates = 0
    public var q: [Double] { table.values }
    public func qValue(_ state: Int, _ action: Int) -> Double { table[state, action] }

    public init(stateCount: Int, actionCount: Int, settings: TabularSettings = .init(), rollouts: Int, rolloutLength: Int,
                model: Model) throws {
        try checkTabularSizes(stateCount, actionCount)
        try settings.validate()
        guard rollouts >= 0 else { throw RuntimeError("rollouts must be non-negative, got \(rollouts)") }
        guard rolloutLength >= 1 else { throw RuntimeError("the rollout length must be at least 1, got \(rolloutLength)") }
        guard model.stateCount == stateCount && model.actionCount == actionCount else {
            throw RuntimeError("model size \(model.stateCount)x\(model.actionCount) differs from agent size \(stateCount)x\(actionCount)")
        }
        self.stateCount = stateCount
        self.actionCount = actionCount
        self.settings = settings
        self.rollouts = rollouts
        self.rolloutLength = rolloutLength
        self.model = model
        table = QTable(stateCount: stateCount, actionCount: actionCount, initial: settings.initialQ)
    }

    public func act(_ state: Int, _ rng: inout RandomSource) -> Int {
        table.epsilonGreedy(state, epsilon: settings.epsilon.value(at: realSteps), &rng)
    }
    public func greedyAction(_ state: Int, _ rng: inout RandomSource) -> Int { table.greedyAction(state, &rng) }
    public func value(_ state: Int) -> Double { table.maxValue(state) }
    public func beginEpisode(_ state: Int) {}

    public func observe(state: Int, action: Int, reward: Double, next: Int, terminated: Bool, truncated: Bool, _ rng: inout RandomSource) {
        let alpha = settings.alpha.value(at: realSteps)
        let target = reward + (terminated ? 0 : settings.gamma * table.maxValue(next))
        table[state, action] += alpha * (target - table[state, action])
        model.update(state, action, reward: reward, next: next, terminated: terminated)
        realSteps += 1
        if rollouts > 0 { plan(updates: rollouts * rolloutLength, &rng) }
    }

    /// Branched rollouts until about `updates` model steps have been taken (whole rollouts; a
    /// rollout that stops early leaves its remaining steps unused).
    @discardableResult
    public func plan(updates: Int, _ rng: inout RandomSource) -> Int {
        let observed = model.observedStateCount
        if observed == 0 || updates <= 0 { return 0 }
        let alpha = settings.alpha.value(at: realSteps), gamma = settings.gamma
        let epsilon = settings.epsilon.value(at: realSteps)
        let q = table.storage
        let n = actionCount
        var done = 0
        let count = max(1, updates / rolloutLength)
        for _ in 0..<count {
            var s = model.observedState(at: rng.int(below: observed))
            for _ in 0..<rolloutLength {
                let tried = model.observedActionCount(s)
                guard tried > 0 else { break }
                var a = model.observedAction(s, at: rng.int(below: tried))
                if !(rng.uniform() < epsilon) {
                    // The greedy action among those tried (the first of equal values).
                    var best = q[s * n + a]
                    for k in 0..<tried {
                        let b = model.observedAction(s, at: k)
                        if q[s * n + b] > best { best = q[s * n + b]; a = b }
                    }
                }
                let o = model.sample(s, a, &rng)
                let target = o.reward + (o.terminated ? 0 : gamma * maxOf(q, o.next * n, n))
                q[s * n + a] += alpha * (target - q[s * n + a])
                done += 1
                if o.terminated { break }
                s = o.next
            }
        }
        planningUpdates += done
        return done
    }

    public func reset() {
        table.fill(settings.initialQ)
        model.reset()
        realSteps = 0
        planningUpdates = 0
    }
}
